import type { AutoScalingGroup, Instance } from '../aws/compute-api.js';
import type { StackDescription, StackResource } from '../aws/stack-api.js';
import { archiveAlarmName, cameraStreamId, KMS_VERSION_TAG_KEY } from './render.js';

/** One node of the cluster, as the 2016 report listed it: `id: type - private/public`. */
export interface ReportInstance {
  id: string;
  type: string;
  state: string;
  privateIp: string | null;
  publicIp: string | null;
  zone: string | null;
}

/** The cluster report of `show` and the end of `create` (`-o json` contract: fields are only ever added). */
export interface ClusterReport {
  name: string;
  region: string;
  stackId: string;
  status: string;
  statusReason: string | null;
  version: string | null;
  created: string;
  updated: string | null;
  clusterUrl: string | null;
  dnsName: string | null;
  loadBalancerDnsName: string | null;
  /** Set when a DNS record must be created by hand. */
  cnameNote: string | null;
  capacity: { min: number; max: number; desired: number } | null;
  instances: ReportInstance[];
  /** The apps, comma-separated (`room,audio-archive`), or `none`. */
  app: string;
  /** The apps (`--enable-app`), from the settings the template records. */
  apps: string[];
  /** The room demo's page, `https://<host>/app/`. */
  appUrl: string | null;
  appInstances: ReportInstance[];
  /** audio-archive: each stream, where its archive lands and its alarm (no URL: those stay in the secret). */
  archive: ArchiveStream[];
  /** kvs-relay and cameras: each camera, its Kinesis video stream and its recordings (no URL: those stay in the secret). */
  cameras: ReportCamera[];
  /** The cameras page, `https://<host>/app/cameras`. */
  camerasUrl: string | null;
  recorderInstances: ReportInstance[];
  /** The stack's Kinesis video streams by logical id (`CameraStream1` → its name). */
  cameraStreams: Record<string, string>;
  bucket: string | null;
  /** The cluster secret (api key, inspector credentials…): its ARN, never a value. */
  secretArn: string | null;
  /** Build parameters keyed by flag name; secrets masked. */
  parameters: Record<string, string>;
  tags: Record<string, string>;
  /** Who may reach the Kurento API (`--api-origin`); null when the cluster's template does not record it. */
  apiOrigin: string[] | null;
  /** Who may reach SSH (`--control-origin`); null when not recorded. */
  controlOrigin: string[] | null;
  /** Scaling steps, `threshold=percent` (`--scale-out-policy`, `--scale-in-policy`); null when not recorded. */
  scaleOutPolicy: string[] | null;
  scaleInPolicy: string[] | null;
  /** The cost of each Kurento element (`--cost-map`), e.g. `{"WebRtcEndpoint": 1}`; null when not known. */
  costMap: Record<string, number> | null;
  /** Whether the stack refuses deletion (CloudFormation termination protection). */
  terminationProtection: boolean;
}

/** One camera in the report. */
export interface ReportCamera {
  camera: string;
  retentionDays: number;
  /** kvs-relay: the camera's Kinesis video stream (named by CloudFormation); null without kvs-relay or before it exists. */
  stream: string | null;
  /** cameras: `s3://<bucket>/cameras/<camera>/` (segments and daily MP4s); null without the cameras app. */
  recordings: string | null;
}

/** One archived stream in the report. */
export interface ArchiveStream {
  stream: string;
  segmentSeconds: number;
  /** `s3://<bucket>/final/<stream>/`. */
  location: string;
  /** The CloudWatch alarm on a slot missing from both recorders. */
  alarm: string;
}

/** Template parameter → the flag users know it by. */
export const PARAMETER_FLAGS: Readonly<Record<string, string>> = {
  KmsVersion: 'version',
  InstanceType: 'aws-instance-type',
  Tenancy: 'aws-instance-tenancy',
  DesiredCapacity: 'desired-capacity',
  MinCapacity: 'min-capacity',
  MaxCapacity: 'max-capacity',
  KeyName: 'aws-key-name',
  BucketName: 'aws-s3-bucket-name',
  CertificateArn: 'certificate-arn',
  HostedZoneId: 'hosted-zone-id',
  LogStorage: 'log-storage',
  ElasticsearchHost: 'elasticsearch-transport',
  ElasticsearchSsl: 'elasticsearch-ssl',
  ElasticsearchUser: 'elasticsearch-user',
  EnableTurn: 'enable-turn',
  HealthCheckGracePeriod: 'health-check-grace-period',
  HeartbeatTimeout: 'autoscaling-heartbeat-timeout',
  ReconnectionTime: 'session-reconnection-time',
  CostMap: 'cost-map',
  EnableApp: 'enable-app',
};

