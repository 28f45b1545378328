/**
 * The audio archive's settings, from the node's env file (`KEY=value` lines, docs/apps.md#audio-archive):
 * the cluster, its bucket and region, and the streams as one JSON array.
 */
import { NodeSettingsError } from '../../node-settings.js';
import { DEFAULT_SEGMENT_SECONDS, isHttpUrl, isSegmentSeconds, maskUrl, STREAM_NAME } from '../../../cluster/audio-streams.js';
import type { Stream } from './layout.js';

export { DEFAULT_SEGMENT_SECONDS, maskUrl, STREAM_NAME };

/** What `elasticrtc-node audio-archive` runs with. */
export interface AudioArchiveSettings {
  /** The stack's name: the metric's `Cluster` dimension. */
  cluster: string;
  region: string;
  /** The cluster bucket: `staging/`, `final/` and `state/` live there. */
  bucket: string;
  streams: Stream[];
  /** Names this recorder in staged keys; absent: the instance id (IMDSv2). */
  nodeId?: string;
  /** Where segments are written before they are uploaded. */
  dir: string;
  /** How long after a slot's end the reconciler waits for both recorders' copies. */
  graceSeconds: number;
}

/** The env keys the audio archive reads. */
export const AUDIO_ARCHIVE_ENV_KEYS = ['STACK_NAME', 'REGION', 'BUCKET', 'AUDIO_ARCHIVE_STREAMS', 'AUDIO_ARCHIVE_NODE_ID', 'AUDIO_ARCHIVE_DIR', 'AUDIO_ARCHIVE_GRACE_SECONDS'] as const;

/** A setting of the audio archive that cannot be used, named by its key. */
export class AudioArchiveSettingsError extends NodeSettingsError {}

export const DEFAULT_GRACE_SECONDS = 60;
export const DEFAULT_DIR = '/var/lib/elasticrtc/audio-archive';

/** A node id: one S3 key segment. */
export const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function segmentSeconds(where: string, value: unknown): number {
  if (value === undefined) return DEFAULT_SEGMENT_SECONDS;
  // ffmpeg cuts from midnight (-segment_atclocktime): only a divisor of a day gives the same slots every day.
  if (!isSegmentSeconds(value)) {
    throw new AudioArchiveSettingsError(`${where}.segmentSeconds=${JSON.stringify(value)}: expected whole seconds from 1 to 3600 that divide a day, e.g. 60, 300 or 600`);
  }
  return value;
}

function stream(where: string, value: unknown): Stream {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AudioArchiveSettingsError(`${where}: expected an object {"name", "url", "segmentSeconds"}`);
  const { name, url, segmentSeconds: seconds, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) throw new AudioArchiveSettingsError(`${where}.${unknown}: unknown key; expected name, url and segmentSeconds`);
  if (typeof name !== 'string' || !STREAM_NAME.test(name)) {
    throw new AudioArchiveSettingsError(`${where}.name=${JSON.stringify(name)}: expected 1 to 64 lower-case letters, digits, - or _, starting with a letter or digit`);
  }
  if (!isHttpUrl(url)) {
    throw new AudioArchiveSettingsError(`${where}.url=${JSON.stringify(typeof url === 'string' ? maskUrl(url) : url)}: expected an http:// or https:// URL of the live stream`);
  }
  return { name, url, segmentSeconds: segmentSeconds(where, seconds) };
}

/** The streams of `AUDIO_ARCHIVE_STREAMS`: a JSON array of `{"name", "url", "segmentSeconds"}`. */
export function parseStreams(text: string): Stream[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AudioArchiveSettingsError('AUDIO_ARCHIVE_STREAMS: expected a JSON array such as [{"name":"radio1","url":"http://icecast.example.org:8000/live.mp3","segmentSeconds":300}]');
  }
  if (!Array.isArray(value) || value.length === 0) throw new AudioArchiveSettingsError('AUDIO_ARCHIVE_STREAMS: expected a non-empty JSON array of streams');
  const streams = value.map((v, i) => stream(`AUDIO_ARCHIVE_STREAMS[${i}]`, v));
  const seen = new Set<string>();
  for (const [i, s] of streams.entries()) {
    if (seen.has(s.name)) throw new AudioArchiveSettingsError(`AUDIO_ARCHIVE_STREAMS[${i}].name=${JSON.stringify(s.name)}: a stream of that name comes earlier; names must differ`);
    seen.add(s.name);
  }
  return streams;
}

/** The audio archive's settings from a parsed env file. */
export function audioArchiveSettings(env: Partial<Record<string, string>>): AudioArchiveSettings {
  const get = (key: (typeof AUDIO_ARCHIVE_ENV_KEYS)[number]): string => env[key] ?? '';
  const required = (key: (typeof AUDIO_ARCHIVE_ENV_KEYS)[number], what: string): string => {
    const v = get(key);
    if (v === '') throw new AudioArchiveSettingsError(`${key} is missing: give ${what}`);
    return v;
  };
  const cluster = required('STACK_NAME', "the cluster's stack name (the metric's Cluster dimension)");
  const bucket = required('BUCKET', 'the cluster bucket to archive into');
  const streams = parseStreams(required('AUDIO_ARCHIVE_STREAMS', 'the streams as a JSON array of {"name","url","segmentSeconds"}'));
  const nodeId = get('AUDIO_ARCHIVE_NODE_ID');
  if (nodeId !== '' && !NODE_ID.test(nodeId)) throw new AudioArchiveSettingsError(`AUDIO_ARCHIVE_NODE_ID=${nodeId}: expected 1 to 64 letters, digits, '.', '-' or '_'`);
  const grace = get('AUDIO_ARCHIVE_GRACE_SECONDS') || String(DEFAULT_GRACE_SECONDS);
  if (!/^\d{1,4}$/.test(grace) || Number(grace) > 3600) throw new AudioArchiveSettingsError(`AUDIO_ARCHIVE_GRACE_SECONDS=${grace}: expected whole seconds from 0 to 3600`);
  const dir = get('AUDIO_ARCHIVE_DIR') || DEFAULT_DIR;
  if (!dir.startsWith('/')) throw new AudioArchiveSettingsError(`AUDIO_ARCHIVE_DIR=${dir}: expected an absolute path`);
  return { cluster, region: get('REGION') || 'us-east-1', bucket, streams, ...(nodeId ? { nodeId } : {}), dir, graceSeconds: Number(grace) };
}
