import type { Problem } from './problems.js';
import baseTemplate from '../../templates/cluster.yaml';
import { alarmPeriod } from './audio-streams.js';
import { NODE_RELEASE, type RuntimeRef } from './node-runtime.js';
import { scaleInSteps, scaleOutSteps } from './policies.js';
import { settingsToFlags } from './settings-file.js';
import type { ClusterSettings } from './settings.js';
import type { CfnResource, CfnTemplate, IngressRule } from './template-types.js';

/** What a create or update sends to CloudFormation. */
export interface RenderedStack {
  template: CfnTemplate;
  /** The template exactly as sent (compact JSON: smaller than YAML, under the 51,200-byte inline limit). */
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

/** What only AWS can say, decided before rendering (preflight): never a secret value. */
export interface RenderInputs {
  toolVersion: string;
  /** The cluster secret's ARN (a placeholder in dry runs, where nothing is created). */
  secretArn: string;
  /** The ACM certificate serving wss://, when TLS is on. */
  certificateArn?: string;
  /** The cluster's DNS name, when it has one of its own (from the certificate or the hosted zone). */
  dnsName?: string;
  /** The node runtime bundle in the cluster bucket (stored there by the CLI before the stack). */
  runtime: RuntimeRef;
  /** The user's image for a version that is not an official release. */
  ownImageId?: string;
  /** Two availability zones offering the instance types (preflight); else the region's first two. */
  zones?: readonly [string, string];
}

/** Stack tags that identify a cluster; `list`, `show` and `delete` rely on them. */
export const CLUSTER_TAG = 'elasticrtc:cluster';
export const KMS_VERSION_TAG_KEY = 'elasticrtc:kms-version';
export const TOOL_VERSION_TAG = 'elasticrtc:tool-version';

/** The placeholder secret ARN of a dry run. */
export const DRY_RUN_SECRET_ARN = 'arn:aws:secretsmanager:REGION:ACCOUNT:secret:elasticrtc/STACK (created at create time)';

const UBUNTU_IMAGE = (arch: 'amd64' | 'arm64') => `/aws/service/canonical/ubuntu/server/24.04/stable/current/${arch}/hvm/ebs-gp3/ami-id`;

/** Graviton families carry a `g` after the generation digit (c7g, m8g, t4g, c7gn). */
export const isArmInstanceType = (type: string): boolean => /^[a-z]+\d+g[a-z]*\./.test(type);

const ingress = (cidrs: readonly string[], port: number, description: string): IngressRule[] =>
  cidrs.map((CidrIp) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp, Description: description }));

/** ALB rules take five condition values at most: the path takes one, so four source blocks per rule. */
const SOURCES_PER_RULE = 4;

/** One listener rule per group of `--api-origin` blocks, forwarding only `/<api-key>` to the nodes. */
function apiRules(apiOrigin: readonly string[]): Record<string, CfnResource> {
  const open = apiOrigin.includes('0.0.0.0/0');
  const groups: (readonly string[] | undefined)[] = open ? [undefined] : [];
  for (let i = 0; !open && i < apiOrigin.length; i += SOURCES_PER_RULE) groups.push(apiOrigin.slice(i, i + SOURCES_PER_RULE));
  const rules: Record<string, CfnResource> = {};
  groups.forEach((sources, i) => {
    rules[`ApiRule${i + 1}`] = {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Metadata: { 'elasticrtc:label': `API route${groups.length > 1 ? ` ${i + 1}` : ''}` },
      Properties: {
        ListenerArn: { 'Fn::If': ['HasTls', { Ref: 'HttpsListener' }, { Ref: 'HttpListener' }] },
        Priority: 10 + i,
        Conditions: [
          // The api key stays in Secrets Manager: CloudFormation resolves it when it creates the rule.
          { Field: 'path-pattern', PathPatternConfig: { Values: [{ 'Fn::Sub': '/{{resolve:secretsmanager:${ClusterSecretArn}:SecretString:apiKey}}' }] } },
          ...(sources ? [{ Field: 'source-ip', SourceIpConfig: { Values: [...sources] } }] : []),
        ],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'NodeTargetGroup' } }],
      },
    };
  });
  return rules;
}

/** Two path values (the page and what lies under it) leave three source blocks per rule. */
const SOURCES_PER_PREFIX_RULE = 3;

