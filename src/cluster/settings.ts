import { type AudioStream, parseStreamsSetting } from './audio-streams.js';
import { type Camera, CAMERA_APPS, parseCamerasSetting } from './cameras.js';
import { DEFAULT_COST_MAP, parseCostMap } from './cost-map.js';
import { checkStackName } from './naming.js';
import { checkBucketName, checkCertificateArn, defaultBucketName, normaliseZoneId, parseTransport, ZONE_ID_EXPECTED } from './names.js';
import { type Parsed, fail, ok, parseCidrList, parseInteger, parseTags } from './parse.js';
import { checkPolicies, parsePolicy, type PolicyStep } from './policies.js';
import type { Problem } from './problems.js';
import { type AppName, APPS, choicesOf, numericDefault, patternOf, rangeOf, setting, type SettingName } from './setting-table.js';
import { DEFAULT_KMS_VERSION, isVersion } from './versions.js';

export type LogStorage = 'cloudwatch' | 's3' | 'elasticsearch' | 'none';
export type Tls = { kind: 'none' } | { kind: 'files'; certFile: string; keyFile: string } | { kind: 'acm'; arn: string };

/** Secrets the user gave; generated ones are made at create time and never live in settings. */
export interface GivenSecrets {
  apiKey?: string;
  inspectorPassword?: string;
  elasticsearchPassword?: string;
}

/** The validated description of a cluster: everything the template is rendered from. */
export interface ClusterSettings {
  stackName: string;
  region: string;
  kmsVersion: string;
  instanceType: string;
  /** The instance type of the application tiers: the room demo and audio-archive's recorders. */
  appInstanceType: string;
  tenancy: 'default' | 'dedicated';
  keyName?: string;
  bucketName: string;
  apiOrigin: string[];
  controlOrigin: string[];
  tls: Tls;
  hostedZoneId?: string;
  capacity: { min: number; max: number; desired: number };
  scaleOut: PolicyStep[];
  scaleIn: PolicyStep[];
  costMap: Record<string, number>;
  logStorage: LogStorage;
  elasticsearch?: { host: string; port: number; ssl: boolean; user?: string };
  inspectorUser: string;
  turn: boolean;
  /**
   * The cluster applications (`--enable-app`), none to all: `room`, the group call demo at /app
   * (`elasticrtc-node room` on a group of its own); `audio-archive`, the streams recorded by two recorders.
   */
  apps: AppName[];
  /** audio-archive's streams (`streams:` of a config file); their URLs go to the cluster secret only. */
  streams: AudioStream[];
  /** The cameras of kvs-relay and the cameras app (`cameras:` of a config file); their URLs go to the cluster secret only. */
  cameras: Camera[];

  healthCheckGracePeriod: number;
  heartbeatTimeout: number;
  reconnectionTime: number;
  tags: Record<string, string>;
  secrets: GivenSecrets;
}

/** Settings as given: keyed by long flag name, values as the parser or a config file delivers them. */
export type RawSettings = Readonly<Record<string, unknown>>;

/** What validation may warn about without failing. */
export interface SettingsWarning {
  flag: string;
  message: string;
}

// Patterns, ranges, choices and defaults are declared once, in setting-table.ts.
const defaultOf = (name: SettingName): string => setting(name).default ?? '';
export const DEFAULT_INSTANCE_TYPE = defaultOf('aws-instance-type');
export const OPEN_TO_WORLD = '0.0.0.0/0';
export const DEFAULT_SCALE_OUT = defaultOf('scale-out-policy');
export const DEFAULT_SCALE_IN = defaultOf('scale-in-policy');
const INSTANCE_TYPE = patternOf('aws-instance-type');
const KEY_NAME = patternOf('aws-key-name');
const API_KEY = patternOf('api-key');
const USER = patternOf('inspector-user');
const PASSWORD = patternOf('inspector-pass');

/**
 * The room server reaches the cluster as any application does, through its public URL: from an address
 * the API rules let in, and, with TLS, by the name the certificate covers.
 */
export const ROOM_NEEDS_OPEN_API = 'needs --api-origin 0.0.0.0/0: the room server reaches the cluster through its public URL from an address not known in advance (docs/apps.md)';
export const ROOM_NEEDS_NAME = 'with TLS needs --hosted-zone-id: the room server reaches the cluster at wss://<its DNS name>, the name the certificate covers (docs/apps.md)';

