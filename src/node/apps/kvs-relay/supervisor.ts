import type { Clock } from '../../context.js';
import type { LaunchedProcess, Launcher, ProcessEnd } from './launcher.js';
import { maskUrl, redact } from './pipeline.js';

/** Restart timing. Defaults: see {@link SUPERVISOR_DEFAULTS}. */
export interface RestartTiming {
  /** First delay after an exit; doubled each further exit in a row, at most `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** A pipeline that ran this long before it ended starts again from `baseMs`. */
  stableMs: number;
  /** After SIGINT (the stream's clean end), SIGKILL after this long. */
  stopGraceMs: number;
}

export const SUPERVISOR_DEFAULTS: RestartTiming = { baseMs: 1_000, maxMs: 60_000, stableMs: 30_000, stopGraceMs: 5_000 };

/** One camera's state, as the status file shows it; never its URL's password. */
export interface CameraStatus {
  name: string;
  stream: string;
  /** The URL, password masked. */
  url: string;
  /**
   * `waiting`: for the first credentials; `starting`: gst-launch runs, the camera has not accepted
   * PLAY yet; `running`: it has; `retrying`: ended, starting again at `nextRetryAt`; `stopped`.
   */
  state: 'waiting' | 'starting' | 'running' | 'retrying' | 'stopped';
  pid?: number;
  /** Since when it is in this state (ISO 8601). */
  since: string;
  /** Ends in a row without a stable run (the back-off's exponent). */
  attempt: number;
  /** Every start after the first. */
  restarts: number;
  /** The delay before the next start, ms, and when (ISO 8601). */
  retryDelayMs?: number;
  nextRetryAt?: string;
  /** Why the last run ended: gst-launch's error, masked. */
  lastError?: string;
}

export interface SupervisorOptions {
  camera: { name: string; stream: string; url: string };
  /** `gst-launch-1.0` and its arguments. */
  command: string;
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  launcher: Launcher;
  clock: Clock;
  log: (line: string) => void;
  timing?: Partial<RestartTiming>;
  onChange?: () => void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** gst-launch's report of an element's problem: `ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not … .` */
const PROBLEM = /^(ERROR|WARNING): from element (?:\S*[/:])?([^/:\s]+): (.*)$/;
/** gst-launch's own: `WARNING: erroneous pipeline: no element "kvssink"` (kvssink not installed). */
const OTHER_PROBLEM = /^(ERROR|WARNING): ()(.*)$/;

/**
 * Keeps one camera's pipeline running: starts gst-launch, notes when the camera accepted PLAY, and
 * when the process ends (camera gone, network, an error in the sink) starts it again after a delay
 * that doubles with every end in a row (capped), and starts from the first delay again after a
 * stable run. Nothing else restarts it: the credential file changes under it.
 */
export class PipelineSupervisor {
  private readonly timing: RestartTiming;
  private current: CameraStatus;
  private problem: { level: string; text: string; detail?: string } | undefined;
  private detailNext = 0;

  constructor(private readonly options: SupervisorOptions) {
    this.timing = { ...SUPERVISOR_DEFAULTS, ...options.timing };
    const { name, stream, url } = options.camera;
    this.current = { name, stream, url: maskUrl(url), state: 'waiting', since: iso(options.clock.now()), attempt: 0, restarts: 0 };
  }

  status(): CameraStatus {
    return { ...this.current };
  }

  private set(next: Partial<CameraStatus>, clear: (keyof CameraStatus)[] = []): void {
    const state = next.state ?? this.current.state;
    const since = state !== this.current.state ? iso(this.options.clock.now()) : this.current.since;
    this.current = { ...this.current, ...next, since };
    for (const key of clear) delete this.current[key];
    this.options.onChange?.();
  }