/** Parameters never shown in reports: internal plumbing, not settings. */
const INTERNAL_PARAMETERS = new Set([
  'NodeImageParameter',
  'NodeImageId',
  'ClusterSecretArn',
  'DnsName',
  'ElasticsearchPort',
  'ZoneA',
  'ZoneB',
  'NodeRuntimeKey',
  'NodeRuntimeSha256',
  'NodeVersion',
  'NodeSha512X64',
  'NodeSha512Arm64',
]);
const SECRET_FLAG = /(^|-)(api-key|pass|password|secret|ssl-key|token)$/;

function reportParameters(parameters: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(parameters).sort()) {
    if (INTERNAL_PARAMETERS.has(key)) continue;
    const flag = PARAMETER_FLAGS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
    const value = parameters[key] ?? '';
    out[flag] = SECRET_FLAG.test(flag) && value !== '' ? '****' : value;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const toReportInstance = (i: Instance): ReportInstance => ({
  id: i.id,
  type: i.type,
  state: i.state,
  privateIp: i.privateIp ?? null,
  publicIp: i.publicIp ?? null,
  zone: i.zone ?? null,
});

/** What `show` read from AWS for one cluster. */
export interface ClusterFacts {
  region: string;
  stack: StackDescription;
  resources: readonly StackResource[];
  groups: readonly AutoScalingGroup[];
  instances: readonly Instance[];
  /** The settings recorded in the cluster's template (flag-keyed), when read. */
  settings?: Readonly<Record<string, unknown>> | undefined;
}

const list = (value: unknown): string[] | null =>
  typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter((v) => v !== '') : null;

/** The cost map of the `CostMap` parameter (JSON), else of the recorded settings (`K=V,…`); null when neither parses. */
function costMapOf(parameter: string | undefined, settings: unknown): Record<string, number> | null {
  if (parameter) {
    try {
      const parsed: unknown = JSON.parse(parameter);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'number')) return parsed as Record<string, number>;
    } catch {
      // not JSON: the settings may still have it
    }
  }
  const pairs = list(settings);
  if (!pairs) return null;
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const [k, v] = pair.split('=');
    if (!k || v === undefined || !Number.isFinite(Number(v))) return null;
    out[k] = Number(v);
  }
  return out;
}

/**
 * The report fields kept only in the cluster's template settings (origins, scaling policies): `show` reads
 * the template and adds them to a report built without it.
 */
export function withSettings(r: ClusterReport, settings: Readonly<Record<string, unknown>> | undefined): ClusterReport {
  if (!settings) return r;
  return {
    ...r,
    apiOrigin: list(settings['api-origin']) ?? r.apiOrigin,
    controlOrigin: list(settings['control-origin']) ?? r.controlOrigin,
    scaleOutPolicy: list(settings['scale-out-policy']) ?? r.scaleOutPolicy,
    scaleInPolicy: list(settings['scale-in-policy']) ?? r.scaleInPolicy,
    costMap: r.costMap ?? costMapOf(undefined, settings['cost-map']),
    ...(settings['enable-app'] !== undefined ? appsOf(r, settings) : {}),
  };
}

