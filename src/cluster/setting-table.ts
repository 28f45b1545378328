import { DEFAULT_SEGMENT_SECONDS, isSegmentSeconds, MAX_SEGMENT_SECONDS, MAX_STREAMS, MIN_CLUSTER_SEGMENT_SECONDS, STREAM_NAME } from './audio-streams.js';
import { DEFAULT_RETENTION_DAYS, MAX_CAMERAS, MAX_RETENTION_DAYS } from './cameras.js';
import { KURENTO_ELEMENTS } from './cost-map.js';
import { DEFAULT_KMS_VERSION } from './versions.js';

/** A JSON Schema (draft 2020-12) fragment: what a config file's key may hold. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** The commands whose command line takes a setting's flag. */
export type SettingCommand = 'create' | 'update';

/**
 * One setting, declared once: its flag (also its config-file key), how the command line reads it, its
 * help text, its default, the commands that take it, and what a config file may hold for it. Help, the
 * config reader, `docs/config.schema.json` and the validation of `settings.ts` all read this table.
 */
export interface SettingDeclaration {
  /** How the command line reads it: a string (validated in `settings.ts`) or a switch. */
  readonly type: 'string' | 'boolean';
  readonly placeholder?: string;
  readonly alias?: string;
  /** One line of help. */
  readonly describe: string;
  /** More for the config schema's description (after `describe`). */
  readonly details?: string;
  /** The default create uses, as shown in help and the schema; absent when there is none (or it is derived). */
  readonly default?: string;
  /** How help shows a derived default (`[default: generated]`). */
  readonly defaultText?: string;
  /** Commands that take the flag; an empty list: a config-file key only, its flag declared elsewhere. */
  readonly commands: readonly SettingCommand[];
  /** Help text on `update`, where it differs (update leaves a setting as it is unless the flag is given). */
  readonly describeUpdate?: string;
  /** Why an update cannot change it, for settings create takes and update does not. */
  readonly fixed?: string;
  /** The config file's JSON Schema for the key (without description and default). */
  readonly schema: JsonSchema;
  /** A secret: its value is never repeated in a message. */
  readonly secret?: boolean;
  /** A file path: relative paths in a config file are resolved against the file's folder. */
  readonly path?: boolean;
  /** `--flag true|false` and the bare switch (the 2016 syntax). */
  readonly acceptsValue?: boolean;
}

