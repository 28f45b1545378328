import { DEFAULT_COST_MAP } from '../cluster/cost-map.js';
import { DEFAULT_KMS_VERSION } from '../cluster/versions.js';

export type NodeLogStorage = 'cloudwatch' | 's3' | 'elasticsearch' | 'none';

/**
 * What a node runs with, apart from secrets and addresses: the settings the template writes to
 * `/etc/elasticrtc/node.env` (one `KEY=value` a line), or `create`'s defaults when configuring offline.
 */
export interface NodeSettings {
  stackName: string;
  /** The stack's id or name, for `SignalResource`. */
  stackId: string;
  region: string;
  /** The logical id of the group whose creation policy waits for this node's signal. */
  signalResource: string;
  secretArn: string;
  kmsVersion: string;
  /** `docker`: the official image of `kmsVersion`; `host`: the KMS installed in the node's own image. */
  kmsSource: 'docker' | 'host';
  logStorage: NodeLogStorage;
  bucket: string;
  elasticsearch?: { host: string; port: number; ssl: boolean; user?: string };
  turn: boolean;
  /** Seconds a client may stay away and resume its session (`--session-reconnection-time`). */
  reconnectionTime: number;
  /** KMS's JSON-RPC port on the node. */
  kmsPort: number;
  /** The node group's name (controllers find the nodes by it). */
  groupName: string;
  /** The terminating lifecycle hook that waits for a node's drain. */
  drainHookName: string;
  /** Its heartbeat timeout: how long a leaving node may wait for its last pipeline, in seconds. */
  heartbeatTimeout: number;
  /** The queue the hook notifies (empty: none). */
  drainQueueUrl: string;
  costMap: Record<string, number>;
  /**
   * `media`: a Kurento node (KMS, coturn, controller, agent); `app`: an app-tier node running the ROOM demo;
   * `recorder`: one of audio-archive's two recorders (ffmpeg and `elasticrtc-node audio-archive`).
   */
  role: 'media' | 'app' | 'recorder';
  /** App nodes: the cluster's URL without its key (`wss://<cluster host>`); the key comes from the secret. */
  clusterUrl: string;
  /** App nodes: the ROOM demo's HTTP port (the app target group's). */
  appPort: number;
  /** App nodes with cameras: the cameras page's HTTP port (the cameras target group's; `CAMERAS_PORT`, as the cameras command reads it). */
  camerasPort: number;
  /** App nodes: the apps it runs (`APPS=room,kvs-relay,cameras`; default room, as before kvs-relay and cameras). */
  apps: AppTierApp[];
  /** App nodes with kvs-relay: each camera's Kinesis video stream, named by CloudFormation (`KVS_RELAY_STREAMS=lobby=demo-CameraStream1-AB12,…`). */
  kvsRelayStreams: Record<string, string>;
  /** The load (percent) at which the scale-out alarm fires: the lowest `--scale-out-policy` threshold. */
  scaleOutThreshold: number;
  /** The load (percent) below which the scale-in alarm fires: the highest `--scale-in-policy` threshold. */
  scaleInThreshold: number;
}

/** The env file's keys, each with what it sets. */
export const NODE_ENV_KEYS = [
  'STACK_NAME',
  'STACK_ID',
  'REGION',
  'SIGNAL_RESOURCE',
  'SECRET_ARN',
  'KMS_VERSION',
  'KMS_SOURCE',
  'LOG_STORAGE',
  'BUCKET',
  'ES_HOST',
  'ES_PORT',
  'ES_SSL',
  'ES_USER',
  'TURN',
  'RECONNECTION_TIME',
  'COST_MAP',
  'KMS_PORT',
  'GROUP_NAME',
  'DRAIN_HOOK_NAME',
  'HEARTBEAT_TIMEOUT',
  'DRAIN_QUEUE_URL',
  'ROLE',
  'CLUSTER_URL',
  'APP_PORT',
  'APPS',
  'KVS_RELAY_STREAMS',
  'CAMERAS_PORT',
  'SCALE_OUT_THRESHOLD',
  'SCALE_IN_THRESHOLD',
] as const;
export type NodeEnvKey = (typeof NODE_ENV_KEYS)[number];

/** The apps an app node runs. */
export const APP_TIER_APPS = ['room', 'kvs-relay', 'cameras'] as const;
export type AppTierApp = (typeof APP_TIER_APPS)[number];

/** A setting that cannot be used, named by its env key. */
export class NodeSettingsError extends Error {}

/** Parses an env file: `KEY=value` lines taken literally (no quotes, no expansion); `#` comments and blanks skipped. */
export function parseEnvFile(text: string): Partial<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 1) throw new NodeSettingsError(`env file line ${i + 1}: expected KEY=value`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return env;
}

const oneOf = <T extends string>(key: string, value: string, allowed: readonly T[]): T => {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new NodeSettingsError(`${key}=${value}: expected one of ${allowed.join(', ')}`);
};

const integer = (key: string, value: string, min: number, max: number): number => {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new NodeSettingsError(`${key}=${value}: expected a whole number from ${min} to ${max}`);
  return n;
};