/** The apps the settings record, the room's URL and the archive's streams. */
function appsOf(r: ClusterReport, settings: Readonly<Record<string, unknown>>): Pick<ClusterReport, 'app' | 'apps' | 'appUrl' | 'archive' | 'cameras' | 'camerasUrl'> {
  const apps = (list(settings['enable-app']) ?? []).filter((a) => a !== 'none');
  const host = r.dnsName ?? r.loadBalancerDnsName;
  const roomUrl = host ? `${r.clusterUrl?.startsWith('wss:') ? 'https' : 'http'}://${host}/app/` : null;
  const bucket = r.bucket ?? (typeof settings['aws-s3-bucket-name'] === 'string' ? settings['aws-s3-bucket-name'] : null);
  const streams = apps.includes('audio-archive') && Array.isArray(settings.streams) ? (settings.streams as unknown[]) : [];
  const archive = streams.flatMap((x): ArchiveStream[] => {
    const o = (x ?? {}) as Record<string, unknown>;
    if (typeof o.name !== 'string') return [];
    return [{ stream: o.name, segmentSeconds: Number(o['segment-seconds'] ?? 300), location: `s3://${bucket ?? '<bucket>'}/final/${o.name}/`, alarm: archiveAlarmName(r.name, o.name) }];
  });
  const relay = apps.includes('kvs-relay');
  const page = apps.includes('cameras');
  const cameras = (relay || page) && Array.isArray(settings.cameras) ? (settings.cameras as unknown[]) : [];
  const reportCameras = cameras.flatMap((x, i): ReportCamera[] => {
    const o = (x ?? {}) as Record<string, unknown>;
    if (typeof o.name !== 'string') return [];
    return [{ camera: o.name, retentionDays: Number(o['retention-days'] ?? 7), stream: relay ? (r.cameraStreams[cameraStreamId(i)] ?? null) : null, recordings: page ? `s3://${bucket ?? '<bucket>'}/cameras/${o.name}/` : null }];
  });
  return {
    app: apps.length === 0 ? 'none' : apps.join(','),
    apps,
    appUrl: apps.includes('room') ? (r.appUrl ?? roomUrl) : null,
    archive,
    cameras: reportCameras,
    camerasUrl: page && roomUrl ? `${roomUrl}cameras` : null,
  };
}

/** Assembles the report. Pure: the inputs come from a constant number of AWS calls. */
export function buildReport(f: ClusterFacts): ClusterReport {
  const { stack } = f;
  const groupOf = (logicalId: string) => {
    const name = f.resources.find((r) => r.logicalId === logicalId)?.physicalId;
    return f.groups.find((g) => g.name === name);
  };
  const nodes = groupOf('NodeGroup');
  const appGroup = groupOf('AppGroup');
  const recorders = groupOf('RecorderGroup');
  const members = (g: AutoScalingGroup | undefined) =>
    g ? f.instances.filter((i) => g.instanceIds.includes(i.id) && i.state !== 'terminated').map(toReportInstance) : [];
  const out = (key: string) => (stack.outputs[key] ? stack.outputs[key] : null);

  return withSettings({
    name: stack.name,
    region: f.region,
    stackId: stack.id,
    status: stack.status,
    statusReason: stack.statusReason ?? null,
    version: stack.tags[KMS_VERSION_TAG_KEY] ?? stack.parameters.KmsVersion ?? null,
    created: new Date(stack.created).toISOString(),
    updated: stack.updated !== undefined ? new Date(stack.updated).toISOString() : null,
    // The path of the URL is the api key, a secret: shown masked; it is read from the cluster secret.
    clusterUrl: out('ClusterEndpoint') ? `${out('ClusterEndpoint')}/********` : out('ClusterUrl'),
    dnsName: out('DnsName'),
    loadBalancerDnsName: out('LoadBalancerDnsName'),
    cnameNote: out('ManualCname'),
    capacity: nodes ? { min: nodes.min, max: nodes.max, desired: nodes.desired } : null,
    instances: members(nodes),
    app: stack.parameters.EnableApp === 'true' ? 'room' : 'none',
    apps: stack.parameters.EnableApp === 'true' ? ['room'] : [],
    appUrl: out('AppUrl'),
    appInstances: members(appGroup),
    archive: [],
    cameras: [],
    camerasUrl: null,
    cameraStreams: Object.fromEntries(f.resources.filter((x) => x.type === 'AWS::KinesisVideo::Stream' && x.physicalId).map((x) => [x.logicalId, x.physicalId as string])),
    recorderInstances: members(recorders),
    bucket: out('BucketName'),
    secretArn: out('SecretArn'),
    parameters: reportParameters(stack.parameters),
    tags: stack.tags,
    apiOrigin: null,
    controlOrigin: null,
    scaleOutPolicy: null,
    scaleInPolicy: null,
    costMap: costMapOf(stack.parameters.CostMap, undefined),
    terminationProtection: stack.terminationProtection,
  }, f.settings);
}

/** Tags the tool sets itself (`elasticrtc:…`), left out of the text report: the report shows them otherwise. */
const OWN_TAG = /^elasticrtc:/;