/**
 * Rules that forward a path prefix (`/inspector`, `/app`) from the given blocks only: one rule per three
 * blocks, none needed for the open internet. Elsewhere the listener answers 404.
 */
function prefixRules(name: string, label: string, prefix: string, origin: readonly string[], priority: number, target: string): Record<string, CfnResource> {
  const open = origin.includes('0.0.0.0/0');
  const groups: (readonly string[] | undefined)[] = open ? [undefined] : [];
  for (let i = 0; !open && i < origin.length; i += SOURCES_PER_PREFIX_RULE) groups.push(origin.slice(i, i + SOURCES_PER_PREFIX_RULE));
  return Object.fromEntries(
    groups.map((sources, i) => [
      `${name}${i + 1}`,
      {
        Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
        Metadata: { 'elasticrtc:label': `${label}${groups.length > 1 ? ` ${i + 1}` : ''}` },
        Properties: {
          ListenerArn: { 'Fn::If': ['HasTls', { Ref: 'HttpsListener' }, { Ref: 'HttpListener' }] },
          Priority: priority + i,
          Conditions: [
            { Field: 'path-pattern', PathPatternConfig: { Values: [prefix, `${prefix}/*`] } },
            ...(sources ? [{ Field: 'source-ip', SourceIpConfig: { Values: [...sources] } }] : []),
          ],
          Actions: [{ Type: 'forward', TargetGroupArn: { Ref: target } }],
        },
      } satisfies CfnResource,
    ]),
  );
}

/** What a tier's launcher differs in from the nodes'. */
interface TierLauncher {
  /** The group whose creation policy the tier's instances signal. */
  group: string;
  role: 'app' | 'recorder';
  securityGroup: string;
  /** The tier's own instance profile (see tierRole). */
  profile: string;
  /** The instances' Name tag: `<name>-<stack>`. */
  name: string;
  label: string;
  /** More `KEY=value` lines of the env file. */
  env?: string;
}

/**
 * A tier's launch template: the nodes' launcher, cloned, on Ubuntu's image and the app instance type, with
 * another role and the tier's group to signal (the launcher's own failure signal included).
 */
/**
 * A tier's own role and instance profile, with only what its nodes do: read the cluster secret, fetch
 * the node runtime from the bucket, signal their group, and `statements` (least privilege: a room or
 * recorder node cannot drain, discover or record like a media node).
 */
