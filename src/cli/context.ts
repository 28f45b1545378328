import type { AwsClients, AwsTarget } from '../aws/clients.js';

/** Something text can be written to (stdout, stderr, or a buffer in tests). */
export interface Writer {
  write(text: string): void;
}

/** A one-line progress indicator on a terminal. */
export interface Spinner {
  start(text: string): void;
  update(text: string): void;
  /** Prints a permanent line above the spinner. */
  persist(line: string): void;
  stop(): void;
}

/** The process's streams and what they can do. `main` sets `interactive` and `color` from the global options. */
export interface IoStreams {
  readonly out: Writer;
  readonly err: Writer;
  readonly input: NodeJS.ReadableStream;
  readonly stdoutIsTty: boolean;
  readonly stderrIsTty: boolean;
  readonly stdinIsTty: boolean;
  /** Terminal width, for wrapping help. */
  readonly columns: number;
  /** False with `--non-interactive`, in CI, or without a terminal. */
  interactive: boolean;
  /** False with `--no-color`, `NO_COLOR`, or when stderr is not a terminal. */
  color: boolean;
  /** True when someone can answer a prompt: interactive, with a terminal on stdin and stderr. */
  readonly canPrompt: boolean;
  /** A spinner on stderr; only used when `canPrompt` (a terminal with someone watching). */
  spinner(): Promise<Spinner>;
}

/** Questions to the person at the terminal, on stderr; only asked when `io.canPrompt`. */
export interface Prompter {
  input(message: string, options?: { validate?: (value: string) => true | string }): Promise<string>;
  password(message: string): Promise<string>;
  confirm(message: string, defaultValue: boolean): Promise<boolean>;
  select<T extends string>(message: string, choices: readonly { value: T; name: string }[]): Promise<T>;
}

/** Wall-clock time and waiting; a fake clock in tests. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export type SignalName = 'SIGINT' | 'SIGTERM';

/** Process signals, so following an operation can react to Ctrl-C. */
export interface Signals {
  /** Registers a handler; returns a function that removes it. */
  on(signal: SignalName, handler: () => void): () => void;
}

/**
 * The node runtime bundle shipped with this CLI (`dist/node.cjs`, built by `npm run build`): `create` and
 * `update` store it in the cluster bucket, where the nodes' launcher fetches it.
 */
export interface NodeRuntimeBundle {
  /** Its SHA-256 as 64 lowercase hex digits, as the build recorded it (no hashing at start-up). */
  digest(): Promise<string>;
  /** Its content, read only when it is about to be uploaded. */
  bytes(): Promise<Uint8Array>;
}

/** Every side effect a command may have enters through this context. */
export interface CliContext {
  io: IoStreams;
  prompter: Prompter;
  aws: (target: AwsTarget) => AwsClients;
  clock: Clock;
  signals: Signals;
  env: Readonly<Record<string, string | undefined>>;
  /** Random bytes as hex (tokens, generated secrets). */
  randomHex(bytes: number): string;
  /** The node runtime of this version of the tool. */
  nodeRuntime: NodeRuntimeBundle;
}