// Pieces of the patterns below, written once.
const OCTET = '([01]?[0-9]?[0-9]|2[0-4][0-9]|25[0-5])';
const CIDR = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/([0-2]?[0-9]|3[0-2])`;
const LOAD = '0*(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)';
const policyPattern = (percent: string) => `^\\s*${LOAD}\\s*=\\s*0*(${percent})(\\.0+)?\\s*(,\\s*${LOAD}\\s*=\\s*0*(${percent})(\\.0+)?\\s*)*$`;
const ELEMENT = `(${KURENTO_ELEMENTS.join('|')})`;
const COST = '0*(100(\\.0+)?|[1-9][0-9]?(\\.[0-9]+)?|0\\.[0-9]*[1-9][0-9]*)';
const RESERVED_TAG = '\\s*([aA][wW][sS]|[eE][lL][aA][sS][tT][iI][cC][rR][tT][cC]):';
const HOST_LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const PORT = '0*(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})';
const USER = '^[A-Za-z0-9._-]{1,64}$';
const PASSWORD = '^[!-~]{8,128}$';
const INSTANCE_TYPE = '^[a-z][a-z0-9-]*\\.[a-z0-9-]+$';
const cidrs = { type: ['string', 'array'], pattern: `^\\s*${CIDR}\\s*(,\\s*${CIDR}\\s*)*$`, items: { type: 'string', pattern: `^${CIDR}$` }, minItems: 1 };
/** The cluster applications `--enable-app` takes. */
export const APPS = ['room', 'audio-archive', 'kvs-relay', 'cameras'] as const;
export type AppName = (typeof APPS)[number];
const APP = `(${APPS.join('|')})`;
/** A stream's segment lengths: whole seconds that divide a day, from 10 to 3600 (the runtime's rule). */
const SEGMENT_CHOICES = Array.from({ length: MAX_SEGMENT_SECONDS }, (_, i) => i + 1).filter((n) => isSegmentSeconds(n, MIN_CLUSTER_SEGMENT_SECONDS));
/** Whole numbers in a range, as a number or a digit string (what the command line gives). */
const whole = (minimum: number, maximum: number, pattern: string) => ({ type: ['integer', 'string'], minimum, maximum, pattern });

/** Every setting of a cluster, in the order help lists them. */
export const SETTINGS = {
  'stack-name': {
    type: 'string', alias: 'n', placeholder: 'name', commands: [],
    describe: 'cluster name (the CloudFormation stack name)',
    details: "A letter, then letters, digits or '-'; at most 128 characters. A --stack-name flag overrides it.",
    schema: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z][A-Za-z0-9-]*$' },
  },
  region: {
    type: 'string', commands: [],
    describe: 'AWS region, e.g. eu-west-1',
    details: 'Used when --region is not given; it then wins over AWS_REGION, AWS_DEFAULT_REGION and the profile region.',
    schema: { type: 'string', pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$' },
  },
  version: {
    type: 'string', placeholder: 'version', commands: ['create', 'update'], default: DEFAULT_KMS_VERSION,
    describe: 'Kurento Media Server version ("elasticrtc version" lists them)',
    details: 'An official release, or a version of your own image tagged elasticrtc:kms-version.',
    describeUpdate: 'another Kurento Media Server version ("elasticrtc version" lists them); nodes are replaced',
    schema: { type: 'string', pattern: '^[0-9]+\\.[0-9]+\\.[0-9]+([-+][0-9A-Za-z.-]+)?$' },
  },
  'aws-instance-type': {
    type: 'string', placeholder: 'type', commands: ['create', 'update'], default: 'c7i.large',
    describe: 'EC2 instance type of the media server nodes',
    details: 'Graviton types get the arm64 image. Preflight checks that two zones of the region offer it.',
    schema: { type: 'string', pattern: INSTANCE_TYPE },
  },
  'aws-app-instance-type': {
    type: 'string', placeholder: 'type', commands: ['create', 'update'], defaultText: '--aws-instance-type',
    describe: 'EC2 instance type of the application tier (--enable-app)',
    schema: { type: 'string', pattern: INSTANCE_TYPE },
  },
  'aws-instance-tenancy': {
    type: 'string', placeholder: 'tenancy', commands: ['create', 'update'], default: 'default',
    describe: 'default or dedicated (single-tenant hardware)',
    details: 'host is refused: an autoscaling group launched from a launch template cannot use it here.',
    schema: { type: 'string', enum: ['default', 'dedicated'] },
  },
  'aws-key-name': {
    type: 'string', placeholder: 'name', commands: ['create', 'update'],
    describe: 'EC2 key pair for SSH; without it SSH is closed (use Session Manager)',
    details: 'It must exist in the region.',
    schema: { type: 'string', pattern: '^[ -~]{1,255}$' },
  },
  'aws-s3-bucket-name': {
    type: 'string', placeholder: 'bucket', fixed: 'the bucket keeps the cluster’s recordings; create a new cluster to use another one', commands: ['create'], defaultText: '<region>-<stack-name>',
    describe: 'bucket for recordings, logs and the node runtime; created when missing, kept when the cluster is deleted',
    details: 'Checked against the S3 naming rules (lowercase). Reused when it exists, is yours and is in the cluster’s region. Cannot be changed by update.',
    schema: { type: 'string', minLength: 3, maxLength: 63, pattern: '^(?!.*\\.\\.)(?![0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$)(?!(xn--|sthree-|amzn-s3-demo-))(?!.*(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]*[a-z0-9]$' },
  },
  'api-key': {
    type: 'string', placeholder: 'key', fixed: 'secrets and logins stay as they were created', commands: ['create'], secret: true, defaultText: 'generated',
    describe: 'the secret path of the cluster URL, ws[s]://host/<api-key> (8-128 letters and digits)',
    details: 'A warning below 16. Kept in Secrets Manager and never printed back. Quote an all-digit key, or YAML reads it as a number. Cannot be changed by update.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9]{8,128}$' },
  },
  'api-origin': {
    type: 'string', placeholder: 'cidrs', commands: ['create', 'update'], default: '0.0.0.0/0',
    describe: 'IPv4 CIDR blocks allowed to reach the Kurento API',
    details: 'A list, or one string with commas. Host bits must be clear (203.0.113.0/24, not 203.0.113.5/24). With control-origin, at most 25 distinct blocks. The default comes with a warning.',
    schema: cidrs,
  },
  'control-origin': {
    type: 'string', placeholder: 'cidrs', commands: ['create', 'update'], default: '0.0.0.0/0',
    describe: 'IPv4 CIDR blocks allowed to reach SSH and the inspector',
    details: 'A list, or one string with commas. Host bits must be clear. With api-origin, at most 25 distinct blocks. The default comes with a warning.',
    schema: cidrs,
  },
  'ssl-cert': {
    type: 'string', placeholder: 'file', commands: ['create', 'update'], path: true,
    describe: 'PEM certificate (chain allowed; RSA or ECDSA) for wss:// on 443; imported into ACM',
    details: 'Needs ssl-key. A relative path is resolved against the config file’s folder.',
    describeUpdate: 'a new PEM certificate for 443 (with --ssl-key); replaces the imported one',
    schema: { type: 'string', minLength: 1 },
  },
  'ssl-key': {
    type: 'string', placeholder: 'file', commands: ['create', 'update'], path: true,
    describe: 'PEM private key of --ssl-cert; goes to ACM and nowhere else',
    details: 'A relative path is resolved against the config file’s folder.',
    schema: { type: 'string', minLength: 1 },
  },
  'certificate-arn': {
    type: 'string', placeholder: 'arn', commands: ['create', 'update'],
    describe: 'use a certificate already in ACM instead of --ssl-cert/--ssl-key',
    details: 'Issued, in the cluster’s region, covering the cluster name.',
    schema: { type: 'string', pattern: '^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$' },
  },
  'hosted-zone-id': {
    type: 'string', placeholder: 'zone', commands: ['create', 'update'],
    describe: 'Route 53 hosted zone that gets the cluster’s DNS name',
    details: 'E.g. Z0123456789ABCDEFGHIJ, or /hostedzone/Z0123456789ABCDEFGHIJ as the AWS CLI prints it.',
    schema: { type: 'string', pattern: '^\\s*(/?hostedzone/)?[A-Z0-9]{1,32}\\s*$' },
  },
  'desired-capacity': {
    type: 'string', placeholder: 'n', commands: ['create', 'update'], default: '1',
    describe: 'nodes to start with; alone, a fixed size',
    details: 'With min/max: min <= desired <= max, default min (at least 1).',
    describeUpdate: 'nodes now; alone on a fixed-size cluster, its new size',
    schema: whole(0, 100, '^\\s*0*(100|[1-9]?[0-9])\\s*$'),
  },
  'min-capacity': {
    type: 'string', placeholder: 'n', commands: ['create', 'update'],
    describe: 'fewest nodes when autoscaling (0-100; needs --max-capacity)',
    describeUpdate: 'fewest nodes when autoscaling (0-100); a desired capacity not given follows',
    schema: whole(0, 100, '^\\s*0*(100|[1-9]?[0-9])\\s*$'),
  },
  'max-capacity': {
    type: 'string', placeholder: 'n', commands: ['create', 'update'],
    describe: 'most nodes when autoscaling (1-100; needs --min-capacity)',
    describeUpdate: 'most nodes when autoscaling (1-100); a desired capacity not given follows',
    schema: whole(1, 100, '^\\s*0*(100|[1-9][0-9]?)\\s*$'),
  },
  'scale-out-policy': {
    type: 'string', placeholder: 'L=P,…', commands: ['create', 'update'], default: '75=10',
    describe: 'at load L% add P% nodes',
    details: 'L=P pairs separated by commas, e.g. 65=10,85=40. L is 0-100 (decimals allowed), P a whole 1-1000. No load twice; every load must be above every scale-in load.',
    schema: { type: 'string', pattern: policyPattern('1000|[1-9][0-9]{0,2}') },
  },
  'scale-in-policy': {
    type: 'string', placeholder: 'L=P,…', commands: ['create', 'update'], default: '25=10',
    describe: 'below load L% remove P% nodes',
    details: 'L=P pairs separated by commas, e.g. 15=40,35=10. L is 0-100 (decimals allowed), P a whole 1-100. No load twice; every load must be below every scale-out load.',
    schema: { type: 'string', pattern: policyPattern('100|[1-9][0-9]?') },
  },
  'cost-map': {
    type: 'string', placeholder: 'Type=C,…', commands: ['create', 'update'], default: 'WebRtcEndpoint=1',
    describe: 'load points (100 per CPU) of each Kurento media element',
    details: `Type=cost pairs separated by commas, cost in (0, 100], decimals allowed, e.g. WebRtcEndpoint=1,RecorderEndpoint=0.5. Known types: ${KURENTO_ELEMENTS.join(', ')}.`,
    schema: { type: 'string', pattern: `^\\s*${ELEMENT}\\s*=\\s*${COST}\\s*(,\\s*${ELEMENT}\\s*=\\s*${COST}\\s*)*$` },
  },
  'log-storage': {
    type: 'string', placeholder: 'where', commands: ['create', 'update'], default: 'cloudwatch',
    describe: 'cloudwatch, s3, elasticsearch or none',
    details: 'elasticsearch without elasticsearch-transport falls back to cloudwatch with a warning.',
    schema: { type: 'string', enum: ['cloudwatch', 's3', 'elasticsearch', 'none'] },
  },
  'elasticsearch-transport': {
    type: 'string', placeholder: 'host[:port]', commands: ['create', 'update'],
    describe: 'Elasticsearch for --log-storage elasticsearch (port 9200 by default)',
    details: 'Ignored, with a warning, with another log-storage.',
    schema: { type: 'string', pattern: `^(?=[^:]{1,253}(:[0-9]+)?$)${HOST_LABEL}(\\.${HOST_LABEL})*(:(?=[0-9]{1,5}$)${PORT})?$` },
  },
  'elasticsearch-ssl': {
    type: 'boolean', acceptsValue: true, commands: ['create', 'update'], default: 'false',
    describe: 'reach Elasticsearch over TLS (also --elasticsearch-ssl true|false, as in 2016)',
    schema: { type: ['boolean', 'string'], enum: [true, false, 'true', 'false'] },
  },
  'elasticsearch-user': {
    type: 'string', placeholder: 'user', commands: ['create', 'update'],
    describe: 'Elasticsearch user (1-64 letters, digits, dots, underscores or hyphens)',
    schema: { type: 'string', pattern: USER },
  },
  'elasticsearch-password': {
    type: 'string', placeholder: 'password', fixed: 'secrets and logins stay as they were created', commands: ['create'], secret: true,
    describe: 'Elasticsearch password (kept in Secrets Manager)',
    details: '8-128 printable characters without spaces, never printed back. Needs elasticsearch-user. Cannot be changed by update.',
    schema: { type: 'string', pattern: PASSWORD },
  },
  'inspector-user': {
    type: 'string', placeholder: 'user', fixed: 'secrets and logins stay as they were created', commands: ['create'], default: 'admin',
    describe: 'inspector login',
    details: '1-64 letters, digits, dots, underscores or hyphens. Cannot be changed by update.',
    schema: { type: 'string', pattern: USER },
  },
  'inspector-pass': {
    type: 'string', placeholder: 'password', fixed: 'secrets and logins stay as they were created', commands: ['create'], secret: true, defaultText: 'generated',
    describe: 'inspector password (kept in Secrets Manager)',
    details: '8-128 printable characters without spaces, not equal to inspector-user, never printed back. Cannot be changed by update.',
    schema: { type: 'string', pattern: PASSWORD },
  },
  'enable-turn': {
    type: 'string', placeholder: 'bool', commands: ['create', 'update'], default: 'true',
    describe: 'run a TURN server on every node: true or false',
    schema: { type: ['boolean', 'string'], enum: [true, false, 'true', 'false'] },
  },
  'enable-app': {
    type: 'string', placeholder: 'apps', commands: ['create', 'update'], default: 'none',
    describe: 'cluster applications: none, or any of room (Kurento’s group call demo at /app), audio-archive (needs streams:), kvs-relay and cameras (need cameras:), comma-separated',
    details: 'A list, or one string with commas, e.g. room,audio-archive. audio-archive records the streams: of the config file on two recorder nodes; kvs-relay relays the cameras: to Kinesis Video Streams; cameras shows them at /app/cameras and archives them in the bucket (docs/apps.md).',
    schema: {
      type: ['string', 'array'],
      pattern: `^\\s*(none|${APP}(\\s*,\\s*${APP})*)\\s*$`,
      items: { type: 'string', enum: [...APPS] },
      minItems: 1,
    },
  },
  streams: {
    type: 'string', commands: [],
    describe: 'the live audio streams audio-archive records (--enable-app audio-archive); config file only',
    details: 'A list of {name, url, segment-seconds}. name: 1-64 of a-z 0-9 - _, starting with a letter or digit, unique. url: http(s), kept in the cluster secret (it may hold a password). segment-seconds: 10-3600, dividing a day; default 300. At most 10 streams.',
    schema: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_STREAMS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'url'],
        properties: {
          name: { type: 'string', pattern: STREAM_NAME.source },
          url: { type: 'string', pattern: '^[hH][tT][tT][pP][sS]?://' },
          'segment-seconds': { type: 'integer', enum: SEGMENT_CHOICES, default: DEFAULT_SEGMENT_SECONDS },
        },
      },
    },
  },
  cameras: {
    type: 'string', commands: [],
    describe: 'the RTSP cameras kvs-relay and cameras use (--enable-app kvs-relay,cameras); config file only',
    details: `A list of {name, url, retention-days}. name: 1-64 of a-z 0-9 - _, starting with a letter or digit, unique. url: rtsp:// or rtsps://, kept in the cluster secret (it may hold a password). retention-days: 1-${MAX_RETENTION_DAYS}, the Kinesis video stream's retention and the bucket's expiry of the camera's recordings; default ${DEFAULT_RETENTION_DAYS}. At most ${MAX_CAMERAS} cameras.`,
    schema: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_CAMERAS,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'url'],
        properties: {
          name: { type: 'string', pattern: STREAM_NAME.source },
          url: { type: 'string', pattern: '^[rR][tT][sS][pP][sS]?://[^/?#]' },
          'retention-days': { ...whole(1, MAX_RETENTION_DAYS, '^\\s*0*([1-9][0-9]{0,2}|[1-2][0-9]{3}|3[0-5][0-9]{2}|36[0-4][0-9]|3650)\\s*$'), default: DEFAULT_RETENTION_DAYS },
        },
      },
    },
  },
  'health-check-grace-period': {
    type: 'string', placeholder: 's', commands: ['create', 'update'], default: '300',
    describe: 'seconds a new node has before health checks count (0-7200)',
    schema: whole(0, 7200, '^\\s*0*([0-9]{1,3}|[1-6][0-9]{3}|7[01][0-9]{2}|7200)\\s*$'),
  },
  'autoscaling-heartbeat-timeout': {
    type: 'string', placeholder: 's', commands: ['create', 'update'], default: '600',
    describe: 'seconds a node may drain its sessions before it is terminated (30-3600)',
    schema: whole(30, 3600, '^\\s*0*([3-9][0-9]|[1-9][0-9]{2}|[12][0-9]{3}|3[0-5][0-9]{2}|3600)\\s*$'),
  },
  'session-reconnection-time': {
    type: 'string', placeholder: 's', commands: ['create', 'update'], default: '30',
    describe: 'seconds a client may take to reconnect to its session (0-3600)',
    schema: whole(0, 3600, '^\\s*0*([0-9]{1,3}|[12][0-9]{3}|3[0-5][0-9]{2}|3600)\\s*$'),
  },
  tags: {
    type: 'string', placeholder: 'k=v,…', commands: ['create', 'update'],
    describe: 'extra stack tags',
    details: 'A mapping (team: media), or one string k=v,k2=v2. At most 47; keys up to 128 characters, values up to 256. The aws: and elasticrtc: prefixes are reserved.',
    schema: {
      type: ['string', 'object'],
      pattern: `^(\\s*|(?!${RESERVED_TAG})[^=,]+=[^,]*(,(?!${RESERVED_TAG})[^=,]+=[^,]*)*)$`,
      maxProperties: 47,
      propertyNames: { minLength: 1, maxLength: 128, not: { pattern: `^${RESERVED_TAG}` } },
      additionalProperties: { type: 'string', maxLength: 256 },
    },
  },
  'termination-protection': {
    type: 'boolean', commands: [], default: 'false',
    describe: 'protect the stack against deletion',
    details: 'Only the boolean true turns it on.',
    schema: { type: 'boolean' },
  },
  timeout: {
    type: 'string', placeholder: 'duration', commands: [], default: '60m',
    describe: 'give up waiting after this long',
    details: '60m, 1h30m, 45s, or a number of minutes; 1 s to 24 h. On create, CloudFormation also gets it, rounded up to whole minutes.',
    schema: whole(1, 1440, '^(?![\\s0hms]*$)\\s*([0-9]+|(?=[0-9])([0-9]+h)?([0-9]+m)?([0-9]+s)?)\\s*$'),
  },
} as const satisfies Record<string, SettingDeclaration>;