export const ARCHIVE_NEEDS_STREAMS = 'needs streams: in the config file, a list of {name, url, segment-seconds} (docs/apps.md#audio-archive)';
export const STREAMS_NEED_APP = 'are recorded only with --enable-app audio-archive: add it, or remove streams:';
export const CAMERA_APP_NEEDS_CAMERAS = 'needs cameras: in the config file, a list of {name, url, retention-days} (docs/apps.md#rtsp-cameras-kvs-relay-and-cameras)';
export const CAMERAS_NEED_APP = 'are used only with --enable-app kvs-relay or cameras: add one, or remove cameras:';
/** The cameras page's live view is a Kurento client like the room server: it reaches the cluster the same way. */
export const CAMERAS_NEED_OPEN_API = 'needs --api-origin 0.0.0.0/0: its live view reaches the cluster through its public URL from an address not known in advance (docs/apps.md)';
export const CAMERAS_NEED_NAME = 'with TLS needs --hosted-zone-id: its live view reaches the cluster at wss://<its DNS name>, the name the certificate covers (docs/apps.md)';

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));
/** A boolean setting: the parser's boolean, or `true`/`false` (a config file's or the 2016 tool's); else a problem. */
function flagBool(flag: string, v: unknown, problems: Problem[]): boolean | undefined {
  if (typeof v === 'boolean' || v === undefined) return v;
  const word = String(v).trim().toLowerCase();
  if (word === 'true' || word === 'false') return word === 'true';
  problems.push({ flag, value: String(v), expected: 'expected true or false' });
  return undefined;
}

/** `--desired-capacity`, `--min-capacity`, `--max-capacity`: 0 ≤ min ≤ desired ≤ max ≤ 100, max ≥ 1. */
export function parseCapacity(raw: RawSettings): Parsed<ClusterSettings['capacity']> {
  const problems: Problem[] = [];
  const num = (flag: string, min: number) => {
    if (raw[flag] === undefined) return undefined;
    const r = parseInteger(flag, raw[flag], min, 100);
    if (!r.ok) problems.push(...r.problems);
    return r.ok ? r.value : undefined;
  };
  const desired = num('desired-capacity', 0);
  const min = num('min-capacity', 0);
  const max = num('max-capacity', 1);
  if (problems.length > 0) return { ok: false, problems };

  const hasMin = raw['min-capacity'] !== undefined;
  const hasMax = raw['max-capacity'] !== undefined;
  if (hasMin !== hasMax) {
    const [given, missing] = hasMin ? ['min-capacity', 'max-capacity'] : ['max-capacity', 'min-capacity'];
    return fail(given, String(raw[given]), `needs --${missing} too: give both for autoscaling, or neither for a fixed size (--desired-capacity)`);
  }
  if (min === undefined || max === undefined) {
    const size = desired ?? 1;
    if (size < 1) return fail('desired-capacity', String(size), 'must be at least 1 for a fixed-size cluster (give --min-capacity 0 and --max-capacity for autoscaling)');
    return ok({ min: size, max: size, desired: size });
  }
  if (min > max) return fail('min-capacity', String(min), `is above --max-capacity ${max}`);
  const want = desired ?? Math.max(min, 1);
  if (want < min) return fail('desired-capacity', String(want), `is below --min-capacity ${min}`);
  if (want > max) return fail('desired-capacity', String(want), `is above --max-capacity ${max}`);
  return ok({ min, max, desired: want });
}

function choice<T extends string>(flag: string, raw: unknown, choices: readonly T[], fallback: T, problems: Problem[]): T {
  const value = text(raw);
  if (value === undefined) return fallback;
  const found = choices.find((c) => c === value.toLowerCase());
  if (found) return found;
  problems.push({ flag, value, expected: `expected one of ${choices.join(', ')}` });
  return fallback;
}

/** `--enable-app`: none, or a comma-separated set of apps (a config file's list arrives comma-joined). */
function parseApps(raw: unknown, problems: Problem[]): AppName[] {
  const value = text(Array.isArray(raw) ? raw.join(',') : raw);
  if (value === undefined) return [];
  const items = value.split(',').map((x) => x.trim().toLowerCase());
  if (items.length === 1 && items[0] === 'none') return [];
  const apps: AppName[] = [];
  for (const item of items) {
    const found = APPS.find((a) => a === item);
    if (!found) problems.push({ flag: 'enable-app', value: item, expected: `expected none, or any of ${APPS.join(', ')} separated by commas` });
    else if (!apps.includes(found)) apps.push(found);
  }
  // One order whatever order they were given in: the template, the report and the settings read the same.
  return APPS.filter((a) => apps.includes(a));
}

