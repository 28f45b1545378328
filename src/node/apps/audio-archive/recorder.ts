/**
 * The recorder of one stream: a supervised ffmpeg that copies the live stream (no re-encoding) into
 * segments cut at the clock's slot boundaries, restarted with back-off whenever it exits. Each run
 * writes into a directory of its own with its list file, so the uploader knows exactly which
 * segments are finished (layout.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Clock } from '../../context.js';
import { LIST_FILE, RUN_PREFIX, SEGMENT_PATTERN, type Stream } from './layout.js';
import { nap } from './nap.js';
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

export interface RecorderOptions {
  stream: Stream;
  /** The stream's directory; each run gets `run-<start ms>` in it. */
  dir: string;
  clock: Clock;
  /** The environment ffmpeg runs with (`TZ=UTC` is added: names and cuts are in UTC). */
  env: Readonly<Record<string, string | undefined>>;
  log(line: string): void;
  /** The program; default `ffmpeg` on PATH. */
  ffmpeg?: string;
  /** Back-off between runs: doubles from `minBackoffMs` (default 1 s) to `maxBackoffMs` (30 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run that lasted this long (default 60 s) resets the back-off. */
  stableMs?: number;
  /** How long `stop()` waits for ffmpeg to finish its segment after SIGINT before SIGKILL (default 5 s). */
  stopTimeoutMs?: number;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

const describeExit = ({ code, signal, error }: Exit) => (error ? `could not run (${error.message})` : signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`);

/**
 * Keeps ffmpeg recording one stream. The minimum back-off of 1 s also keeps segment names of two
 * runs apart (names have one-second resolution).
 */
export class Recorder {
  private child: ChildProcess | undefined;
  private run: string | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake = new AbortController();
  private runs = 0;

  constructor(private readonly options: RecorderOptions) {}

  /** Starts recording (again after `stop()`). */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.wake = new AbortController();
    this.loop = this.supervise();
  }

  /** Stops recording: SIGINT lets ffmpeg finish and list its segment; SIGKILL after the timeout. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGINT');
      const timer = new AbortController();
      const late = this.options.clock.sleep(this.options.stopTimeoutMs ?? 5000, timer.signal).then(() => 'late' as const);
      if ((await Promise.race([exited.then(() => 'done' as const), late])) === 'late') child.kill('SIGKILL');
      timer.abort();
      await exited;
    }
    await this.loop;
    this.loop = undefined;
  }

  /** The running ffmpeg's process id. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many runs have started. */
  get runCount(): number {
    return this.runs;
  }

  /** Whether ffmpeg is writing into this run directory now. */
  isLive(runDir: string): boolean {
    return this.run === runDir;
  }

  private async supervise(): Promise<void> {
    const { clock, log, stream } = this.options;
    const min = this.options.minBackoffMs ?? 1000;
    const max = this.options.maxBackoffMs ?? 30_000;
    let failures = 0;
    while (!this.stopping) {
      const started = clock.now();
      const exit = await this.runOnce();
      if (this.stopping) break;
      const lasted = clock.now() - started;
      if (lasted >= (this.options.stableMs ?? 60_000)) failures = 0;
      const delay = Math.min(max, min * 2 ** failures);
      failures++;
      log(`${stream.name}: ffmpeg ${describeExit(exit)} after ${(lasted / 1000).toFixed(1)} s; restarting in ${delay / 1000} s`);
      await nap(clock, delay, this.wake.signal);
    }
  }

  /** Makes the run's directory, live from before it exists: the uploader removes ended runs' empty directories. */
  private async newRunDir(): Promise<string> {
    const base = join(this.options.dir, `${RUN_PREFIX}${this.options.clock.now()}`);
    await mkdir(this.options.dir, { recursive: true });
    for (let i = 0; ; i++) {
      const dir = i === 0 ? base : `${base}-${i}`;
      this.run = dir;
      try {
        await mkdir(dir);
        return dir;
      } catch (error) {
        this.run = undefined;
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  private async runOnce(): Promise<Exit> {
    const { stream, log } = this.options;
    let runDir: string;
    try {
      runDir = await this.newRunDir();
    } catch (error) {
      return { code: null, signal: null, error: error as Error };
    }
    if (this.stopping) {
      this.run = undefined;
      return { code: 0, signal: null };
    }
    const env = Object.fromEntries(Object.entries({ ...this.options.env, TZ: 'UTC' }).filter((e): e is [string, string] => e[1] !== undefined));
    return new Promise<Exit>((resolve) => {
      this.runs++;
      const child = spawn(this.options.ffmpeg ?? 'ffmpeg', ffmpegArgs(stream, runDir), { stdio: ['ignore', 'ignore', 'pipe'], env });
      this.child = child;
      log(`${stream.name}: recording ${maskUrl(stream.url)} into ${runDir} (ffmpeg pid ${child.pid ?? '?'})`);
      if (child.stderr) createInterface({ input: child.stderr }).on('line', (line) => log(`${stream.name}: ffmpeg: ${line}`));
      let settled = false;
      const done = (exit: Exit) => {
        if (settled) return;
        settled = true;
        this.run = undefined;
        this.child = undefined;
        resolve(exit);
      };
      child.once('error', (error) => done({ code: null, signal: null, error }));
      child.once('close', (code, signal) => done({ code, signal }));
    });
  }
}
