/**
 * The audio archive's slot math and layouts (pure): segment file names, the local run directories,
 * the S3 keys under `staging/`, `final/` and `state/`, and the choice of the best copy of a slot.
 *
 * A slot is a fixed interval of the wall clock: slot n of a stream with segments of S seconds is
 * [n·S, (n+1)·S) seconds since the epoch (UTC). ffmpeg cuts at the same boundaries
 * (`-segment_atclocktime 1`, counted from midnight, so S must divide a day) and names each segment
 * by the time it was opened; a segment belongs to the slot its name falls in, so the shortened first
 * segment of a restarted recorder (opened mid-slot) still maps to its slot.
 */
import { finishedSegmentsOf, LIST_FILE, RUN_PREFIX, segmentPattern, segmentStartMsOf } from '../shared/segments.js';

/** One recorded stream. */
export interface Stream {
  /** Names the stream in S3 keys and in the metric's `Stream` dimension. */
  name: string;
  /** The live stream (Icecast, SHOUTcast, any HTTP MP3 stream). */
  url: string;
  /** Segment (slot) length in seconds; divides a day. */
  segmentSeconds: number;
}

export { LIST_FILE, RUN_PREFIX };

/** ffmpeg's `-strftime` pattern of a segment file; the recorder runs ffmpeg with `TZ=UTC`. */
export const SEGMENT_PATTERN = segmentPattern('mp3');

/** When a segment file named by {@link SEGMENT_PATTERN} was opened (ms since the epoch), else `undefined`. */
export const segmentStartMs = (name: string): number | undefined => segmentStartMsOf(name, 'mp3');

/** The slot a time falls in. */
export const slotOf = (ms: number, segmentSeconds: number): number => Math.floor(ms / (segmentSeconds * 1000));

/** When a slot starts (ms since the epoch). */
export const slotStartMs = (slot: number, segmentSeconds: number): number => slot * segmentSeconds * 1000;

/**
 * The newest slot the reconciler may close at `nowMs`: one that ended at least `graceSeconds` ago
 * (time for both recorders to finish and upload it).
 */
export const lastClosableSlot = (nowMs: number, segmentSeconds: number, graceSeconds: number): number => slotOf(nowMs - graceSeconds * 1000, segmentSeconds) - 1;

/** ISO 8601 to the second, UTC: `2026-11-30T22:40:02Z` (sorts as it reads). */
export const isoSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const ISO_SECOND = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** The time of an {@link isoSecond} text, else `undefined`. */
export function parseIsoSecond(text: string): number | undefined {
  if (!ISO_SECOND.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || isoSecond(ms) !== text ? undefined : ms;
}

/** Every staged copy of a stream, all nodes: `staging/<stream>/`. */
export const stagingPrefix = (stream: string): string => `staging/${stream}/`;

/** A staged copy: `staging/<stream>/<node id>/<slot start, ISO>-<segment file name>`. */
export const stagingKey = (stream: string, nodeId: string, slotStart: number, segment: string): string => `${stagingPrefix(stream)}${nodeId}/${isoSecond(slotStart)}-${segment}`;

/** One staged copy, as the reconciler sees it. */
export interface StagedCopy {
  key: string;
  node: string;
  /** The segment file's name on the recorder. */
  segment: string;
  slotStart: number;
  /** Bytes. */
  size: number;
}

const STAGING_KEY = /^staging\/([^/]+)\/([^/]+)\/(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)-([^/]+)$/;

/** Reads a staged key of `stream` back, else `undefined` (a key of another layout). */
export function parseStagingKey(stream: string, key: string, size: number): StagedCopy | undefined {
  const m = STAGING_KEY.exec(key);
  if (!m || m[1] !== stream) return undefined;
  const slotStart = parseIsoSecond(m[3] ?? '');
  return slotStart === undefined ? undefined : { key, node: m[2] ?? '', segment: m[4] ?? '', slotStart, size };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The one archived copy of a slot: `final/<stream>/YYYY/MM/DD/<stream>-HHMMSS.mp3` (UTC, the slot's start). */
export function finalKey(stream: string, slotStart: number): string {
  const d = new Date(slotStart);
  const day = `${pad(d.getUTCFullYear(), 4)}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return `final/${stream}/${day}/${stream}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.mp3`;
}

/** The reconciler's progress for a stream: `state/<stream>.json`. */
export const stateKey = (stream: string): string => `state/${stream}.json`;

/**
 * The copy of a slot to keep: the longest non-empty one (a killed recorder leaves an empty or a
 * short segment; a restarted one a short first segment); between equally long copies, the first key,
 * so every reconciler picks the same. `undefined` when no copy has a byte.
 */
export function bestCopy(copies: readonly StagedCopy[]): StagedCopy | undefined {
  return copies
    .filter((c) => c.size > 0)
    .sort((a, b) => b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0];
}

/** The MP3 segments of one run directory that are finished (shared/segments.ts). */
export const finishedSegments = (files: readonly string[], listed: ReadonlySet<string>, live: boolean): string[] => finishedSegmentsOf(files, listed, live, 'mp3');
