import { NodeSettingsError } from '../../node-settings.js';
import { type RelayCamera, rtspUrlProblem } from './pipeline.js';

/**
 * The relay's settings: keys of the node's env file (`KEY=value`, docs/node.md), and the cameras in
 * a JSON file of their own (their URLs carry credentials: the file is 0600, the env file is not).
 */
export interface KvsRelaySettings {
  /** `REGION`: the Kinesis video streams' region. */
  region: string;
  /** `KVS_RELAY_CAMERAS_FILE`. */
  camerasFile: string;
  /** `KVS_RELAY_CREDENTIAL_FILE`: kvssink's `credential-path`; under /run (tmpfs), so never on disk. */
  credentialFile: string;
  /** `KVS_RELAY_STATUS_FILE`: the relay's status, JSON. */
  statusFile: string;
  /** `KVS_RELAY_PLUGIN_DIR`: where libgstkvssink.so and its libraries are (GST_PLUGIN_PATH, LD_LIBRARY_PATH); empty: GStreamer's own path. */
  pluginDir: string;
  /** `KVS_RELAY_LATENCY_MS`: rtspsrc's jitter buffer. */
  latencyMs: number;
}

export const KVS_RELAY_DEFAULTS = {
  camerasFile: '/etc/elasticrtc/kvs-relay/cameras.json',
  credentialFile: '/run/elasticrtc/kvs-relay/credentials',
  statusFile: '/run/elasticrtc/kvs-relay/status.json',
  pluginDir: '/opt/elasticrtc/kvssink/lib',
  latencyMs: 200,
} as const;

/** A setting or camera the relay cannot use; the message names the key and never shows a password. */
export class KvsRelaySettingsError extends NodeSettingsError {}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ABSOLUTE = /^\/\S/;

/** The relay's settings from the env file's keys (all but REGION have defaults). */
export function kvsRelaySettings(env: Partial<Record<string, string>>): KvsRelaySettings {
  const region = env.REGION ?? '';
  if (!REGION.test(region)) throw new KvsRelaySettingsError(`REGION=${region}: expected an AWS region such as eu-west-1`);
  const path = (key: string, fallback: string, allowEmpty = false): string => {
    const value = env[key] ?? fallback;
    if (!(allowEmpty && value === '') && !ABSOLUTE.test(value)) throw new KvsRelaySettingsError(`${key}=${value}: expected an absolute path`);
    return value;
  };
  const latency = env.KVS_RELAY_LATENCY_MS ?? String(KVS_RELAY_DEFAULTS.latencyMs);
  if (!/^\d+$/.test(latency) || Number(latency) > 10_000) throw new KvsRelaySettingsError(`KVS_RELAY_LATENCY_MS=${latency}: expected milliseconds from 0 to 10000`);
  return {
    region,
    camerasFile: path('KVS_RELAY_CAMERAS_FILE', KVS_RELAY_DEFAULTS.camerasFile),
    credentialFile: path('KVS_RELAY_CREDENTIAL_FILE', KVS_RELAY_DEFAULTS.credentialFile),
    statusFile: path('KVS_RELAY_STATUS_FILE', KVS_RELAY_DEFAULTS.statusFile),
    pluginDir: path('KVS_RELAY_PLUGIN_DIR', KVS_RELAY_DEFAULTS.pluginDir, true),
    latencyMs: Number(latency),
  };
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** Kinesis Video stream names: 1–256 of `[a-zA-Z0-9_.-]` (CreateStream's StreamName). */
const STREAM = /^[A-Za-z0-9_.-]{1,256}$/;

/** One camera of a cameras file; `stream` is kvs-relay's (the cameras app records without one). */
export interface CameraEntry {
  name: string;
  /** `rtsp://[user:password@]host[:port]/path`; may carry credentials: never logged unmasked. */
  url: string;
  stream?: string;
}

/** How {@link parseCameras} reads a file for an app other than kvs-relay. */
export interface ParseCamerasOptions {
  /** `required` (kvs-relay, the default) or `optional` (the cameras app: checked when given). */
  stream?: 'required' | 'optional';
  /** The error thrown; default {@link KvsRelaySettingsError}. */
  error?: new (message: string) => Error;
}

/**
 * The cameras file: `{"cameras": [{"name": "lobby", "url": "rtsp://user:pass@10.0.0.5/stream1",
 * "stream": "demo-lobby"}, …]}`. Names and streams are unique: a Kinesis video stream takes one
 * producer at a time (a second gets ConnectionLimitExceeded). The cameras app reads the same file
 * with `stream` optional.
 */
export function parseCameras(text: string, file: string): RelayCamera[];
export function parseCameras(text: string, file: string, options: ParseCamerasOptions): CameraEntry[];
export function parseCameras(text: string, file: string, options: ParseCamerasOptions = {}): CameraEntry[] {
  const streamRequired = (options.stream ?? 'required') === 'required';
  const Failure = options.error ?? KvsRelaySettingsError;
  const shape = streamRequired ? '{"cameras": [{"name", "url", "stream"}, …]}' : '{"cameras": [{"name", "url"}, …]}';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Failure(`${file}: not JSON; expected ${shape}`);
  }
  const list = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as { cameras?: unknown }).cameras : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new Failure(`${file}: expected ${shape} with at least one camera`);
  const cameras: CameraEntry[] = [];
  for (const [i, entry] of list.entries()) {
    const at = `${file}: cameras[${i}]`;
    const { name, url, stream } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !NAME.test(name)) throw new Failure(`${at}.name ${JSON.stringify(name)}: expected 1 to 64 letters, digits, '_', '.' or '-'`);
    if (typeof url !== 'string') throw new Failure(`${at}.url (${name}): expected rtsp://[user:password@]host[:port]/path`);
    const problem = rtspUrlProblem(url);
    if (problem) throw new Failure(`${at}.url (${name}): ${problem}`);
    if (cameras.some((c) => c.name === name)) throw new Failure(`${at}.name ${name}: another camera has this name`);
    if (stream === undefined && !streamRequired) {
      cameras.push({ name, url });
      continue;
    }
    if (typeof stream !== 'string' || !STREAM.test(stream)) throw new Failure(`${at}.stream ${JSON.stringify(stream)} (${name}): expected a Kinesis video stream name, 1 to 256 of letters, digits, '_', '.' or '-'`);
    const other = cameras.find((c) => c.stream === stream);
    if (other) throw new Failure(`${at}.stream ${stream} (${name}): camera ${other.name} feeds it already; a stream takes one producer`);
    cameras.push({ name, url, stream });
  }
  return cameras;
}
