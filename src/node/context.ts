import type { NodeCloud } from './cloud.js';

/** Something text can be written to (a stream, or a buffer in tests). */
export interface Writer {
  write(text: string): void;
}

/** Wall-clock time and waiting; a fake clock in tests. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** A program's outcome. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every side effect of the node runtime enters through this context (tests build their own). */
export interface NodeContext {
  out: Writer;
  err: Writer;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  /** Runs a program without a shell (systemctl, docker). */
  run(command: string, args: readonly string[], options?: { timeoutMs?: number; env?: Readonly<Record<string, string>> }): Promise<RunResult>;
  /** AWS, with the instance role. */
  cloud(region: string): NodeCloud;
}