function tierRole(prefix: string, label: string, statements: Record<string, unknown>[]): Record<string, CfnResource> {
  const bucket = (path: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${BucketName}/${path}` });
  return {
    [`${prefix}Role`]: {
      Type: 'AWS::IAM::Role',
      Metadata: { 'elasticrtc:label': `${label} role` },
      Properties: {
        Path: '/elasticrtc/',
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        ManagedPolicyArns: [{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore' }],
        Policies: [
          {
            PolicyName: `cluster-${prefix.toLowerCase()}`,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                { Sid: 'ReadClusterSecret', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: 'ClusterSecretArn' } },
                { Sid: 'NodeRuntime', Effect: 'Allow', Action: 's3:GetObject', Resource: bucket('runtime/*') },
                { Sid: 'Signal', Effect: 'Allow', Action: 'cloudformation:SignalResource', Resource: { Ref: 'AWS::StackId' } },
                ...statements,
              ],
            },
          },
        ],
      },
    },
    [`${prefix}InstanceProfile`]: {
      Type: 'AWS::IAM::InstanceProfile',
      Metadata: { 'elasticrtc:label': `${label} instance profile` },
      Properties: { Path: '/elasticrtc/', Roles: [{ Ref: `${prefix}Role` }] },
    },
  };
}

function tierLauncher(template: CfnTemplate, s: ClusterSettings, t: TierLauncher): CfnResource {
  const node = template.Resources.NodeLaunchTemplate;
  if (!node) throw new Error('the template has no NodeLaunchTemplate');
  const launch = structuredClone(node);
  const data = launch.Properties?.LaunchTemplateData as Record<string, unknown>;
  const arch = isArmInstanceType(s.appInstanceType) ? 'arm64' : 'amd64';
  data.ImageId = `{{resolve:ssm:${UBUNTU_IMAGE(arch)}}}`;
  data.InstanceType = s.appInstanceType;
  data.SecurityGroupIds = [{ 'Fn::GetAtt': [t.securityGroup, 'GroupId'] }];
  data.IamInstanceProfile = { Arn: { 'Fn::GetAtt': [`${t.profile}`, 'Arn'] } };
  data.TagSpecifications = [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: { 'Fn::Sub': `${t.name}-\${AWS::StackName}` } }] }];
  const sub = (data.UserData as { 'Fn::Base64': { 'Fn::Sub': [string, Record<string, unknown>] } })['Fn::Base64']['Fn::Sub'];
  const script = sub[0];
  if (!script.includes('LogicalResourceId=NodeGroup') || !script.includes('SIGNAL_RESOURCE=NodeGroup\n')) throw new Error('the launcher no longer names NodeGroup');
  sub[0] = script.replace('LogicalResourceId=NodeGroup', `LogicalResourceId=${t.group}`).replace('SIGNAL_RESOURCE=NodeGroup\n', `SIGNAL_RESOURCE=${t.group}\nROLE=${t.role}\n${t.env ?? ''}`);
  launch.Metadata = { 'elasticrtc:label': t.label };
  return launch;
}

/** The audio archive's alarm of one stream; `show` finds it by this name. */
export const archiveAlarmName = (stackName: string, stream: string): string => `${stackName}-audio-archive-${stream}`;

/**
 * audio-archive (docs/apps.md#audio-archive): two recorders in two zones (`ROLE=recorder`, the streams from
 * the cluster secret) with a role of their own, and one alarm per stream on a slot
 * missing from both recorders. The template holds no stream URL: only names and segment lengths.
 */
function recorderTier(template: CfnTemplate, s: ClusterSettings): Record<string, CfnResource> {
  const launch = tierLauncher(template, s, { group: 'RecorderGroup', role: 'recorder', securityGroup: 'RecorderSecurityGroup', profile: 'RecorderInstanceProfile', name: 'recorder', label: 'audio archive launch template' });
  const archive = ['staging', 'final', 'state'].map((p) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${BucketName}/${p}/*` }));
  // The recorders' own role: the archive's prefixes and metric, nothing of a media node.
  const role = tierRole('Recorder', 'audio archive', [
    { Sid: 'Archive', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: archive },
    // Without ListBucket S3 answers 403, not 404, for a missing key; the reconciler reads missing keys.
    { Sid: 'ListArchive', Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${BucketName}' } },
    { Sid: 'ArchiveMetric', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'ElasticRTC/AudioArchive' } } },
  ]);
  const ssh = s.keyName === undefined ? [] : ingress(s.controlOrigin, 22, 'SSH (--control-origin)');
  const alarms = Object.fromEntries(
    s.streams.map((stream, i) => [
      `ArchiveAlarm${i + 1}`,
      {
        Type: 'AWS::CloudWatch::Alarm',
        Metadata: { 'elasticrtc:label': `audio archive alarm ${stream.name}` },
        Properties: {
          AlarmName: { 'Fn::Sub': archiveAlarmName('${AWS::StackName}', stream.name) },
          AlarmDescription: `audio-archive: a slot of ${stream.name} missing from both recorders (or no reconciler reporting)`,
          Namespace: 'ElasticRTC/AudioArchive',
          MetricName: 'MissingSlots',
          Dimensions: [{ Name: 'Cluster', Value: { Ref: 'AWS::StackName' } }, { Name: 'Stream', Value: stream.name }],
          Statistic: 'Sum',
          Period: alarmPeriod(stream.segmentSeconds),
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          TreatMissingData: 'breaching',
        },
      } satisfies CfnResource,
    ]),
  );
  return {
    ...role,
    RecorderSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Metadata: { 'elasticrtc:label': 'audio archive firewall' },
      Properties: {
        GroupDescription: 'elasticrtc audio archive recorders: nothing inbound',
        VpcId: { Ref: 'Vpc' },
        ...(ssh.length > 0 ? { SecurityGroupIngress: ssh } : {}),
      },
    },
    RecorderLaunchTemplate: launch,
    RecorderGroup: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Metadata: { 'elasticrtc:label': 'audio archive recorders' },
      DependsOn: ['InternetRoute', 'SubnetARoutes', 'SubnetBRoutes'],
      CreationPolicy: { ResourceSignal: { Count: 2, Timeout: 'PT15M' } },
      // One recorder at a time: the other keeps recording while its peer is replaced.
      UpdatePolicy: { AutoScalingRollingUpdate: { MaxBatchSize: 1, MinInstancesInService: 1, WaitOnResourceSignals: true, PauseTime: 'PT15M' } },
      Properties: {
        AutoScalingGroupName: { 'Fn::Sub': '${AWS::StackName}-recorders' },
        // Two subnets, two zones: the group balances its two instances across them.
        VPCZoneIdentifier: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }],
        LaunchTemplate: { LaunchTemplateId: { Ref: 'RecorderLaunchTemplate' }, Version: { 'Fn::GetAtt': ['RecorderLaunchTemplate', 'LatestVersionNumber'] } },
        MinSize: '2',
        MaxSize: '2',
        DesiredCapacity: '2',
        HealthCheckType: 'EC2',
        Tags: [{ Key: 'elasticrtc:role', Value: 'recorder', PropagateAtLaunch: true }],
      },
    },
    ...alarms,
  };
}

