import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { createAwsClients } from '../../src/aws/clients.js';
import type { CliContext, Clock, IoStreams, NodeRuntimeBundle, Prompter, SignalName, Signals, Spinner } from '../../src/cli/context.js';

/** A virtual clock: sleeping advances time at once; callbacks can be scheduled at virtual times. */
export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void }[] = [];
  sleeps: number[] = [];
  constructor(public time = Date.UTC(2026, 10, 21, 12, 0, 0)) {}

  now(): number {
    return this.time;
  }

  /** Runs `fn` once virtual time reaches `at`. */
  at(at: number, fn: () => void): void {
    this.timers.push({ at, fn });
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    const target = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
      if (signal?.aborted) return;
    }
    this.time = target;
    await Promise.resolve();
  }
}

/** Signals raised by the test. */
export class FakeSignals implements Signals {
  private handlers = new Map<SignalName, Set<() => void>>();
  on(signal: SignalName, handler: () => void): () => void {
    const set = this.handlers.get(signal) ?? new Set();
    set.add(handler);
    this.handlers.set(signal, set);
    return () => set.delete(handler);
  }
  emit(signal: SignalName): void {
    for (const h of [...(this.handlers.get(signal) ?? [])]) h();
  }
  count(): number {
    return [...this.handlers.values()].reduce((n, s) => n + s.size, 0);
  }
}

/** A scripted answer; a prompt without a scripted answer fails the test. */
export type Answer = { kind: 'input' | 'password' | 'confirm' | 'select'; match?: RegExp; value: string | boolean };

export class ScriptedPrompter implements Prompter {
  asked: string[] = [];
  constructor(private readonly answers: Answer[]) {}
  private next(kind: Answer['kind'], message: string): string | boolean {
    this.asked.push(message);
    const a = this.answers.shift();
    if (!a || a.kind !== kind || (a.match && !a.match.test(message))) throw new Error(`unexpected ${kind} prompt: ${message}`);
    return a.value;
  }
  async input(message: string) {
    return String(this.next('input', message));
  }
  async password(message: string) {
    return String(this.next('password', message));
  }
  async confirm(message: string) {
    return Boolean(this.next('confirm', message));
  }
  async select<T extends string>(message: string) {
    return String(this.next('select', message)) as T;
  }
}

/** A stand-in for dist/node.cjs: a few bytes, with their real SHA-256. */
export const FAKE_RUNTIME_BYTES = new TextEncoder().encode("'use strict';\n// elasticrtc-node stand-in for tests\nprocess.exitCode = 0;\n");
export const FAKE_RUNTIME_SHA256 = createHash('sha256').update(FAKE_RUNTIME_BYTES).digest('hex');

/** The node runtime bundle of a test context; counts how often its bytes were read. */
export function fakeNodeRuntime(bytes: Uint8Array = FAKE_RUNTIME_BYTES): NodeRuntimeBundle & { reads: number } {
  const digest = createHash('sha256').update(bytes).digest('hex');
  const runtime = {
    reads: 0,
    digest: async () => digest,
    bytes: async () => {
      runtime.reads++;
      return bytes;
    },
  };
  return runtime;
}

export interface TestContextOptions {
  env?: Record<string, string | undefined>;
  tty?: boolean;
  answers?: Answer[];
  clock?: FakeClock;
  aws?: CliContext['aws'];
  nodeRuntime?: NodeRuntimeBundle;
}

/** A context with buffered stdout/stderr, a scripted prompter, a virtual clock and fake signals. */
export function testContext(o: TestContextOptions = {}) {
  let out = '';
  let err = '';
  const tty = o.tty ?? false;
  const spinnerLog: string[] = [];
  const spinner: Spinner = {
    start: (t) => void spinnerLog.push(`start ${t}`),
    update: (t) => void spinnerLog.push(`update ${t}`),
    persist: (l) => {
      err += `${l}\n`;
    },
    stop: () => void spinnerLog.push('stop'),
  };
  const io: IoStreams = {
    out: { write: (t) => void (out += t) },
    err: { write: (t) => void (err += t) },
    input: new PassThrough(),
    stdoutIsTty: tty,
    stderrIsTty: tty,
    stdinIsTty: tty,
    columns: 100,
    interactive: tty,
    color: false,
    get canPrompt() {
      return io.interactive && tty;
    },
    spinner: async () => spinner,
  };
  const clock = o.clock ?? new FakeClock();
  const signals = new FakeSignals();
  const prompter = new ScriptedPrompter(o.answers ?? []);
  let n = 0;
  const ctx: CliContext = {
    io,
    prompter,
    aws: o.aws ?? createAwsClients,
    clock,
    signals,
    env: { AWS_EC2_METADATA_DISABLED: 'true', ...(o.env ?? {}) },
    randomHex: (bytes) => (n++).toString(16).padStart(bytes * 2, '0'),
    nodeRuntime: o.nodeRuntime ?? fakeNodeRuntime(),
  };
  return { ctx, clock, signals, prompter, spinnerLog, out: () => out, err: () => err };
}
