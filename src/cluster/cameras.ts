import { maskUrl, STREAM_NAME } from './audio-streams.js';
import type { Problem } from './problems.js';

/**
 * The cluster's cameras (`cameras:` in a config file, docs/apps.md#rtsp-cameras-kvs-relay-and-cameras): what kvs-relay relays
 * to Kinesis Video Streams and the cameras app records, shows and archives.
 */
export interface Camera {
  /** Names the camera in the page, S3 keys, the stream's tags and logs: 1-64 of a-z 0-9 - _. */
  name: string;
  /** rtsp:// or rtsps://, may hold a user and password: it lives in the cluster secret only. */
  url: string;
  /** How long its recordings are kept: the Kinesis video stream's retention and the bucket's cameras/<name>/ expiry. */
  retentionDays: number;
}

export const DEFAULT_RETENTION_DAYS = 7;
/** Ten years: Kinesis Video Streams' longest retention (87,600 hours). */
export const MAX_RETENTION_DAYS = 3650;
/**
 * Every camera adds a Kinesis video stream and an ARN to the template (about 350 bytes), and pipelines to the
 * one app node: eight fit CloudFormation's 51,200 bytes beside every other app at its own most (10 streams).
 */
export const MAX_CAMERAS = 8;
/** The apps that take `cameras:`. */
export const CAMERA_APPS = ['kvs-relay', 'cameras'] as const;

const KEYS = ['name', 'url', 'retention-days'];

/** An rtsp:// or rtsps:// URL with a host; `undefined` when good, else what is wrong. */
export function rtspUrlProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return 'expected an rtsp:// or rtsps:// URL';
  try {
    const u = new URL(url);
    if (u.protocol !== 'rtsp:' && u.protocol !== 'rtsps:') return 'expected an rtsp:// or rtsps:// URL';
    if (u.hostname === '') return 'expected an rtsp:// URL with a host';
    return undefined;
  } catch {
    return 'expected an rtsp:// or rtsps:// URL (percent-encode @, : and / in a user or password)';
  }
}

/**
 * `cameras:` of a config file: a list of `{name, url, retention-days}`. Every problem names the key
 * (`cameras[1].url`), the value (a URL's user information masked) and what is expected. `urlsKept`: the
 * cameras of a deployed cluster (an update), recorded without their URLs, which stay in its secret.
 */
export function parseCamerasSetting(raw: unknown, urlsKept = false): { cameras: Camera[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const cameras: Camera[] = [];
  if (!Array.isArray(raw)) {
    return { cameras, problems: [{ flag: 'cameras', value: typeof raw === 'string' ? raw : JSON.stringify(raw) ?? '', expected: 'expected a list of cameras in the config file, each {name, url, retention-days}' }] };
  }
  const seen = new Set<string>();
  raw.forEach((item: unknown, i) => {
    const where = `cameras[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push({ flag: where, value: JSON.stringify(item) ?? '', expected: 'expected a mapping with name, url and retention-days' });
      return;
    }
    const o = item as Record<string, unknown>;
    for (const key of Object.keys(o).filter((k) => !KEYS.includes(k))) problems.push({ flag: `${where}.${key}`, value: String(o[key]), expected: 'is not a camera key; expected name, url and retention-days' });
    const { name, url } = o;
    const days = o['retention-days'] ?? DEFAULT_RETENTION_DAYS;
    let good = true;
    if (typeof name !== 'string' || !STREAM_NAME.test(name)) {
      problems.push({ flag: `${where}.name`, value: String(name ?? ''), expected: 'expected 1 to 64 lower-case letters, digits, - or _, starting with a letter or digit' });
      good = false;
    } else if (seen.has(name)) {
      problems.push({ flag: `${where}.name`, value: name, expected: 'a camera of that name comes earlier; names must differ' });
      good = false;
    }
    if (!(urlsKept && url === undefined)) {
      const problem = url === undefined ? 'is missing: expected an rtsp:// or rtsps:// URL' : rtspUrlProblem(url);
      if (problem) {
        problems.push({ flag: `${where}.url`, value: url === undefined ? '' : maskUrl(String(url)), expected: problem });
        good = false;
      }
    }
    const whole = typeof days === 'string' && /^\d+$/.test(days.trim()) ? Number(days) : days;
    if (typeof whole !== 'number' || !Number.isInteger(whole) || whole < 1 || whole > MAX_RETENTION_DAYS) {
      problems.push({ flag: `${where}.retention-days`, value: String(days), expected: `expected whole days from 1 to ${MAX_RETENTION_DAYS}` });
      good = false;
    }
    if (typeof name === 'string') seen.add(name);
    if (good) cameras.push({ name: name as string, url: typeof url === 'string' ? url : '', retentionDays: whole as number });
  });
  if (raw.length === 0) problems.push({ flag: 'cameras', value: '[]', expected: 'expected at least one camera' });
  if (raw.length > MAX_CAMERAS) problems.push({ flag: 'cameras', value: `${raw.length} cameras`, expected: `expected at most ${MAX_CAMERAS} (one app node relays and records them all)` });
  return { cameras, problems };
}
