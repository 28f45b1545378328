/**
 * A supervised ffmpeg that writes segments: started again with back-off whenever it exits, each run
 * in a directory of its own (`run-<start ms>`) with its list file, so an uploader knows exactly which
 * segments are finished (segments.ts). The audio archive records a stream with it, the cameras app
 * a camera.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Clock } from '../../context.js';
import { redact } from '../kvs-relay/pipeline.js';
import { nap } from './nap.js';
import { RUN_PREFIX } from './segments.js';

export interface SegmentRecorderOptions {
  /** Names the source in logs and the status. */
  name: string;
  /** The source's URL: its password (and the URL itself) never reach a log line or the status. */
  url: string;
  /** The URL as logs show it (the app's mask). */
  shownUrl: string;
  /** ffmpeg's arguments for a run writing into `runDir`. */
  args(runDir: string): string[];
  /** The source's directory; each run gets `run-<start ms>` in it. */
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
  /** Before each run (the cameras app empties the live directory); a failure is logged, the run goes on. */
  beforeRun?(): Promise<void>;
  /** After each run has ended. */
  afterRun?(): Promise<void>;
  /** Called on every change of {@link SegmentRecorder.status}. */
  onChange?(): void;
}

/** A recorder's state, as logs and status files show it; never the URL's password. */
export interface RecorderStatus {
  name: string;
  /** The URL as logs show it. */
  url: string;
  /** `recording`: ffmpeg runs; `retrying`: it ended, runs again at `nextRetryAt`; `stopped`. */
  state: 'idle' | 'recording' | 'retrying' | 'stopped';
  /** Since when in this state (ISO 8601). */
  since: string;
  pid?: number;
  /** Runs started. */
  runs: number;
  /** Ends in a row without a stable run (the back-off's exponent). */
  failures: number;
  retryDelayMs?: number;
  nextRetryAt?: string;
  /** How the last run ended, and ffmpeg's last line before it (masked). */
  lastExit?: string;
  lastError?: string;
}

type Exit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

const describeExit = ({ code, signal, error }: Exit) => (error ? `could not run (${error.message})` : signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`);
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Keeps ffmpeg recording one source. The minimum back-off of 1 s also keeps segment names of two
 * runs apart (names have one-second resolution).
 */
export class SegmentRecorder {
  private child: ChildProcess | undefined;
  private run: string | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake = new AbortController();
  private runs = 0;
  private current: RecorderStatus;

  constructor(private readonly options: SegmentRecorderOptions) {
    this.current = { name: options.name, url: options.shownUrl, state: 'idle', since: iso(options.clock.now()), runs: 0, failures: 0 };
  }

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

  status(): RecorderStatus {
    return { ...this.current };
  }

  private set(next: Partial<RecorderStatus>, clear: (keyof RecorderStatus)[] = []): void {
    const since = next.state !== undefined && next.state !== this.current.state ? iso(this.options.clock.now()) : this.current.since;
    this.current = { ...this.current, ...next, since };
    for (const key of clear) delete this.current[key];
    this.options.onChange?.();
  }

  private async hook(which: 'beforeRun' | 'afterRun'): Promise<void> {
    try {
      await this.options[which]?.();
    } catch (error) {
      this.options.log(`${this.options.name}: ${which === 'beforeRun' ? 'preparing the run' : 'cleaning up after the run'} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async supervise(): Promise<void> {
    const { clock, log, name } = this.options;
    const min = this.options.minBackoffMs ?? 1000;
    const max = this.options.maxBackoffMs ?? 30_000;
    let failures = 0;
    while (!this.stopping) {
      const started = clock.now();
      await this.hook('beforeRun');
      const { exit, lastLine } = await this.runOnce();
      await this.hook('afterRun');
      if (this.stopping) break;
      const lasted = clock.now() - started;
      if (lasted >= (this.options.stableMs ?? 60_000)) failures = 0;
      const delay = Math.min(max, min * 2 ** failures);
      failures++;
      const now = clock.now();
      this.set({ state: 'retrying', failures, retryDelayMs: delay, nextRetryAt: iso(now + delay), lastExit: describeExit(exit), ...(lastLine ? { lastError: lastLine } : {}) }, ['pid', ...(lastLine ? [] : (['lastError'] as const))]);
      log(`${name}: ffmpeg ${describeExit(exit)} after ${(lasted / 1000).toFixed(1)} s; restarting in ${delay / 1000} s`);
      await nap(clock, delay, this.wake.signal);
    }
    this.set({ state: 'stopped' }, ['pid', 'retryDelayMs', 'nextRetryAt']);
  }

  /** Makes the run's directory, live from before it exists: an uploader removes ended runs' empty directories. */
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

  private async runOnce(): Promise<{ exit: Exit; lastLine?: string }> {
    const { name, url, log } = this.options;
    let runDir: string;
    try {
      runDir = await this.newRunDir();
    } catch (error) {
      return { exit: { code: null, signal: null, error: error as Error } };
    }
    if (this.stopping) {
      this.run = undefined;
      return { exit: { code: 0, signal: null } };
    }
    const env = Object.fromEntries(Object.entries({ ...this.options.env, TZ: 'UTC' }).filter((e): e is [string, string] => e[1] !== undefined));
    return new Promise((resolve) => {
      this.runs++;
      // The URL (and its password) is in ffmpeg's argv; what ffmpeg says about it is masked here.
      const child = spawn(this.options.ffmpeg ?? 'ffmpeg', this.options.args(runDir), { stdio: ['ignore', 'ignore', 'pipe'], env });
      this.child = child;
      this.set({ state: 'recording', runs: this.runs, ...(child.pid !== undefined ? { pid: child.pid } : {}) }, ['retryDelayMs', 'nextRetryAt']);
      log(`${name}: recording ${this.options.shownUrl} into ${runDir} (ffmpeg pid ${child.pid ?? '?'})`);
      let lastLine: string | undefined;
      if (child.stderr) {
        createInterface({ input: child.stderr }).on('line', (raw) => {
          const line = redact(raw, url);
          if (line.trim() !== '') lastLine = line.trim();
          log(`${name}: ffmpeg: ${line}`);
        });
      }
      let settled = false;
      const done = (exit: Exit) => {
        if (settled) return;
        settled = true;
        this.run = undefined;
        this.child = undefined;
        resolve({ exit, ...(lastLine !== undefined ? { lastLine } : {}) });
      };
      child.once('error', (error) => done({ code: null, signal: null, error }));
      child.once('close', (code, signal) => done({ code, signal }));
    });
  }
}