/** A percentage, decimals allowed (the scaling policies' loads, e.g. 75.5). */
const percent = (key: string, value: string): number => {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n > 100) throw new NodeSettingsError(`${key}=${value}: expected a load in percent from 0 to 100`);
  return n;
};

const bool = (key: string, value: string): boolean => oneOf(key, value, ['true', 'false']) === 'true';

function costMap(value: string): Record<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new NodeSettingsError(`COST_MAP=${value}: expected a JSON object of element type to cost`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !Object.values(parsed).every((v) => typeof v === 'number' && v > 0)) {
    throw new NodeSettingsError(`COST_MAP=${value}: expected a JSON object of element type to a positive cost`);
  }
  return parsed as Record<string, number>;
}

function clusterUrl(value: string): string {
  if (value !== '' && !/^wss?:\/\/[^/?#]+\/?$/.test(value)) throw new NodeSettingsError(`CLUSTER_URL=${value}: expected ws[s]://host[:port], the cluster's URL without its key`);
  return value.replace(/\/$/, '');
}

/** `KVS_RELAY_STREAMS`: `camera=stream` pairs, comma-separated. */
function streamMap(value: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of value.split(',').filter((x) => x.trim() !== '')) {
    const m = /^\s*([a-z0-9][a-z0-9_-]{0,63})=([A-Za-z0-9_.-]{1,256})\s*$/.exec(pair);
    if (!m?.[1] || !m[2]) throw new NodeSettingsError(`KVS_RELAY_STREAMS=${value}: expected camera=stream pairs separated by commas`);
    map[m[1]] = m[2];
  }
  return map;
}

/**
 * The node's settings from its env file. Keys left out take `create`'s defaults, so `configure` works
 * offline with no env file at all; the stack name and region then are placeholders (`elasticrtc`,
 * `us-east-1`) that only name log streams.
 */
export function nodeSettings(env: Partial<Record<string, string>>): NodeSettings {
  const get = (key: NodeEnvKey, fallback: string) => {
    const v = env[key];
    return v === undefined || v === '' ? fallback : v;
  };
  const stackName = get('STACK_NAME', 'elasticrtc');
  const logStorage = oneOf('LOG_STORAGE', get('LOG_STORAGE', 'cloudwatch'), ['cloudwatch', 's3', 'elasticsearch', 'none'] as const);
  const esHost = get('ES_HOST', '');
  if (logStorage === 'elasticsearch' && esHost === '') throw new NodeSettingsError('ES_HOST is empty: LOG_STORAGE=elasticsearch needs a host');
  const esUser = get('ES_USER', '');
  return {
    stackName,
    stackId: get('STACK_ID', stackName),
    region: get('REGION', 'us-east-1'),
    signalResource: get('SIGNAL_RESOURCE', 'NodeGroup'),
    secretArn: get('SECRET_ARN', ''),
    kmsVersion: get('KMS_VERSION', DEFAULT_KMS_VERSION),
    kmsSource: oneOf('KMS_SOURCE', get('KMS_SOURCE', 'docker'), ['docker', 'host'] as const),
    logStorage,
    bucket: get('BUCKET', `us-east-1-${stackName}`.toLowerCase()),
    ...(logStorage === 'elasticsearch'
      ? { elasticsearch: { host: esHost, port: integer('ES_PORT', get('ES_PORT', '9200'), 1, 65535), ssl: bool('ES_SSL', get('ES_SSL', 'false')), ...(esUser ? { user: esUser } : {}) } }
      : {}),
    turn: bool('TURN', get('TURN', 'true')),
    reconnectionTime: integer('RECONNECTION_TIME', get('RECONNECTION_TIME', '30'), 0, 3600),
    kmsPort: integer('KMS_PORT', get('KMS_PORT', '8888'), 1, 65535),
    groupName: get('GROUP_NAME', `${stackName}-nodes`),
    drainHookName: get('DRAIN_HOOK_NAME', `${stackName}-drain`),
    heartbeatTimeout: integer('HEARTBEAT_TIMEOUT', get('HEARTBEAT_TIMEOUT', '600'), 30, 7200),
    drainQueueUrl: get('DRAIN_QUEUE_URL', ''),
    costMap: costMap(get('COST_MAP', JSON.stringify(DEFAULT_COST_MAP))),
    role: oneOf('ROLE', get('ROLE', 'media'), ['media', 'app', 'recorder'] as const),
    clusterUrl: clusterUrl(get('CLUSTER_URL', '')),
    appPort: integer('APP_PORT', get('APP_PORT', '8080'), 1, 65535),
    camerasPort: integer('CAMERAS_PORT', get('CAMERAS_PORT', '8081'), 1, 65535),
    apps: get('APPS', 'room').split(',').map((a) => oneOf('APPS', a.trim(), APP_TIER_APPS)),
    kvsRelayStreams: streamMap(get('KVS_RELAY_STREAMS', '')),
    // create's defaults: --scale-out-policy 75=10, --scale-in-policy 25=10
    scaleOutThreshold: percent('SCALE_OUT_THRESHOLD', get('SCALE_OUT_THRESHOLD', '75')),
    scaleInThreshold: percent('SCALE_IN_THRESHOLD', get('SCALE_IN_THRESHOLD', '25')),
  };
}
