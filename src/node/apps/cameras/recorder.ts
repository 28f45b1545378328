/**
 * The recorder of one camera: a supervised ffmpeg (shared/recorder.ts) writing the live HLS and the
 * archive's segments from one RTSP connection (ffmpeg.ts), restarted with back-off whenever it ends.
 * The live directory is emptied before each run and after it: a playlist is there only while a run
 * writes it, so the web server can tell a camera that is not being recorded (no `index.m3u8`).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { maskUrl } from '../kvs-relay/pipeline.js';
import { SegmentRecorder, type SegmentRecorderOptions } from '../shared/recorder.js';
import { cameraFfmpegArgs } from './ffmpeg.js';
import { archiveDir, type Camera, liveDir } from './layout.js';

export interface CameraRecorderOptions extends Omit<SegmentRecorderOptions, 'name' | 'url' | 'shownUrl' | 'args' | 'dir' | 'beforeRun' | 'afterRun'> {
  camera: Camera;
  /** CAMERAS_DIR: the camera's live directory and archive runs are below it (layout.ts). */
  dir: string;
  segmentSeconds: number;
  /** Live segment length asked of ffmpeg; default 1 s. */
  hlsSeconds?: number;
}

/** Removes the live directory's files (playlist first: a reader then finds no playlist rather than one naming deleted segments). */
async function emptyLive(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files = await readdir(dir);
  const playlists = files.filter((f) => f.endsWith('.m3u8'));
  for (const f of [...playlists, ...files.filter((f) => !playlists.includes(f))]) await rm(join(dir, f), { recursive: true, force: true });
}

export class CameraRecorder extends SegmentRecorder {
  constructor({ camera, dir, segmentSeconds, hlsSeconds, ...options }: CameraRecorderOptions) {
    const live = liveDir(dir, camera.name);
    super({
      ...options,
      name: camera.name,
      url: camera.url,
      shownUrl: maskUrl(camera.url),
      dir: archiveDir(dir, camera.name),
      args: (runDir) => cameraFfmpegArgs({ url: camera.url, liveDir: live, runDir, segmentSeconds, ...(hlsSeconds !== undefined ? { hlsSeconds } : {}) }),
      beforeRun: () => emptyLive(live),
      afterRun: () => emptyLive(live),
    });
  }
}