export type SettingName = keyof typeof SETTINGS;

/** The declaration of one setting. */
export const setting = (name: SettingName): SettingDeclaration => SETTINGS[name];

/** Keys a config file may hold: every setting. */
export const CONFIG_KEYS = Object.keys(SETTINGS) as SettingName[];

/** Config keys whose values are file paths. */
export const PATH_KEYS: ReadonlySet<string> = new Set(CONFIG_KEYS.filter((k) => setting(k).path));

/** The pattern a setting's value must match, as the validation uses it. */
export function patternOf(name: SettingName): RegExp {
  const p = setting(name).schema.pattern;
  if (typeof p !== 'string') throw new Error(`${name} declares no pattern`);
  return new RegExp(p);
}

/** A whole-number setting's range. */
export function rangeOf(name: SettingName): { min: number; max: number } {
  const { minimum, maximum } = setting(name).schema;
  if (typeof minimum !== 'number' || typeof maximum !== 'number') throw new Error(`${name} declares no range`);
  return { min: minimum, max: maximum };
}

/** A setting's choices. */
export function choicesOf(name: SettingName): string[] {
  const e = setting(name).schema.enum;
  if (!Array.isArray(e)) throw new Error(`${name} declares no choices`);
  return e.filter((c): c is string => typeof c === 'string');
}

