/**
 * The uploader of finished segments (segments.ts): every finished segment of every run directory is
 * uploaded under the key the app gives it, then deleted locally. Its only state is the local
 * directory: a segment is uploaded until it is gone, so a restart (or a failed upload) loses nothing
 * and at worst uploads one again, under the same key. The audio archive and the cameras app use it.
 */
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../context.js';
import { nap } from './nap.js';
import { finishedSegmentsOf, LIST_FILE, RUN_PREFIX, segmentStartMsOf } from './segments.js';

/** What an upload carries besides the bytes. */
export interface UploadMeta {
  contentType: string;
  metadata: Record<string, string>;
}

export interface SegmentUploaderOptions {
  /** One directory per source below it, named by the source; run directories in those. */
  dir: string;
  sources: readonly { name: string }[];
  /** The segments' extension (no dot): the files the recorder names by `segmentPattern(ext)`. */
  ext: string;
  /** The key of a segment opened at `startMs`. */
  key(source: string, segment: string, startMs: number): string;
  /** Its content type and metadata; `complete`: ffmpeg finished it (listed), else a killed run's last one. */
  meta(source: string, segment: string, complete: boolean): UploadMeta;
  /** Writes the file `path` (`size` bytes) under `key`. */
  upload(key: string, path: string, size: number, meta: UploadMeta): Promise<void>;
  /** Whether ffmpeg is writing into a run directory now (its recorder's `isLive`). */
  isLive(runDir: string): boolean;
  clock: Clock;
  log(line: string): void;
  /** Between passes; default 2 s. */
  intervalMs?: number;
}

/** What one pass did. */
export interface UploadPass {
  /** Keys written. */
  uploaded: string[];
  /** Empty segments deleted without upload (a killed ffmpeg's last one). */
  dropped: string[];
  /** The first failure, which ended the pass (the rest waits for the next one). */
  failed?: string;
}

const missing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (missing(error)) return [];
    throw error;
  }
}

async function listed(runDir: string): Promise<Set<string>> {
  try {
    return new Set((await readFile(join(runDir, LIST_FILE), 'utf8')).split('\n').map((l) => l.trim()).filter(Boolean));
  } catch (error) {
    if (missing(error)) return new Set();
    throw error;
  }
}

export class SegmentUploader {
  constructor(private readonly options: SegmentUploaderOptions) {}

  /** Uploads every finished segment there is now, oldest run first; stops at the first failure. */
  async runOnce(): Promise<UploadPass> {
    const pass: UploadPass = { uploaded: [], dropped: [] };
    for (const source of this.options.sources) {
      const sourceDir = join(this.options.dir, source.name);
      const runs = (await entries(sourceDir)).filter((d) => d.startsWith(RUN_PREFIX)).sort((a, b) => Number(a.slice(RUN_PREFIX.length).split('-')[0]) - Number(b.slice(RUN_PREFIX.length).split('-')[0]));
      for (const run of runs) {
        const ok = await this.uploadRun(source.name, join(sourceDir, run), pass);
        if (!ok) return pass;
      }
    }
    return pass;
  }

  private async uploadRun(source: string, runDir: string, pass: UploadPass): Promise<boolean> {
    const { log, ext } = this.options;
    // Read liveness before the files: a run that ends meanwhile is taken whole by the next pass.
    const live = this.options.isLive(runDir);
    const list = await listed(runDir);
    const files = await entries(runDir);
    for (const name of finishedSegmentsOf(files, list, live, ext)) {
      const path = join(runDir, name);
      const start = segmentStartMsOf(name, ext) ?? 0;
      try {
        const { size } = await stat(path);
        if (size === 0) {
          await rm(path, { force: true });
          pass.dropped.push(path);
          log(`${source}: dropped the empty segment ${name} of an ended run (ffmpeg was killed)`);
          continue;
        }
        const key = this.options.key(source, name, start);
        await this.options.upload(key, path, size, this.options.meta(source, name, list.has(name)));
        await rm(path, { force: true });
        pass.uploaded.push(key);
      } catch (error) {
        pass.failed = `${source}: cannot upload ${name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
        log(`${pass.failed} (kept; next try in the next pass)`);
        return false;
      }
    }
    if (!live && (await entries(runDir)).every((f) => f === LIST_FILE || segmentStartMsOf(f, ext) === undefined)) {
      // An ended run with nothing left to upload: its list file goes, and the directory if nothing else is in it.
      await rm(join(runDir, LIST_FILE), { force: true });
      await rmdir(runDir).catch(() => undefined);
    }
    return true;
  }

  /** Uploads every `intervalMs`, backing off (to 1 min) while uploads fail, until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const interval = this.options.intervalMs ?? 2000;
    let delay = interval;
    while (!signal.aborted) {
      let failed = true;
      try {
        failed = (await this.runOnce()).failed !== undefined;
      } catch (error) {
        this.options.log(`upload pass failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      delay = failed ? Math.min(60_000, delay * 2) : interval;
      await nap(this.options.clock, delay, signal);
    }
  }
}

/**
 * How a recording app stops: its recorders first (each ffmpeg finishes and lists its last segment), then
 * its loops, then one last upload pass, so a segment finished during the stop still goes up.
 */
export async function stopRecordingAndUpload(o: { recorders: Iterable<{ stop(): Promise<unknown> }>; abort: AbortController; loops: Promise<unknown>; uploader: { runOnce(): Promise<unknown> }; log: (line: string) => void }): Promise<void> {
  await Promise.all([...o.recorders].map((r) => r.stop()));
  o.abort.abort();
  await o.loops;
  await o.uploader.runOnce().catch((error: unknown) => o.log(`last upload pass failed: ${error instanceof Error ? error.message : String(error)}`));
}
