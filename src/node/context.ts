import type { Clock, Writer } from '../cli/context.js';
import type { NodeCloud } from './cloud.js';

export type { Clock, Writer };

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