/** A setting's default as a number. */
export function numericDefault(name: SettingName): number {
  return Number(setting(name).default);
}

/** Settings create takes that an update cannot change, with why. */
export const FIXED_ON_UPDATE: Readonly<Record<string, string>> = Object.fromEntries(
  CONFIG_KEYS.flatMap((k) => {
    const why = setting(k).fixed;
    return why === undefined ? [] : [[k, why]];
  }),
);

/** The config file's JSON Schema, as `docs/config.schema.json` holds it. */
export function configSchema(): JsonSchema {
  const properties = Object.fromEntries(
    CONFIG_KEYS.map((k) => {
      const s = setting(k);
      const shown = s.default ?? s.defaultText;
      const sentence = (t: string) => t.charAt(0).toUpperCase() + t.slice(1) + (/[.)]$/.test(t) ? '' : '.');
      const description = [sentence(s.describe), s.details, shown === undefined ? undefined : `Default: ${shown}.`].filter(Boolean).join(' ');
      const fallback = s.default === undefined ? {} : { default: s.type === 'boolean' ? s.default === 'true' : /^\d+$/.test(s.default) && 'minimum' in s.schema ? Number(s.default) : s.default };
      return [k, { ...s.schema, ...fallback, description }];
    }),
  );
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'elasticrtc configuration file (-f / --config)',
    description: 'Settings for elasticrtc create and update, keyed by the long flag names. Flags given on the command line override the file. See docs/config.md.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
}
