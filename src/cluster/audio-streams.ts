import type { Problem } from './problems.js';

/**
 * The audio archive's streams (`streams:` in a config file, docs/apps.md#audio-archive): the rules the
 * CLI validates with and the node runtime (src/node/apps/audio-archive/settings.ts) reads with.
 */
export interface AudioStream {
  /** Names the stream in S3 keys and in the metric's `Stream` dimension. */
  name: string;
  /** The live stream; may hold a user and password: it lives in the cluster secret only. */
  url: string;
  /** Segment (slot) length in seconds; divides a day. */
  segmentSeconds: number;
}

/** A stream's name: used in S3 keys, file names and the metric's dimension. */
export const STREAM_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const DEFAULT_SEGMENT_SECONDS = 300;
/** The cluster's shortest segment: CloudWatch alarms have no period below 10 s. */
export const MIN_CLUSTER_SEGMENT_SECONDS = 10;
export const MAX_SEGMENT_SECONDS = 3600;
/** Each stream takes an alarm in the template, which must stay under CloudFormation's 51,200 bytes. */
export const MAX_STREAMS = 10;

/** A URL with its user information hidden, for logs and messages. */
export const maskUrl = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');

/** An http:// or https:// URL. */
export function isHttpUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** ffmpeg cuts from midnight (`-segment_atclocktime`): only a divisor of a day gives the same slots every day. */
export const isSegmentSeconds = (value: unknown, min = 1): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_SEGMENT_SECONDS && 86400 % value === 0;

/**
 * The alarm period of a stream: its segment length rounded up to whole minutes (the metric is a standard
 * resolution one, and 10 s or 30 s alarm periods need high-resolution metrics), so every period sees a datum.
 */
export const alarmPeriod = (segmentSeconds: number): number => Math.max(60, Math.ceil(segmentSeconds / 60) * 60);

const KEYS = ['name', 'url', 'segment-seconds'];

/**
 * `streams:` of a config file: a list of `{name, url, segment-seconds}`. Every problem names the key
 * (`streams[1].url`), the value (a URL's user information masked) and what is expected. `urlsKept`: the
 * streams of a deployed cluster (an update), recorded without their URLs, which stay in its secret.
 */
export function parseStreamsSetting(raw: unknown, urlsKept = false): { streams: AudioStream[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const streams: AudioStream[] = [];
  if (!Array.isArray(raw)) {
    return { streams, problems: [{ flag: 'streams', value: typeof raw === 'string' ? raw : JSON.stringify(raw) ?? '', expected: 'expected a list of streams in the config file, each {name, url, segment-seconds}' }] };
  }
  const seen = new Set<string>();
  raw.forEach((item: unknown, i) => {
    const where = `streams[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ flag: where, value: JSON.stringify(item) ?? '', expected: 'expected a mapping with name, url and segment-seconds' });
      return;
    }
    const o = item as Record<string, unknown>;
    for (const key of Object.keys(o).filter((k) => !KEYS.includes(k))) problems.push({ flag: `${where}.${key}`, value: String(o[key]), expected: 'is not a stream key; expected name, url and segment-seconds' });
    const { name, url } = o;
    const seconds = o['segment-seconds'] ?? DEFAULT_SEGMENT_SECONDS;
    let good = true;
    if (typeof name !== 'string' || !STREAM_NAME.test(name)) {
      problems.push({ flag: `${where}.name`, value: String(name ?? ''), expected: 'expected 1 to 64 lower-case letters, digits, - or _, starting with a letter or digit' });
      good = false;
    } else if (seen.has(name)) {
      problems.push({ flag: `${where}.name`, value: name, expected: 'a stream of that name comes earlier; names must differ' });
      good = false;
    }
    if (urlsKept && url === undefined) {
      // An update: the cluster's streams as its template recorded them, their URLs in the cluster secret.
    } else if (!isHttpUrl(url)) {
      problems.push(url === undefined ? { flag: `${where}.url`, value: '', expected: 'is missing: expected an http(s) URL' } : { flag: `${where}.url`, value: maskUrl(String(url)), expected: 'expected an http(s) URL' });
      good = false;
    }
    const whole = typeof seconds === 'string' && /^\d+$/.test(seconds.trim()) ? Number(seconds) : seconds;
    if (!isSegmentSeconds(whole, MIN_CLUSTER_SEGMENT_SECONDS)) {
      problems.push({ flag: `${where}.segment-seconds`, value: String(seconds), expected: `expected whole seconds from ${MIN_CLUSTER_SEGMENT_SECONDS} to ${MAX_SEGMENT_SECONDS} that divide a day, e.g. 60, 300 or 600` });
      good = false;
    }
    if (typeof name === 'string') seen.add(name);
    if (good) streams.push({ name: name as string, url: typeof url === 'string' ? url : '', segmentSeconds: whole as number });
  });
  if (raw.length === 0) problems.push({ flag: 'streams', value: '[]', expected: 'expected at least one stream' });
  if (raw.length > MAX_STREAMS) problems.push({ flag: 'streams', value: `${raw.length} streams`, expected: `expected at most ${MAX_STREAMS} (each has an alarm in the template, which must fit CloudFormation's 51,200 bytes)` });
  return { streams, problems };
}
