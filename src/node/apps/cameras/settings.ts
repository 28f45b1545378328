/**
 * The cameras app's settings: keys of the node's env file (`KEY=value`), and the cameras in a JSON
 * file of their own, kvs-relay's format (their URLs carry passwords: the file is 0600, the env file
 * is not).
 */
import { isSegmentSeconds, MAX_SEGMENT_SECONDS } from '../../../cluster/audio-streams.js';
import { NodeSettingsError } from '../../node-settings.js';
import { parseCameras as parseCameraEntries } from '../kvs-relay/settings.js';
import { CAMERAS_DEFAULTS, type Camera } from './layout.js';

/** What `elasticrtc-node cameras` runs with. */
export interface CamerasSettings {
  /** `STACK_NAME`: the cluster, in the objects' metadata and logs. */
  cluster: string;
  /** `REGION`: the bucket's. */
  region: string;
  /** `BUCKET`: the cluster bucket; `cameras/<camera>/` is this app's. */
  bucket: string;
  /** `CAMERAS_FILE`. */
  camerasFile: string;
  /** `CAMERAS_DIR`: live HLS, segments waiting for upload, the daily job's work files, the status file. */
  dir: string;
  /** `CAMERAS_SEGMENT_SECONDS`: archive segment length; divides a day. */
  segmentSeconds: number;
  /** `CAMERAS_PORT`: the web server's HTTP port. */
  port: number;
  /** `CAMERAS_DAILY_GRACE_SECONDS`: how long after a UTC day's end its MP4 is built. */
  dailyGraceSeconds: number;
}

/** The env keys the cameras app reads (besides CLUSTER_URL and SECRET_ARN, the live view's, read as the ROOM demo reads them). */
export const CAMERAS_ENV_KEYS = ['STACK_NAME', 'REGION', 'BUCKET', 'CAMERAS_FILE', 'CAMERAS_DIR', 'CAMERAS_SEGMENT_SECONDS', 'CAMERAS_PORT', 'CAMERAS_DAILY_GRACE_SECONDS'] as const;

/** Time for the day's last segment to be finished and uploaded, and for a recorder restarted around midnight to catch up. */
export const DEFAULT_DAILY_GRACE_SECONDS = 1800;

/** A setting or camera the app cannot use; the message names the key and never shows a password. */
export class CamerasSettingsError extends NodeSettingsError {}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The cameras app's settings from a parsed env file. */
export function camerasSettings(env: Partial<Record<string, string>>): CamerasSettings {
  const get = (key: (typeof CAMERAS_ENV_KEYS)[number]): string => env[key] ?? '';
  const required = (key: (typeof CAMERAS_ENV_KEYS)[number], what: string): string => {
    const v = get(key);
    if (v === '') throw new CamerasSettingsError(`${key} is missing: give ${what}`);
    return v;
  };
  const whole = (key: (typeof CAMERAS_ENV_KEYS)[number], fallback: number, min: number, max: number, what: string): number => {
    const v = get(key) || String(fallback);
    if (!/^\d{1,6}$/.test(v) || Number(v) < min || Number(v) > max) throw new CamerasSettingsError(`${key}=${v}: expected ${what}`);
    return Number(v);
  };
  const path = (key: (typeof CAMERAS_ENV_KEYS)[number], fallback: string): string => {
    const v = get(key) || fallback;
    if (!/^\/\S/.test(v)) throw new CamerasSettingsError(`${key}=${v}: expected an absolute path`);
    return v.replace(/\/+$/, '');
  };
  const cluster = required('STACK_NAME', "the cluster's stack name");
  const bucket = required('BUCKET', 'the cluster bucket to archive into');
  const region = get('REGION') || 'us-east-1';
  if (!REGION.test(region)) throw new CamerasSettingsError(`REGION=${region}: expected an AWS region such as eu-west-1`);
  const segmentSeconds = whole('CAMERAS_SEGMENT_SECONDS', CAMERAS_DEFAULTS.segmentSeconds, 1, MAX_SEGMENT_SECONDS, `whole seconds from 1 to ${MAX_SEGMENT_SECONDS} that divide a day, e.g. 300 or 600`);
  // ffmpeg cuts from midnight (-segment_atclocktime): only a divisor of a day gives the same cuts every day.
  if (!isSegmentSeconds(segmentSeconds)) throw new CamerasSettingsError(`CAMERAS_SEGMENT_SECONDS=${segmentSeconds}: expected whole seconds from 1 to ${MAX_SEGMENT_SECONDS} that divide a day, e.g. 300 or 600`);
  return {
    cluster,
    region,
    bucket,
    camerasFile: path('CAMERAS_FILE', CAMERAS_DEFAULTS.camerasFile),
    dir: path('CAMERAS_DIR', CAMERAS_DEFAULTS.dir),
    segmentSeconds,
    port: whole('CAMERAS_PORT', CAMERAS_DEFAULTS.port, 1, 65535, 'a TCP port from 1 to 65535'),
    dailyGraceSeconds: whole('CAMERAS_DAILY_GRACE_SECONDS', DEFAULT_DAILY_GRACE_SECONDS, 0, 86_400, 'whole seconds from 0 to 86400'),
  };
}

/** The cameras of a cameras file (`{"cameras": [{"name", "url"}, …]}`; a `stream` is kvs-relay's, checked, unused here). */
export function parseCameras(text: string, file: string): Camera[] {
  return parseCameraEntries(text, file, { stream: 'optional', error: CamerasSettingsError }).map(({ name, url }) => ({ name, url }));
}
