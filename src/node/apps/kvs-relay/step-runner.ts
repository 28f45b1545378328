import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How a program of the installer ended. */
export interface StepEnd {
  /** Its exit code; `null` when a signal ended it or it never ran. */
  code: number | null;
  signal: string | null;
  /** Its last lines on stderr (where apt-get, git, cmake, make and the compiler report errors). */
  stderrTail: string[];
  /** Set when it could not be started (e.g. not installed). */
  error?: string;
  /** Set when it ran past its time and was stopped. */
  timedOut?: boolean;
}

/** Runs the installer's programs (apt-get, git, cmake, make, tar, gst-inspect-1.0), without a shell. */
export interface StepRunner {
  run(command: string, args: readonly string[], options: { env: Readonly<Record<string, string | undefined>>; timeoutMs: number }): Promise<StepEnd>;
}

/** How many stderr lines an error report carries. */
export const STDERR_TAIL_LINES = 20;

/**
 * The real runner: a child process whose every output line goes to `output` (the unit's journal:
 * a build's whole log is there when its report's last lines are not enough). A program past its
 * time gets SIGTERM, then SIGKILL 10 s later.
 */
export function childStepRunner(output: (line: string) => void): StepRunner {
  return {
    run: (command, args, options) =>
      new Promise((resolve) => {
        const tail: string[] = [];
        let timedOut = false;
        const child = spawn(command, [...args], { env: { ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', output);
        createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
          output(line);
          tail.push(line);
          if (tail.length > STDERR_TAIL_LINES) tail.shift();
        });
        let killer: NodeJS.Timeout | undefined;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
          killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        }, options.timeoutMs);
        const done = (end: StepEnd) => {
          clearTimeout(timer);
          clearTimeout(killer);
          resolve(end);
        };
        child.once('error', (error: NodeJS.ErrnoException) => done({ code: null, signal: null, stderrTail: tail, error: error.code ?? error.message }));
        child.once('close', (code, signal) => done({ code, signal, stderrTail: tail, ...(timedOut ? { timedOut } : {}) }));
      }),
  };
}

/** `end` in words: `exited 2`, `was killed by SIGKILL`, `ran past 45 min and was stopped`, `could not start (ENOENT)`. */
export function describeEnd(end: StepEnd, timeoutMs: number): string {
  if (end.error !== undefined) return `could not start (${end.error})`;
  if (end.timedOut) return `ran past ${Math.round(timeoutMs / 60_000)} min and was stopped`;
  return end.signal ? `was killed by ${end.signal}` : `exited ${end.code}`;
}