/** The apps that run on the app tier's node (room, kvs-relay, cameras); audio-archive has its own recorders. */
export const APP_TIER_APPS = ['room', 'kvs-relay', 'cameras'] as const;

/** The Kinesis video stream of a camera (kvs-relay): its logical id, by position (camera names may hold - and _). */
export const cameraStreamId = (index: number): string => `CameraStream${index + 1}`;

/**
 * kvs-relay's streams: one per camera, with the camera's retention. CloudFormation names them (the stack's
 * name, the logical id and a suffix), so a cluster created again with the same name does not collide with
 * the streams a deleted one left. Retained: a deletion keeps the video, as it keeps the bucket.
 */
function cameraStreams(s: ClusterSettings): Record<string, CfnResource> {
  return Object.fromEntries(
    s.cameras.map((camera, i) => [
      cameraStreamId(i),
      {
        Type: 'AWS::KinesisVideo::Stream',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Metadata: { 'elasticrtc:label': `camera ${camera.name}` },
        // The stack's tags (elasticrtc:cluster among them) reach the stream: no Tags of its own, for the size limit.
        Properties: { DataRetentionInHours: camera.retentionDays * 24, MediaType: 'video/h264' },
      } satisfies CfnResource,
    ]),
  );
}

/** The app tier's HTTP servers: the room demo at /app, the cameras page at /app/cameras (matched first). */
const APP_SERVERS = {
  room: { port: 8080, group: 'AppTargetGroup', health: '/app/healthz', rule: 'AppRule', prefix: '/app', priority: 50, label: 'room demo' },
  cameras: { port: 8081, group: 'CamerasTargetGroup', health: '/app/cameras/healthz', rule: 'CamerasRule', prefix: '/app/cameras', priority: 40, label: 'cameras page' },
} as const;

/**
 * The app tier: one instance from the nodes' launch template with the app role, running the apps of
 * APP_TIER_APPS that are on (`APPS=` in its env file): the room demo (`elasticrtc-node room`, docs/apps.md),
 * kvs-relay (one pipeline per camera into its Kinesis video stream) and cameras (live HLS, the archive, the
 * page and its live view). One node, because a Kinesis video stream takes one producer and each camera is
 * recorded once. The room and the cameras page are Kurento clients of the cluster at its public URL, and
 * are served behind `/app` from `--api-origin`.
 */
