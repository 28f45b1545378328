/**
 * Segments written by ffmpeg's segment muxer (`-f segment -strftime 1 -segment_list …`), as the
 * recorders of the audio archive and of the cameras app write them: one directory per ffmpeg run,
 * its list file, and files named by the UTC time they were opened. Pure.
 */

/** Each ffmpeg run writes into its own directory `run-<start ms>` under its source's directory. */
export const RUN_PREFIX = 'run-';
/** The run's `-segment_list`: ffmpeg appends a segment's name once it has finished it. */
export const LIST_FILE = 'segments.list';

/** ffmpeg's `-strftime` pattern of a segment file with extension `ext` (no dot); ffmpeg runs with `TZ=UTC`. */
export const segmentPattern = (ext: string): string => `%Y%m%dT%H%M%S.${ext}`;

const SEGMENT_NAME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.([a-z0-9]+)$/;

/**
 * When a segment file named by {@link segmentPattern} with extension `ext` was opened (ms since the
 * epoch), else `undefined`.
 */
export function segmentStartMsOf(name: string, ext: string): number | undefined {
  const m = SEGMENT_NAME.exec(name);
  if (!m || m[7] !== ext) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  // Date.UTC rolls over (month 13, second 61): such a name is not one ffmpeg wrote.
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === s ? ms : undefined;
}

/**
 * The segments of one run directory that are finished: for a live run, those in its list file that
 * are followed by a later file (ffmpeg writes a segment's list entry just before it closes the file,
 * and opens the next one after); for a run that has ended, every segment file left (the last one is
 * empty or partial after a SIGKILL). Oldest first.
 */
export function finishedSegmentsOf(files: readonly string[], listed: ReadonlySet<string>, live: boolean, ext: string): string[] {
  const segments = files.filter((f) => segmentStartMsOf(f, ext) !== undefined).sort();
  if (!live) return segments;
  const newest = segments[segments.length - 1];
  return segments.filter((f) => listed.has(f) && newest !== undefined && f < newest);
}