/** A build parameter as people read it: the cost map as `K=V,…`, enable-app as its value. */
function shownParameter(flag: string, value: string, r: ClusterReport): string {
  if (value === '') return '-';
  if (flag === 'cost-map') return r.costMap ? Object.entries(r.costMap).map(([k, v]) => `${k}=${v}`).join(',') : value;
  if (flag === 'enable-app') return r.app;
  return value;
}

const instanceLine = (i: ReportInstance) => `    ${i.id}: ${i.type} - ${i.privateIp ?? 'none'}/${i.publicIp ?? 'none'}${i.state === 'running' ? '' : ` (${i.state})`}`;

/** The text report, on stdout. */
export function renderReport(r: ClusterReport): string {
  const lines = [`Cluster ${r.name} (${r.region})`];
  const field = (label: string, value: string) => lines.push(`  ${`${label}:`.padEnd(14)} ${value}`);
  field('Status', r.statusReason && r.status.endsWith('FAILED') ? `${r.status} (${r.statusReason})` : r.status);
  field('Version', r.version ?? 'unknown');
  field('Cluster URL', r.clusterUrl ?? 'not available yet');
  if (r.cnameNote) lines.push(`  Note: create this DNS record yourself: ${r.cnameNote}`);
  const size = r.capacity ? (r.capacity.min === r.capacity.max ? ` (fixed size ${r.capacity.desired})` : ` (min ${r.capacity.min}, desired ${r.capacity.desired}, max ${r.capacity.max})`) : '';
  field('Instances', `${r.instances.length}${size}`);
  lines.push(...r.instances.map(instanceLine));
  field('App', r.app);
  if (r.apps.some((a) => a !== 'audio-archive')) {
    if (r.apps.includes('room')) field('App URL', r.appUrl ?? 'not available yet');
    if (r.apps.includes('cameras')) field('Cameras page', r.camerasUrl ?? 'not available yet');
    if (r.cameras.length > 0) {
      field('Cameras', String(r.cameras.length));
      lines.push(...r.cameras.map((c) => `    ${c.camera}: ${[...(r.apps.includes('kvs-relay') ? [`Kinesis video stream ${c.stream ?? 'not created yet'}`] : []), ...(c.recordings ? [`recordings ${c.recordings}`] : [])].join(', ')} (kept ${c.retentionDays} day${c.retentionDays === 1 ? '' : 's'})`));
    }
    field('App nodes', String(r.appInstances.length));
    lines.push(...r.appInstances.map(instanceLine));
  }
  if (r.apps.includes('audio-archive')) {
    field('Archive', `${r.archive.length} stream${r.archive.length === 1 ? '' : 's'}, recorded by two recorders`);
    lines.push(...r.archive.map((a) => `    ${a.stream}: ${a.segmentSeconds} s segments → ${a.location} (alarm ${a.alarm})`));
    field('Recorders', String(r.recorderInstances.length));
    lines.push(...r.recorderInstances.map(instanceLine));
  }
  if (r.bucket) field('Bucket', `${r.bucket} (kept when the cluster is deleted)`);
  if (r.secretArn) field('Secret', `${r.secretArn} (api key, inspector login)`);
  if (r.apiOrigin) field('API origin', r.apiOrigin.join(', '));
  if (r.controlOrigin) field('SSH origin', r.controlOrigin.join(', '));
  if (r.scaleOutPolicy) field('Scale out', r.scaleOutPolicy.join(', ') || 'none');
  if (r.scaleInPolicy) field('Scale in', r.scaleInPolicy.join(', ') || 'none');
  field('Protected', r.terminationProtection ? 'yes (termination protection on: delete refuses it)' : 'no');
  const tags = Object.entries(r.tags).filter(([k]) => !OWN_TAG.test(k));
  if (tags.length > 0) field('Tags', tags.map(([k, v]) => `${k}=${v}`).join(', '));
  field('Created', r.created);
  lines.push('  Build parameters:');
  const width = Math.max(0, ...Object.keys(r.parameters).map((k) => k.length));
  for (const [k, v] of Object.entries(r.parameters)) lines.push(`    ${k.padEnd(width)}  ${shownParameter(k, v, r)}`);
  return lines.join('\n');
}