/** A whole number of seconds in the setting's declared range, or its default. */
function seconds(flag: SettingName, raw: unknown, problems: Problem[]): number {
  const { min, max } = rangeOf(flag);
  if (raw === undefined) return numericDefault(flag);
  const r = parseInteger(flag, raw, min, max);
  if (!r.ok) problems.push(...r.problems.map((p) => ({ ...p, expected: `expected whole seconds from ${min} to ${max}` })));
  return r.ok ? r.value : numericDefault(flag);
}

function matching(flag: string, raw: unknown, pattern: RegExp, expected: string, problems: Problem[], secret = false): string | undefined {
  const value = text(raw);
  if (value === undefined) return undefined;
  if (!pattern.test(value)) problems.push({ flag, value: secret ? '' : value, expected: secret ? `${expected} (value not shown)` : expected });
  return value;
}

/** Why `--certificate-arn` with `--ssl-cert`/`--ssl-key` is refused. */
export const TLS_SOURCES_COMBINED = 'cannot be combined with --ssl-cert/--ssl-key: give a certificate already in ACM, or the files to import';

function tlsFrom(raw: RawSettings, region: string, problems: Problem[]): Tls {
  const cert = text(raw['ssl-cert']);
  const key = text(raw['ssl-key']);
  const arn = text(raw['certificate-arn']);
  if (arn !== undefined) {
    if (cert !== undefined || key !== undefined) problems.push({ flag: 'certificate-arn', value: arn, expected: TLS_SOURCES_COMBINED });
    problems.push(...checkCertificateArn(arn, region));
    return { kind: 'acm', arn };
  }
  if (cert !== undefined && key === undefined) problems.push({ flag: 'ssl-cert', value: cert, expected: 'needs --ssl-key with the certificate’s private key' });
  if (key !== undefined && cert === undefined) problems.push({ flag: 'ssl-key', value: key, expected: 'needs --ssl-cert with the certificate (the 2016 tool silently ignored a lone key)' });
  return cert !== undefined && key !== undefined ? { kind: 'files', certFile: cert, keyFile: key } : { kind: 'none' };
}

/**
 * Validates every setting (pure: no AWS, no files) and returns the settings, the warnings, or every
 * problem found, so the user sees all mistakes at once. `region` was resolved beforehand. `streamUrlsKept`:
 * an update, whose recorded streams and cameras have no URL (they stay in the cluster secret).
 */
