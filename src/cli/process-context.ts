import { createAwsClients } from '../aws/clients.js';
import { isSha256Hex } from '../cluster/node-runtime.js';
import type { CliContext, IoStreams, NodeRuntimeBundle, Prompter } from './context.js';
import { CliError, ExitCode, InterruptedError } from './errors.js';

function processIo(): IoStreams {
  // Each answer is worked out when first asked: the streams (and the tty module) are only loaded by the
  // commands that need them, which keeps `--help` and dry runs fast.
  let stdoutTty: boolean | undefined;
  let stderrTty: boolean | undefined;
  let stdinTty: boolean | undefined;
  const io: IoStreams = {
    out: { write: (text) => void process.stdout.write(text) },
    err: { write: (text) => void process.stderr.write(text) },
    get input() {
      return process.stdin;
    },
    get stdoutIsTty() {
      return (stdoutTty ??= process.stdout.isTTY === true);
    },
    get stderrIsTty() {
      return (stderrTty ??= process.stderr.isTTY === true);
    },
    get stdinIsTty() {
      return (stdinTty ??= process.stdin.isTTY === true);
    },
    get columns() {
      return io.stdoutIsTty ? (process.stdout.columns ?? 100) : 100;
    },
    interactive: false, // set by main from the options, the terminal and CI
    color: false,
    get canPrompt() {
      return io.interactive && io.stdinIsTty && io.stderrIsTty;
    },
    spinner: async () => (await terminalUi()).createSpinner(process.stderr, io.color),
  };
  return io;
}

const terminalUi = () => import('./terminal-ui.js');

/** Ctrl-C at a prompt ends the run as an interruption (exit 130), not as an internal error. */
async function asked<T>(question: () => Promise<T>): Promise<T> {
  try {
    return await question();
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') throw new InterruptedError('interrupted at a question; nothing more was done', ExitCode.Interrupted);
    throw error;
  }
}

/** Prompts on stderr, loaded on the first question. */
function lazyPrompter(): Prompter {
  const prompter = async () => (await terminalUi()).createPrompter(process.stdin, process.stderr);
  return {
    input: (message, options) => asked(async () => (await prompter()).input(message, options)),
    password: (message) => asked(async () => (await prompter()).password(message)),
    confirm: (message, defaultValue) => asked(async () => (await prompter()).confirm(message, defaultValue)),
    select: (message, choices) => asked(async () => (await prompter()).select(message, choices)),
  };
}

/**
 * The runtime bundle the build wrote beside the running CLI: `dist/node.cjs` and its digest
 * `dist/node.cjs.sha256`. main.cjs runs as CommonJS (bin/load-main.cjs passes `__dirname`: dist/).
 * Each file is read on first use only.
 */
function bundledNodeRuntime(): NodeRuntimeBundle {
  const read = async (name: string): Promise<Buffer> => {
    const path = `${__dirname}/${name}`;
    const { readFile } = await import('node:fs/promises');
    try {
      return await readFile(path);
    } catch (error) {
      throw new CliError('RuntimeMissing', `the node runtime is missing beside elasticrtc (${path}): ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 'reinstall elasticrtc; in a checkout, run "npm run build"', { cause: error });
    }
  };
  let digest: Promise<string> | undefined;
  return {
    digest: () =>
      (digest ??= read('node.cjs.sha256').then((b) => {
        const hex = b.toString('utf8').trim();
        if (!isSha256Hex(hex)) throw new CliError('RuntimeMissing', `the node runtime digest beside elasticrtc (${__dirname}/node.cjs.sha256) is not a SHA-256`, 'reinstall elasticrtc; in a checkout, run "npm run build"');
        return hex;
      })),
    bytes: () => read('node.cjs'),
  };
}

/** The context of a real run: the process's streams, signals, environment, clock and AWS. */
export function createProcessContext(): CliContext {
  // The SDK warns Node 20 users that *future* SDK releases will need Node 22. elasticrtc bundles a fixed
  // SDK release, so the warning would only confuse its users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ctx: CliContext = {
    io: processIo(),
    prompter: lazyPrompter(),
    aws: createAwsClients,
    clock: {
      now: () => Date.now(),
      sleep: (ms, signal) =>
        new Promise((resolve) => {
          if (signal?.aborted) return resolve();
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          }
          signal?.addEventListener('abort', done, { once: true });
        }),
    },
    signals: {
      on(signal, handler) {
        process.on(signal, handler);
        return () => void process.off(signal, handler);
      },
    },
    env: process.env,
    // Web Crypto is global; using it (rather than importing node:crypto) keeps crypto off the start-up path.
    randomHex: (bytes) => Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join(''),
    nodeRuntime: bundledNodeRuntime(),
  };
  return ctx;
}
