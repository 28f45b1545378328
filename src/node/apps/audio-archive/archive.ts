/**
 * The audio archive on one node: a recorder per stream, one uploader for all, and a reconciler per
 * stream (every node runs them all; they agree through S3).
 */
import { join } from 'node:path';
import type { Clock } from '../../context.js';
import type { Stream } from './layout.js';
import { Reconciler } from './reconciler.js';
import { Recorder } from './recorder.js';
import type { ArchiveStore, MissingSlotsMetric } from './store.js';
import { Uploader } from './uploader.js';
import { stopRecordingAndUpload } from '../shared/uploader.js';

export interface AudioArchiveOptions {
  streams: readonly Stream[];
  cluster: string;
  nodeId: string;
  /** Segments wait here (one directory per stream) until they are uploaded. */
  dir: string;
  graceSeconds: number;
  store: ArchiveStore;
  metric: MissingSlotsMetric;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  log(line: string): void;
  ffmpeg?: string;
  /** Between upload passes; default 2 s. */
  uploadIntervalMs?: number;
  /** Run the reconcilers (default true). */
  reconcile?: boolean;
  /** The recorders' first back-off; default 1 s. */
  minBackoffMs?: number;
}

/** A running archive. */
export interface RunningArchive {
  recorders: ReadonlyMap<string, Recorder>;
  uploader: Uploader;
  reconcilers: ReadonlyMap<string, Reconciler>;
  /** Settles once `stop()` has ended everything. */
  done: Promise<void>;
  /**
   * Stops: every ffmpeg finishes its segment, one last upload pass takes them, the loops end.
   * What is not uploaded stays on disk for the next start.
   */
  stop(): Promise<void>;
}

export function startAudioArchive(options: AudioArchiveOptions): RunningArchive {
  const { streams, clock, log } = options;
  const abort = new AbortController();
  const recorders = new Map(
    streams.map((stream) => [
      stream.name,
      new Recorder({ stream, dir: join(options.dir, stream.name), clock, env: options.env, log, ...(options.ffmpeg ? { ffmpeg: options.ffmpeg } : {}), ...(options.minBackoffMs ? { minBackoffMs: options.minBackoffMs } : {}) }),
    ]),
  );
  const uploader = new Uploader({
    dir: options.dir,
    streams,
    nodeId: options.nodeId,
    store: options.store,
    isLive: (runDir) => [...recorders.values()].some((r) => r.isLive(runDir)),
    clock,
    log,
    ...(options.uploadIntervalMs ? { intervalMs: options.uploadIntervalMs } : {}),
  });
  const reconcilers = new Map(
    options.reconcile === false
      ? []
      : streams.map((stream) => [stream.name, new Reconciler({ stream, cluster: options.cluster, store: options.store, metric: options.metric, clock, log, graceSeconds: options.graceSeconds })]),
  );
  for (const r of recorders.values()) r.start();
  const loops = Promise.all([uploader.run(abort.signal), ...[...reconcilers.values()].map((r) => r.run(abort.signal))]);
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await stopRecordingAndUpload({ recorders: recorders.values(), abort, loops, uploader, log });
    })());
  let settle: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (settle = resolve));
  return { recorders, uploader, reconcilers, done, stop: () => stop().then(settle) };
}
