/**
 * The cameras app's recording half on the app node: a recorder per camera (live HLS + archive
 * segments), one uploader of finished segments into `cameras/<camera>/segments/…`, and the daily MP4
 * job. The status (never a camera's password) is kept in `<dir>/status.json`.
 */
import { join } from 'node:path';
import type { Clock } from '../../context.js';
import type { RecorderStatus } from '../shared/recorder.js';
import { statusFile } from '../shared/status-file.js';
import { SegmentUploader, stopRecordingAndUpload } from '../shared/uploader.js';
import { DailyJob, type DailyResult, runDailyJobs } from './daily.js';
import { archiveRoot, type Camera, dailyWorkDir, SEGMENT_EXT, segmentKey } from './layout.js';
import { CameraRecorder } from './recorder.js';
import type { CameraStore } from './store.js';

export interface CamerasRecordingOptions {
  cameras: readonly Camera[];
  /** The stack's name, in the objects' metadata. */
  cluster: string;
  /** CAMERAS_DIR. */
  dir: string;
  segmentSeconds: number;
  /** Live segment length asked of ffmpeg; default 1 s. */
  hlsSeconds?: number;
  dailyGraceSeconds: number;
  store: CameraStore;
  clock: Clock;
  /** The environment ffmpeg runs with. */
  env: Readonly<Record<string, string | undefined>>;
  log(line: string): void;
  ffmpeg?: string;
  /** Between upload passes; default 2 s. */
  uploadIntervalMs?: number;
  /** The recorders' back-off: first delay (default 1 s), longest (30 s), a run this long resets it (60 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  stableMs?: number;
  /** Run the daily MP4 job (default true). */
  daily?: boolean;
  /** Default `<dir>/status.json`; empty: none. */
  statusFile?: string;
}

/** The status file's content; fields are added, never renamed. */
export interface CamerasStatus {
  updatedAt: string;
  cameras: RecorderStatus[];
  upload: { uploaded: number; lastKey?: string; lastUploadAt?: string; lastError?: string };
  daily: { lastPassAt?: string; results: DailyResult[] };
}

export interface RunningCameras {
  recorders: ReadonlyMap<string, CameraRecorder>;
  uploader: SegmentUploader;
  status(): CamerasStatus;
  /** Resolves once the status file holds the latest status. */
  flushed(): Promise<void>;
  /**
   * Stops: every ffmpeg finishes its segment (SIGINT), one last upload pass takes them, the loops
   * end. What is not uploaded stays on disk for the next start.
   */
  stop(): Promise<void>;
  /** Settles once `stop()` has ended everything. */
  done: Promise<void>;
}

export function startCamerasRecording(options: CamerasRecordingOptions): RunningCameras {
  const { cameras, clock, log, dir } = options;
  const abort = new AbortController();
  const iso = () => new Date(clock.now()).toISOString();
  const upload: CamerasStatus['upload'] = { uploaded: 0 };
  const daily: CamerasStatus['daily'] = { results: [] };
  const status = (): CamerasStatus => ({ updatedAt: iso(), cameras: [...recorders.values()].map((r) => r.status()), upload: { ...upload }, daily: { ...daily } });
  const file = statusFile(options.statusFile ?? join(dir, 'status.json'), status, log);
  const recorders = new Map(
    cameras.map((camera) => [
      camera.name,
      new CameraRecorder({
        camera,
        dir,
        segmentSeconds: options.segmentSeconds,
        ...(options.hlsSeconds !== undefined ? { hlsSeconds: options.hlsSeconds } : {}),
        clock,
        env: options.env,
        log,
        onChange: () => file.changed(),
        ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}),
        ...(options.minBackoffMs !== undefined ? { minBackoffMs: options.minBackoffMs } : {}),
        ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
        ...(options.stableMs !== undefined ? { stableMs: options.stableMs } : {}),
      }),
    ]),
  );
  const uploader = new SegmentUploader({
    dir: archiveRoot(dir),
    sources: cameras,
    ext: SEGMENT_EXT,
    key: (camera, _segment, start) => segmentKey(camera, start),
    // complete: ffmpeg finished it (listed); otherwise the last, cut segment of a killed run (MPEG-TS: it plays up to the cut).
    meta: (camera, segment, complete) => ({ contentType: 'video/mp2t', metadata: { cluster: options.cluster, camera, segment, complete: String(complete) } }),
    upload: async (key, path, size, meta) => {
      try {
        await options.store.putFile(key, path, size, meta);
      } catch (error) {
        upload.lastError = `${key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
        file.changed();
        throw error;
      }
      Object.assign(upload, { uploaded: upload.uploaded + 1, lastKey: key, lastUploadAt: iso() });
      delete upload.lastError;
      file.changed();
    },
    isLive: (runDir) => [...recorders.values()].some((r) => r.isLive(runDir)),
    clock,
    log,
    ...(options.uploadIntervalMs ? { intervalMs: options.uploadIntervalMs } : {}),
  });
  const jobs =
    options.daily === false
      ? []
      : cameras.map((camera) => new DailyJob({ camera: camera.name, cluster: options.cluster, store: options.store, workDir: dailyWorkDir(dir), clock, log, graceSeconds: options.dailyGraceSeconds, env: options.env, ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}) }));
  for (const r of recorders.values()) r.start();
  file.changed();
  const onPass = (results: DailyResult[]) => {
    Object.assign(daily, { lastPassAt: iso(), results });
    file.changed();
  };
  const loops = Promise.all([uploader.run(abort.signal), jobs.length > 0 ? runDailyJobs(jobs, { clock, graceSeconds: options.dailyGraceSeconds, log, onPass, workDir: dailyWorkDir(dir) }, abort.signal) : undefined]);
  let stopped: Promise<void> | undefined;
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const stop = () =>
    (stopped ??= (async () => {
      await stopRecordingAndUpload({ recorders: recorders.values(), abort, loops, uploader, log });
      file.changed();
      await file.flushed();
    })());
  return { recorders, uploader, status, flushed: () => file.flushed(), done, stop: () => stop().then(settle) };
}
