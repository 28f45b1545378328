/**
 * ffmpeg's command line for one camera (Debian's ffmpeg 5.1; `ffmpeg -h demuxer=rtsp`, `-h muxer=hls`,
 * `-h muxer=segment`). Pure.
 *
 * One RTSP connection feeds two outputs: the live HLS the web server serves, and the archive's
 * segments cut at clock boundaries. The video is copied, never re-encoded. The audio is transcoded to
 * AAC: cameras mostly send G.711 (PCMU/PCMA), which neither MPEG-TS nor HLS can carry, and an AAC
 * encoder on a mono 8 kHz track costs next to nothing; a camera without audio is recorded without
 * (`-map 0:a:0?`).
 */
import { join } from 'node:path';
import { LIST_FILE } from '../shared/segments.js';
import { LIVE_PLAYLIST, LIVE_SEGMENT_PATTERN, SEGMENT_PATTERN } from './layout.js';

export interface CameraFfmpegOptions {
  /** `rtsp://[user:password@]host[:port]/path`: ffmpeg's argv holds it whole (see the docs: it shows in /proc). */
  url: string;
  /** The camera's live directory ({@link liveDir}): `index.m3u8` and its segments. */
  liveDir: string;
  /** This run's archive directory: its segments and their list file. */
  runDir: string;
  /** Archive segment length; divides a day (cuts are counted from midnight UTC). */
  segmentSeconds: number;
  /** Live segment length asked for (default 1 s); the camera's keyframe interval decides the real one. */
  hlsSeconds?: number;
}

/** Live playlist length, in segments: a player starts three segments from the end, so a few more than that. */
export const HLS_LIST_SIZE = 6;
/** Socket I/O timeout of the RTSP input: a camera silent this long ends the run, and the recorder retries. */
export const RTSP_TIMEOUT_US = 15_000_000;
/** AAC bit rate of the transcoded audio: enough for a camera's mono microphone at any sample rate. */
export const AUDIO_BITRATE = '32k';

/** What each output takes: the first video stream copied, the first audio stream (if any) as AAC. */
const streams = (): string[] => ['-map', '0:v:0', '-map', '0:a:0?', '-c:v', 'copy', '-c:a', 'aac', '-b:a', AUDIO_BITRATE];

/** The exact argv (without `ffmpeg` itself) for one camera; ffmpeg must run with `TZ=UTC` (segment names). */
export function cameraFfmpegArgs(o: CameraFfmpegOptions): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning',
    // RTSP over TCP: no lost UDP packets (smeared keyframes) behind NAT or on a busy link.
    '-rtsp_transport', 'tcp', '-timeout', String(RTSP_TIMEOUT_US),
    '-i', o.url,
    // Live HLS: short segments (cut at the first keyframe after hlsSeconds), a playlist of a few,
    // older segments deleted. temp_file: the playlist and each segment are written under a temporary
    // name and renamed, so a reader never sees a partial one. Segments are numbered from the run's
    // epoch second (hls_start_number_source), so a restarted recorder never reuses a name a player
    // may have cached.
    ...streams(),
    '-f', 'hls', '-hls_time', String(o.hlsSeconds ?? 1), '-hls_list_size', String(HLS_LIST_SIZE),
    '-hls_flags', 'delete_segments+temp_file+independent_segments+program_date_time',
    '-hls_start_number_source', 'epoch',
    '-hls_segment_filename', join(o.liveDir, LIVE_SEGMENT_PATTERN),
    join(o.liveDir, LIVE_PLAYLIST),
    // Archive: MPEG-TS segments at clock boundaries, named by their UTC start, listed once finished.
    ...streams(),
    '-f', 'segment', '-segment_format', 'mpegts', '-segment_time', String(o.segmentSeconds), '-segment_atclocktime', '1', '-strftime', '1',
    '-segment_list', join(o.runDir, LIST_FILE), '-segment_list_type', 'flat',
    join(o.runDir, SEGMENT_PATTERN),
  ];
}
