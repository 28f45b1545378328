/**
 * The uploader: every finished segment goes to `staging/<stream>/<node id>/<slot start>-<name>` and
 * is then deleted locally. Its only state is the local directory: a segment is uploaded until it is
 * gone, so a restart (or a failed upload) loses nothing and at worst uploads one again, under the
 * same key.
 */
import { readdir, readFile, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../context.js';
import { finishedSegments, LIST_FILE, RUN_PREFIX, segmentStartMs, slotOf, slotStartMs, stagingKey, type Stream } from './layout.js';
import { nap } from './nap.js';
import type { ArchiveStore } from './store.js';

export interface UploaderOptions {
  /** The archive's directory: one directory per stream, named by it. */
  dir: string;
  streams: readonly Stream[];
  nodeId: string;
  store: Pick<ArchiveStore, 'put'>;
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

export class Uploader {
  constructor(private readonly options: UploaderOptions) {}

  /** Uploads every finished segment there is now, oldest run first; stops at the first failure. */
  async runOnce(): Promise<UploadPass> {
    const pass: UploadPass = { uploaded: [], dropped: [] };
    for (const stream of this.options.streams) {
      const streamDir = join(this.options.dir, stream.name);
      const runs = (await entries(streamDir)).filter((d) => d.startsWith(RUN_PREFIX)).sort((a, b) => Number(a.slice(RUN_PREFIX.length).split('-')[0]) - Number(b.slice(RUN_PREFIX.length).split('-')[0]));
      for (const run of runs) {
        const ok = await this.uploadRun(stream, join(streamDir, run), pass);
        if (!ok) return pass;
      }
    }
    return pass;
  }

  private async uploadRun(stream: Stream, runDir: string, pass: UploadPass): Promise<boolean> {
    const { log, nodeId, store } = this.options;
    // Read liveness before the files: a run that ends meanwhile is taken whole by the next pass.
    const live = this.options.isLive(runDir);
    const list = await listed(runDir);
    const files = await entries(runDir);
    for (const name of finishedSegments(files, list, live)) {
      const path = join(runDir, name);
      const start = segmentStartMs(name) ?? 0;
      try {
        const { size } = await stat(path);
        if (size === 0) {
          await rm(path, { force: true });
          pass.dropped.push(path);
          log(`${stream.name}: dropped the empty segment ${name} of an ended run (ffmpeg was killed)`);
          continue;
        }
        const key = stagingKey(stream.name, nodeId, slotStartMs(slotOf(start, stream.segmentSeconds), stream.segmentSeconds), name);
        const body = await readFile(path);
        await store.put(key, body, {
          contentType: 'audio/mpeg',
          // complete: ffmpeg finished it (listed); otherwise the last, cut segment of a killed run.
          metadata: { node: nodeId, segment: name, complete: String(list.has(name)) },
        });
        await rm(path, { force: true });
        pass.uploaded.push(key);
      } catch (error) {
        pass.failed = `${stream.name}: cannot upload ${name}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
        log(`${pass.failed} (kept; next try in the next pass)`);
        return false;
      }
    }
    if (!live && (await entries(runDir)).every((f) => f === LIST_FILE || segmentStartMs(f) === undefined)) {
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
