/**
 * The cameras app's layouts (pure): its defaults, the local directories (the live HLS the web server
 * reads, the archive's run directories the uploader empties) and the S3 keys of the archived
 * segments, the daily MP4s and the daily job's progress. Times are UTC.
 */
import type { CameraEntry } from '../kvs-relay/settings.js';
import { segmentPattern, segmentStartMsOf } from '../shared/segments.js';

/** One camera of the cameras file (`{"cameras": [{"name", "url"}]}`, kvs-relay's format; `stream` unused here). */
export type Camera = Pick<CameraEntry, 'name' | 'url'>;

export const CAMERAS_DEFAULTS = { camerasFile: '/etc/elasticrtc/cameras/cameras.json', dir: '/var/lib/elasticrtc/cameras', port: 8081, segmentSeconds: 600 } as const;

/** The live HLS of a camera: `<dir>/live/<camera>/`, holding {@link LIVE_PLAYLIST} and its segments. */
export const liveDir = (dir: string, camera: string): string => `${dir}/live/${camera}`;
/** The live playlist's file name in {@link liveDir}; absent while the camera is not being recorded. */
export const LIVE_PLAYLIST = 'index.m3u8';
/** The live segments' ffmpeg pattern: numbered by the media sequence, which starts at the run's epoch second. */
export const LIVE_SEGMENT_PATTERN = 'live-%d.ts';

/** Where the archive segments wait for upload: `<dir>/archive/`, a directory per camera. */
export const archiveRoot = (dir: string): string => `${dir}/archive`;
/** Where a camera's archive segments wait for upload: `<dir>/archive/<camera>/run-<start ms>/`. */
export const archiveDir = (dir: string, camera: string): string => `${archiveRoot(dir)}/${camera}`;
/** Where the daily job downloads a day's segments and builds its MP4 (emptied after each day). */
export const dailyWorkDir = (dir: string): string => `${dir}/daily`;

/** Archive segments are MPEG-TS: a file cut by a killed ffmpeg still plays up to its last packet. */
export const SEGMENT_EXT = 'ts';
export const SEGMENT_PATTERN = segmentPattern(SEGMENT_EXT);
export const segmentStartMs = (name: string): number | undefined => segmentStartMsOf(name, SEGMENT_EXT);

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const ymd = (d: Date, sep: string) => `${pad(d.getUTCFullYear(), 4)}${sep}${pad(d.getUTCMonth() + 1)}${sep}${pad(d.getUTCDate())}`;

export const DAY_MS = 86_400_000;
/** The UTC day a time falls in (its midnight, ms since the epoch). */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
/** `2026-05-04`. */
export const dayName = (dayMs: number): string => ymd(new Date(dayMs), '-');

/** The midnight of a {@link dayName}, else `undefined`. */
export function parseDayName(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || dayName(ms) !== text ? undefined : ms;
}

/** Every archived segment of a camera: `cameras/<camera>/segments/`. */
export const segmentsPrefix = (camera: string): string => `cameras/${camera}/segments/`;
/** A day's archived segments: `cameras/<camera>/segments/YYYY/MM/DD/`. */
export const segmentsDayPrefix = (camera: string, dayMs: number): string => `${segmentsPrefix(camera)}${ymd(new Date(dayMs), '/')}/`;

/**
 * An archived segment, by the UTC time ffmpeg opened it: `cameras/<camera>/segments/YYYY/MM/DD/<camera>-HHMMSS.ts`.
 * Named by its own start (not its slot), so the short first segment of a restarted recorder sits
 * beside the one cut before the restart instead of replacing it.
 */
export function segmentKey(camera: string, startMs: number): string {
  const d = new Date(startMs);
  return `${segmentsDayPrefix(camera, startMs)}${camera}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.${SEGMENT_EXT}`;
}

/** The start of an archived segment from its key, else `undefined` (a key of another layout or camera). */
export function parseSegmentKey(camera: string, key: string): number | undefined {
  const m = /^cameras\/([^/]+)\/segments\/(\d{4})\/(\d{2})\/(\d{2})\/([^/]+)-(\d{2})(\d{2})(\d{2})\.ts$/.exec(key);
  if (!m || m[1] !== camera || m[5] !== camera) return undefined;
  return segmentStartMs(`${m[2]}${m[3]}${m[4]}T${m[6]}${m[7]}${m[8]}.${SEGMENT_EXT}`);
}

/** The MP4 of a camera's UTC day: `cameras/<camera>/daily/YYYY/MM/<camera>-YYYY-MM-DD.mp4`. */
export function dailyKey(camera: string, dayMs: number): string {
  const d = new Date(dayMs);
  return `cameras/${camera}/daily/${pad(d.getUTCFullYear(), 4)}/${pad(d.getUTCMonth() + 1)}/${camera}-${dayName(dayMs)}.mp4`;
}

/** The daily job's progress for a camera: `cameras/<camera>/state.json`. */
export const stateKey = (camera: string): string => `cameras/${camera}/state.json`;