  private onLine(raw: string): void {
    const line = redact(raw, this.options.camera.url);
    if (this.current.state === 'starting' && line.includes('Sent PLAY request')) {
      this.set({ state: 'running' });
      this.options.log(`${this.options.camera.name}: running (pid ${this.current.pid ?? '?'})`);
      return;
    }
    const problem = PROBLEM.exec(line) ?? OTHER_PROBLEM.exec(line);
    if (problem?.[1] && problem[3] !== undefined) {
      // The first problem is the cause ("pipeline doesn't want to preroll" follows); an ERROR outranks a WARNING.
      if (!this.problem || (this.problem.level === 'WARNING' && problem[1] === 'ERROR')) this.problem = { level: problem[1], text: problem[2] ? `${problem[2]}: ${problem[3]}` : problem[3] };
      this.detailNext = 0;
      this.options.log(`${this.options.camera.name}: ${line}`);
      return;
    }
    // "Additional debug info:", the source line, then the detail: keep the detail.
    if (line === 'Additional debug info:') this.detailNext = 2;
    else if (this.detailNext > 0 && --this.detailNext === 0 && this.problem && this.problem.detail === undefined) {
      this.problem.detail = line.trim();
      this.options.log(`${this.options.camera.name}: ${line.trim()}`);
    } else if (/\b(ERROR|WARN)\b/.test(line)) this.options.log(`${this.options.camera.name}: ${line}`);
  }

  private describe(end: ProcessEnd): string {
    if (end.error) return end.error;
    if (this.problem) return this.problem.detail ? `${this.problem.text} (${this.problem.detail})` : this.problem.text;
    if (end.signal) return `gst-launch ended by ${end.signal}`;
    // gst-launch exits 0 at the end of the stream: rtspsrc ends it when a camera falls silent (about 30 s).
    return end.code === 0 ? 'the stream ended (EOS) without an error' : `gst-launch exited with code ${end.code ?? '?'}`;
  }

  /** Runs the camera until `signal` aborts; then ends its stream (SIGINT, SIGKILL after the grace). */
  async run(signal: AbortSignal): Promise<void> {
    const { clock, camera, log } = this.options;
    let first = true;
    while (!signal.aborted) {
      this.problem = undefined;
      this.detailNext = 0;
      const proc = this.options.launcher.launch(this.options.command, this.options.args, this.options.env, (l) => this.onLine(l));
      this.set({ state: 'starting', ...(proc.pid !== undefined ? { pid: proc.pid } : {}), ...(first ? {} : { restarts: this.current.restarts + 1 }) }, ['retryDelayMs', 'nextRetryAt', ...(proc.pid === undefined ? (['pid'] as const) : [])]);
      first = false;
      log(`${camera.name}: started gst-launch (pid ${proc.pid ?? '?'}) for stream ${camera.stream}`);
      const end = await endOrAbort(proc, signal);
      if (end === 'aborted') {
        await this.stop(proc);
        break;
      }
      const runningSince = this.current.state === 'running' ? Date.parse(this.current.since) : undefined;
      const now = clock.now();
      const attempt = runningSince !== undefined && now - runningSince >= this.timing.stableMs ? 1 : this.current.attempt + 1;
      const delay = Math.min(this.timing.baseMs * 2 ** (attempt - 1), this.timing.maxMs);
      const reason = this.describe(end);
      this.set({ state: 'retrying', attempt, lastError: reason, retryDelayMs: delay, nextRetryAt: iso(now + delay) }, ['pid']);
      log(`${camera.name}: pipeline ended (${reason}); attempt ${attempt}, starting again in ${delay / 1000} s`);
      await clock.sleep(delay, signal);
    }
    this.set({ state: 'stopped' }, ['pid', 'retryDelayMs', 'nextRetryAt']);
  }

  private async stop(proc: LaunchedProcess): Promise<void> {
    proc.kill('SIGINT');
    const grace = new AbortController();
    const killed = this.options.clock.sleep(this.timing.stopGraceMs, grace.signal).then(() => {
      if (!grace.signal.aborted) proc.kill('SIGKILL');
    });
    await proc.ended;
    grace.abort();
    await killed;
  }
}

function endOrAbort(proc: LaunchedProcess, signal: AbortSignal): Promise<ProcessEnd | 'aborted'> {
  if (signal.aborted) return Promise.resolve('aborted');
  return new Promise((resolve) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    void proc.ended.then((end) => {
      signal.removeEventListener('abort', onAbort);
      resolve(end);
    });
  });
}
