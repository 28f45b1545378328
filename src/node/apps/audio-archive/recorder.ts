/**
 * The recorder of one stream: a supervised ffmpeg (shared/recorder.ts) that copies the live stream
 * (no re-encoding) into segments cut at the clock's slot boundaries, restarted with back-off whenever
 * it exits. Each run writes into a directory of its own with its list file, so the uploader knows
 * exactly which segments are finished (layout.ts).
 */
import { join } from 'node:path';
import { SegmentRecorder, type SegmentRecorderOptions } from '../shared/recorder.js';
import { LIST_FILE, SEGMENT_PATTERN, type Stream } from './layout.js';
import { maskUrl } from './settings.js';

/**
 * ffmpeg's arguments for one run (Debian's ffmpeg 5.1: `ffmpeg -h muxer=segment`): reconnecting
 * HTTP input, the first audio stream copied, MP3 segments at clock time named by their start, and
 * the run's list of finished segments.
 */
export function ffmpegArgs(stream: Stream, runDir: string): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    // HTTP: reconnect a dropped live stream (up to 5 s between tries), and give up on a silent one
    // after 15 s (rw_timeout, in µs) so that the supervisor restarts it.
    '-reconnect', '1', '-reconnect_streamed', '1', '-reconnect_delay_max', '5', '-rw_timeout', '15000000',
    '-i', stream.url,
    '-map', '0:a:0', '-c', 'copy',
    '-f', 'segment', '-segment_format', 'mp3', '-segment_time', String(stream.segmentSeconds), '-segment_atclocktime', '1', '-strftime', '1',
    '-segment_list', join(runDir, LIST_FILE), '-segment_list_type', 'flat',
    join(runDir, SEGMENT_PATTERN),
  ];
}

export interface RecorderOptions extends Omit<SegmentRecorderOptions, 'name' | 'url' | 'shownUrl' | 'args'> {
  stream: Stream;
}

/** Keeps ffmpeg recording one stream (the URL masked as the audio archive shows it). */
export class Recorder extends SegmentRecorder {
  constructor({ stream, ...options }: RecorderOptions) {
    super({ ...options, name: stream.name, url: stream.url, shownUrl: maskUrl(stream.url), args: (runDir) => ffmpegArgs(stream, runDir) });
  }
}