function appTier(template: CfnTemplate, s: ClusterSettings, tls: boolean): Record<string, CfnResource> {
  const apps = APP_TIER_APPS.filter((a) => s.apps.includes(a));
  const servers = (['room', 'cameras'] as const).filter((a) => apps.includes(a)).map((a) => APP_SERVERS[a]);
  const relay = apps.includes('kvs-relay');
  const clusterUrl = tls ? 'wss://${DnsName}' : 'ws://${LoadBalancer.DNSName}';
  // The relay learns each camera's stream by name: CloudFormation's (Ref), substituted into the env file.
  const streams = relay ? `KVS_RELAY_STREAMS=${s.cameras.map((c, i) => `${c.name}=\${${cameraStreamId(i)}}`).join(',')}\n` : '';
  const launch = tierLauncher(template, s, { group: 'AppGroup', role: 'app', securityGroup: 'AppSecurityGroup', profile: 'AppInstanceProfile', name: 'app', label: 'applications launch template', env: `CLUSTER_URL=${clusterUrl}\nAPPS=${apps.join(',')}\n${streams}` });
  const ssh = s.keyName === undefined ? [] : ingress(s.controlOrigin, 22, 'SSH (--control-origin)');
  const bucket = (path: string) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${BucketName}${path}` });
  const statements: Record<string, unknown>[] = [
    ...(relay
      ? [
          // Only what kvssink calls, on the cluster's streams; the relay never creates one.
          { Sid: 'CameraStreams', Effect: 'Allow', Action: ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia'], Resource: s.cameras.map((_, i) => ({ 'Fn::GetAtt': [cameraStreamId(i), 'Arn'] })) },
          // kvssink, built once per cluster, is kept in the bucket for the next app node.
          { Sid: 'KvssinkCache', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: bucket('/kvssink/*') },
        ]
      : []),
    ...(apps.includes('cameras') ? [{ Sid: 'CameraRecordings', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'], Resource: bucket('/cameras/*') }] : []),
    // S3 answers 403 instead of 404 for a missing key without ListBucket (the caches and the daily job's progress).
    ...(relay || apps.includes('cameras') ? [{ Sid: 'ListBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket('') }] : []),
  ];
  const fromBalancer = { 'Fn::GetAtt': ['LoadBalancerSecurityGroup', 'GroupId'] };
  return {
    // The app node's own role: the secret, the runtime, its signal and its apps' needs; nothing of a media node.
    ...tierRole('App', 'applications', statements),
    AppSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Metadata: { 'elasticrtc:label': 'applications firewall' },
      Properties: {
        GroupDescription: 'elasticrtc applications: their web servers from the load balancer',
        VpcId: { Ref: 'Vpc' },
        SecurityGroupIngress: [
          ...servers.map((x) => ({ IpProtocol: 'tcp', FromPort: x.port, ToPort: x.port, SourceSecurityGroupId: fromBalancer, Description: `the ${x.label}, from the load balancer` })),
          ...ssh,
        ],
      },
    },
    AppLaunchTemplate: launch,
    ...Object.fromEntries(
      servers.map((x) => [
        x.group,
        {
          Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
          Metadata: { 'elasticrtc:label': `${x.label} target group` },
          Properties: {
            VpcId: { Ref: 'Vpc' },
            Protocol: 'HTTP',
            Port: x.port,
            TargetType: 'instance',
            HealthCheckPath: x.health,
            Matcher: { HttpCode: '200' },
            TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '10' }],
          },
        } satisfies CfnResource,
      ]),
    ),
    ...(relay ? cameraStreams(s) : {}),
    AppGroup: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Metadata: { 'elasticrtc:label': 'applications' },
      // The apps start once the cluster they use is up.
      DependsOn: ['NodeGroup'],
      CreationPolicy: { ResourceSignal: { Count: 1, Timeout: 'PT15M' } },
      UpdatePolicy: { AutoScalingRollingUpdate: { MaxBatchSize: 1, MinInstancesInService: 0, WaitOnResourceSignals: true, PauseTime: 'PT15M' } },
      Properties: {
        AutoScalingGroupName: { 'Fn::Sub': '${AWS::StackName}-app' },
        VPCZoneIdentifier: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }],
        LaunchTemplate: { LaunchTemplateId: { Ref: 'AppLaunchTemplate' }, Version: { 'Fn::GetAtt': ['AppLaunchTemplate', 'LatestVersionNumber'] } },
        MinSize: '1',
        MaxSize: '1',
        DesiredCapacity: '1',
        ...(servers.length > 0 ? { TargetGroupARNs: servers.map((x) => ({ Ref: x.group })), HealthCheckType: 'ELB' } : { HealthCheckType: 'EC2' }),
        HealthCheckGracePeriod: { Ref: 'HealthCheckGracePeriod' },
        Tags: [{ Key: 'elasticrtc:role', Value: 'app', PropagateAtLaunch: true }],
      },
    },
    ...Object.assign({}, ...servers.map((x) => prefixRules(x.rule, `${x.label} route`, x.prefix, s.apiOrigin, x.priority, x.group))),
  };
}

function setProperty(template: CfnTemplate, id: string, key: string, value: unknown): void {
  const properties = template.Resources[id]?.Properties;
  if (!properties) throw new Error(`the template has no ${id}`);
  properties[key] = value;
}

/** CloudFormation's limit for a template sent inline (bytes). */
export const INLINE_TEMPLATE_LIMIT = 51_200;

/**
 * The problem of a template over CloudFormation's inline limit, for a usage error before anything is
 * created: the firewall and listener rules of the origin blocks and the per-stream alarms are what grow.
 */
export function templateSizeProblem(r: RenderedStack): Problem | undefined {
  const size = new TextEncoder().encode(r.templateBody).length;
  if (size <= INLINE_TEMPLATE_LIMIT) return undefined;
  return { flag: 'api-origin', value: `${size} bytes of template`, expected: `is over CloudFormation's ${INLINE_TEMPLATE_LIMIT}-byte limit: give fewer, wider --api-origin/--control-origin blocks (each adds firewall and listener rules) or fewer streams` };
}