export function resolveSettings(raw: RawSettings, region: string, knownVersions: readonly string[], options: { streamUrlsKept?: boolean } = {}): Parsed<ClusterSettings> & { warnings?: SettingsWarning[] } {
  const problems: Problem[] = [];
  const warnings: SettingsWarning[] = [];
  const take = <T>(r: Parsed<T>): T | undefined => {
    if (r.ok) return r.value;
    problems.push(...r.problems);
    return undefined;
  };

  const stackName = text(raw['stack-name']) ?? '';
  problems.push(...checkStackName(stackName));

  const kmsVersion = text(raw.version) ?? DEFAULT_KMS_VERSION;
  if (!isVersion(kmsVersion) || !knownVersions.includes(kmsVersion)) {
    problems.push({ flag: 'version', value: kmsVersion, expected: `is not a deployable Kurento version; expected one of ${knownVersions.join(', ')}` });
  }
  const instanceType = matching('aws-instance-type', raw['aws-instance-type'], INSTANCE_TYPE, 'expected an EC2 instance type such as c7i.large', problems) ?? DEFAULT_INSTANCE_TYPE;
  const appInstanceType = matching('aws-app-instance-type', raw['aws-app-instance-type'], INSTANCE_TYPE, 'expected an EC2 instance type such as t3.small', problems) ?? instanceType;
  const tenancyRaw = text(raw['aws-instance-tenancy']);
  let tenancy: ClusterSettings['tenancy'] = 'default';
  if (tenancyRaw === 'host') {
    problems.push({ flag: 'aws-instance-tenancy', value: 'host', expected: 'is not possible for an autoscaling group launched from a launch template without a host resource group and license configuration; use dedicated for single-tenant hardware' });
  } else {
    tenancy = choice('aws-instance-tenancy', tenancyRaw, choicesOf('aws-instance-tenancy') as ClusterSettings['tenancy'][], 'default', problems);
  }
  const keyName = matching('aws-key-name', raw['aws-key-name'], KEY_NAME, 'expected the name of an EC2 key pair (1-255 printable ASCII characters)', problems);

  // A given name is taken as given (S3 names are lowercase: an uppercase letter is refused, not folded);
  // only the default, made from the stack name, is lowercased.
  const bucketName = text(raw['aws-s3-bucket-name']) ?? defaultBucketName(region, stackName);
  if (raw['aws-s3-bucket-name'] !== undefined || checkStackName(stackName).length === 0) {
    const bucketProblems = checkBucketName(bucketName);
    problems.push(
      ...(raw['aws-s3-bucket-name'] === undefined
        ? bucketProblems.map((p) => ({ ...p, expected: `(the default <region>-<stack-name>) ${p.expected}; choose one with --aws-s3-bucket-name` }))
        : bucketProblems),
    );
  }

  const apiKey = matching('api-key', raw['api-key'], API_KEY, 'expected 8 to 128 letters and digits', problems, true);
  if (apiKey !== undefined && apiKey.length < 16) warnings.push({ flag: 'api-key', message: 'the API key is shorter than 16 characters; anyone who guesses it can use the cluster' });
  const apiOrigin = take(parseCidrList('api-origin', text(raw['api-origin']) ?? OPEN_TO_WORLD));
  const controlOrigin = take(parseCidrList('control-origin', text(raw['control-origin']) ?? OPEN_TO_WORLD));
  const tls = tlsFrom(raw, region, problems);
  const zoneRaw = text(raw['hosted-zone-id']);
  const hostedZoneId = zoneRaw === undefined ? undefined : normaliseZoneId(zoneRaw);
  if (zoneRaw !== undefined && hostedZoneId === undefined) problems.push({ flag: 'hosted-zone-id', value: zoneRaw, expected: ZONE_ID_EXPECTED });

  const capacity = take(parseCapacity(raw));
  const scaleOut = take(parsePolicy('scale-out-policy', text(raw['scale-out-policy']) ?? DEFAULT_SCALE_OUT));
  const scaleIn = take(parsePolicy('scale-in-policy', text(raw['scale-in-policy']) ?? DEFAULT_SCALE_IN));
  if (scaleOut && scaleIn) problems.push(...checkPolicies(scaleOut, scaleIn));
  const costMap = raw['cost-map'] === undefined ? { ...DEFAULT_COST_MAP } : take(parseCostMap(String(raw['cost-map'])));

  let logStorage = choice('log-storage', raw['log-storage'], choicesOf('log-storage') as LogStorage[], 'cloudwatch', problems);
  let elasticsearch: ClusterSettings['elasticsearch'];
  const transport = text(raw['elasticsearch-transport']);
  const esUser = matching('elasticsearch-user', raw['elasticsearch-user'], USER, 'expected 1-64 letters, digits, dots, underscores or hyphens', problems);
  const esPassword = matching('elasticsearch-password', raw['elasticsearch-password'], PASSWORD, 'expected 8 to 128 printable characters without spaces', problems, true);
  const esSsl = flagBool('elasticsearch-ssl', raw['elasticsearch-ssl'], problems);
  if (logStorage === 'elasticsearch' && transport === undefined) {
    warnings.push({ flag: 'log-storage', message: 'elasticsearch needs --elasticsearch-transport; logs go to cloudwatch instead' });
    logStorage = 'cloudwatch';
  } else if (transport !== undefined) {
    const parsed = parseTransport(transport);
    if ('flag' in parsed) problems.push(parsed);
    else if (logStorage === 'elasticsearch') elasticsearch = { ...parsed, ssl: esSsl ?? false, ...(esUser ? { user: esUser } : {}) };
    if (logStorage !== 'elasticsearch') warnings.push({ flag: 'elasticsearch-transport', message: `ignored: --log-storage is ${logStorage}` });
  }
  if (esPassword !== undefined && esUser === undefined) problems.push({ flag: 'elasticsearch-password', value: '', expected: 'needs --elasticsearch-user' });

  const inspectorUser = matching('inspector-user', raw['inspector-user'], USER, 'expected 1-64 letters, digits, dots, underscores or hyphens', problems) ?? defaultOf('inspector-user');
  const inspectorPassword = matching('inspector-pass', raw['inspector-pass'], PASSWORD, 'expected 8 to 128 printable characters without spaces', problems, true);
  if (inspectorPassword !== undefined && inspectorPassword === inspectorUser) problems.push({ flag: 'inspector-pass', value: '', expected: 'must not equal --inspector-user (value not shown)' });

  const turnRaw = text(raw['enable-turn']);
  let turn = true;
  if (turnRaw !== undefined) {
    const b = ['true', 'false'].includes(turnRaw.toLowerCase()) ? turnRaw.toLowerCase() === 'true' : undefined;
    if (b === undefined) problems.push({ flag: 'enable-turn', value: turnRaw, expected: 'expected true or false' });
    else turn = b;
  }
  const apps = parseApps(raw['enable-app'], problems);
  if (apps.includes('room') && apiOrigin && !apiOrigin.includes(OPEN_TO_WORLD)) problems.push({ flag: 'enable-app', value: 'room', expected: ROOM_NEEDS_OPEN_API });
  if (apps.includes('room') && tls.kind !== 'none' && hostedZoneId === undefined) problems.push({ flag: 'enable-app', value: 'room', expected: ROOM_NEEDS_NAME });
  if (apps.includes('cameras') && apiOrigin && !apiOrigin.includes(OPEN_TO_WORLD)) problems.push({ flag: 'enable-app', value: 'cameras', expected: CAMERAS_NEED_OPEN_API });
  if (apps.includes('cameras') && tls.kind !== 'none' && hostedZoneId === undefined) problems.push({ flag: 'enable-app', value: 'cameras', expected: CAMERAS_NEED_NAME });
  let cameras: Camera[] = [];
  const cameraApps = CAMERA_APPS.filter((a) => apps.includes(a));
  if (raw.cameras !== undefined) {
    const parsed = parseCamerasSetting(raw.cameras, options.streamUrlsKept);
    problems.push(...parsed.problems);
    cameras = parsed.cameras;
    if (cameraApps.length === 0) problems.push({ flag: 'cameras', value: parsed.cameras.map((x) => x.name).join(','), expected: CAMERAS_NEED_APP });
  } else {
    for (const app of cameraApps) problems.push({ flag: 'enable-app', value: app, expected: CAMERA_APP_NEEDS_CAMERAS });
  }
  let streams: AudioStream[] = [];
  if (raw.streams !== undefined) {
    const parsed = parseStreamsSetting(raw.streams, options.streamUrlsKept);
    problems.push(...parsed.problems);
    streams = parsed.streams;
    if (!apps.includes('audio-archive')) problems.push({ flag: 'streams', value: parsed.streams.map((x) => x.name).join(','), expected: STREAMS_NEED_APP });
  } else if (apps.includes('audio-archive')) {
    problems.push({ flag: 'enable-app', value: 'audio-archive', expected: ARCHIVE_NEEDS_STREAMS });
  }
  const healthCheckGracePeriod = seconds('health-check-grace-period', raw['health-check-grace-period'], problems);
  // At most an hour: the load balancer keeps a leaving node's sessions for as long (its limit is 3600 s).
  const heartbeatTimeout = seconds('autoscaling-heartbeat-timeout', raw['autoscaling-heartbeat-timeout'], problems);
  const reconnectionTime = seconds('session-reconnection-time', raw['session-reconnection-time'], problems);
  const tags = take(parseTags('tags', text(raw.tags) ?? ''));
  // Each origin block takes one or two firewall rules; a security group holds 60 inbound rules by default.
  const distinctOrigins = new Set([...(apiOrigin ?? []), ...(controlOrigin ?? [])]).size;
  if (distinctOrigins > 25) problems.push({ flag: 'api-origin', value: `${distinctOrigins} blocks`, expected: 'with --control-origin, at most 25 distinct CIDR blocks fit the load balancer firewall; use wider blocks' });

  if (problems.length > 0 || !capacity || !apiOrigin || !controlOrigin || !tags || !scaleOut || !scaleIn || !costMap) return { ok: false, problems };
  const secrets: GivenSecrets = {
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(inspectorPassword !== undefined ? { inspectorPassword } : {}),
    ...(esPassword !== undefined ? { elasticsearchPassword: esPassword } : {}),
  };
  return {
    ok: true,
    warnings,
    value: {
      stackName,
      region,
      kmsVersion,
      instanceType,
      appInstanceType,
      tenancy,
      ...(keyName !== undefined ? { keyName } : {}),
      bucketName,
      apiOrigin,
      controlOrigin,
      tls,
      ...(hostedZoneId !== undefined ? { hostedZoneId } : {}),
      capacity,
      scaleOut,
      scaleIn,
      costMap,
      logStorage,
      ...(elasticsearch ? { elasticsearch } : {}),
      inspectorUser,
      turn,
      apps,
      streams,
      cameras,
      healthCheckGracePeriod,
      heartbeatTimeout,
      reconnectionTime,
      tags,
      secrets,
    },
  };
}