/**
 * Renders the cluster's stack from validated settings and preflight results. Pure: the same inputs
 * give a byte-identical template. No secret value is ever part of the result.
 */
export function renderCluster(s: ClusterSettings, inputs: RenderInputs): RenderedStack {
  const template = structuredClone(baseTemplate as CfnTemplate);
  // The settings ride along (never a secret), so `update` knows what the cluster was built from.
  template.Metadata = { ...template.Metadata, elasticrtc: { templateVersion: 2, settings: settingsToFlags(s) } };
  const tls = inputs.certificateArn !== undefined;
  const origins = [...new Set([...s.apiOrigin, ...s.controlOrigin])];

  setProperty(template, 'LoadBalancerSecurityGroup', 'SecurityGroupIngress', [
    ...ingress(origins, tls ? 443 : 80, tls ? 'HTTPS (--api-origin and --control-origin; listener rules tell them apart)' : 'HTTP (--api-origin and --control-origin; listener rules tell them apart)'),
    ...(tls ? ingress(origins, 80, 'HTTP, redirected to HTTPS') : []),
  ]);
  if (s.keyName !== undefined) {
    const rules = template.Resources.NodeSecurityGroup?.Properties?.SecurityGroupIngress as IngressRule[];
    setProperty(template, 'NodeSecurityGroup', 'SecurityGroupIngress', [...rules, ...ingress(s.controlOrigin, 22, 'SSH (--control-origin)')]);
  }
  Object.assign(template.Resources, apiRules(s.apiOrigin));
  // The inspector (served by every node's controller) only from --control-origin.
  Object.assign(template.Resources, prefixRules('InspectorRule', 'inspector route', '/inspector', s.controlOrigin, 30, 'NodeTargetGroup'));

  const out = scaleOutSteps(s.scaleOut);
  const inn = scaleInSteps(s.scaleIn);
  setProperty(template, 'ScaleOutPolicy', 'StepAdjustments', out.adjustments);
  setProperty(template, 'ScaleInPolicy', 'StepAdjustments', inn.adjustments);
  setProperty(template, 'LoadHighAlarm', 'Threshold', out.threshold);
  setProperty(template, 'LoadLowAlarm', 'Threshold', inn.threshold);
  // The nodes learn the alarms' loads too: the inspector shows each node's load against them.
  const launcher = (template.Resources.NodeLaunchTemplate?.Properties?.LaunchTemplateData as { UserData: { 'Fn::Base64': { 'Fn::Sub': [string, Record<string, unknown>] } } }).UserData['Fn::Base64']['Fn::Sub'][1];
  Object.assign(launcher, { ScaleOutThreshold: String(out.threshold), ScaleInThreshold: String(inn.threshold) });
  if (APP_TIER_APPS.some((a) => s.apps.includes(a))) Object.assign(template.Resources, appTier(template, s, tls));
  if (s.apps.includes('audio-archive')) Object.assign(template.Resources, recorderTier(template, s));

  const arch = isArmInstanceType(s.instanceType) ? 'arm64' : 'amd64';
  const parameters: Record<string, string> = {
    KmsVersion: s.kmsVersion,
    InstanceType: s.instanceType,
    Tenancy: s.tenancy,
    DesiredCapacity: String(s.capacity.desired),
    MinCapacity: String(s.capacity.min),
    MaxCapacity: String(s.capacity.max),
    KeyName: s.keyName ?? '',
    ZoneA: inputs.zones?.[0] ?? '',
    ZoneB: inputs.zones?.[1] ?? '',
    NodeImageParameter: UBUNTU_IMAGE(arch),
    NodeImageId: inputs.ownImageId ?? '',
    BucketName: s.bucketName,
    ClusterSecretArn: inputs.secretArn,
    CertificateArn: inputs.certificateArn ?? '',
    HostedZoneId: s.hostedZoneId ?? '',
    DnsName: inputs.dnsName ?? '',
    LogStorage: s.logStorage,
    ElasticsearchHost: s.elasticsearch?.host ?? '',
    ElasticsearchPort: String(s.elasticsearch?.port ?? 9200),
    ElasticsearchSsl: String(s.elasticsearch?.ssl ?? false),
    ElasticsearchUser: s.elasticsearch?.user ?? '',
    EnableTurn: String(s.turn),
    HealthCheckGracePeriod: String(s.healthCheckGracePeriod),
    HeartbeatTimeout: String(s.heartbeatTimeout),
    ReconnectionTime: String(s.reconnectionTime),
    CostMap: JSON.stringify(s.costMap),
    NodeRuntimeKey: inputs.runtime.key,
    NodeRuntimeSha256: inputs.runtime.sha256,
    NodeVersion: NODE_RELEASE.version,
    NodeSha512X64: NODE_RELEASE.integrity.x64,
    NodeSha512Arm64: NODE_RELEASE.integrity.arm64,
  };
  const tags: Record<string, string> = {
    ...s.tags,
    [CLUSTER_TAG]: s.stackName,
    [KMS_VERSION_TAG_KEY]: s.kmsVersion,
    [TOOL_VERSION_TAG]: inputs.toolVersion,
  };
  return { template, templateBody: JSON.stringify(template), parameters, tags };
}

/** The settings a deployed template was rendered from (flag-keyed), if it carries them. */
export function settingsOf(templateBody: string): Record<string, unknown> | undefined {
  try {
    const meta = (JSON.parse(templateBody) as CfnTemplate).Metadata?.elasticrtc as { settings?: Record<string, unknown> } | undefined;
    return meta?.settings;
  } catch {
    return undefined;
  }
}

/** Human labels of the template's resources (`LoadBalancer` → "load balancer"), from their metadata. */
export function resourceLabels(template: CfnTemplate = baseTemplate as CfnTemplate): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const label = resource.Metadata?.['elasticrtc:label'];
    if (typeof label === 'string') labels[id] = label;
  }
  return labels;
}

/** The resources a stack of this template creates, its conditions evaluated on the parameters. */
export function activeResourceCount(template: CfnTemplate, parameters: Record<string, string>): number {
  const conditions = template.Conditions ?? {};
  const memo = new Map<string, boolean>();
  const value = (node: unknown): unknown => {
    if (typeof node !== 'object' || node === null) return node;
    const n = node as Record<string, unknown>;
    if ('Ref' in n) return parameters[String(n.Ref)] ?? (template.Parameters?.[String(n.Ref)]?.Default as string | undefined) ?? '';
    if ('Condition' in n) return holds(String(n.Condition));
    const [fn, args] = Object.entries(n)[0] ?? [];
    const list = Array.isArray(args) ? args : [];
    if (fn === 'Fn::Equals') return String(value(list[0])) === String(value(list[1]));
    if (fn === 'Fn::Not') return !value(list[0]);
    if (fn === 'Fn::And') return list.every((x) => Boolean(value(x)));
    if (fn === 'Fn::Or') return list.some((x) => Boolean(value(x)));
    return true;
  };
  const holds = (name: string): boolean => {
    if (!memo.has(name)) memo.set(name, Boolean(value(conditions[name])));
    return memo.get(name) ?? true;
  };
  return Object.values(template.Resources).filter((r) => r.Condition === undefined || holds(r.Condition)).length;
}
