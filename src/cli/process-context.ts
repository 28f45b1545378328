import { createAwsClients } from '../aws/clients.js';
import { isatty } from 'node:tty';
import { isCi } from './ci.js';
import type { CliContext, IoStreams, Prompter } from './context.js';


function processIo(): IoStreams {
  // isatty() answers without creating the stream objects, which are made on first use: `--help` never
  // builds stderr, and a dry run never touches stdin.
  const stdoutIsTty = isatty(1);
  const stderrIsTty = isatty(2);
  const stdinIsTty = isatty(0);
  const io: IoStreams = {
    out: { write: (text) => void process.stdout.write(text) },
    err: { write: (text) => void process.stderr.write(text) },
    get input() {
      return process.stdin;
    },
    stdoutIsTty,
    stderrIsTty,
    stdinIsTty,
    get columns() {
      return stdoutIsTty ? (process.stdout.columns ?? 100) : 100;
    },
    interactive: stdinIsTty && stderrIsTty && !isCi(process.env),
    color: stderrIsTty && process.env.NO_COLOR === undefined,
    get canPrompt() {
      return io.interactive && stdinIsTty && stderrIsTty;
    },
    spinner: async () => (await terminalUi()).createSpinner(process.stderr, io.color),
  };
  return io;
}

const terminalUi = () => import('./terminal-ui.js');

/** Prompts on stderr, loaded on the first question. */
function lazyPrompter(): Prompter {
  const prompter = async () => (await terminalUi()).createPrompter(process.stdin, process.stderr);
  return {
    input: async (message, options) => (await prompter()).input(message, options),
    password: async (message) => (await prompter()).password(message),
    confirm: async (message, defaultValue) => (await prompter()).confirm(message, defaultValue),
    select: async (message, choices) => (await prompter()).select(message, choices),
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
  };
  return ctx;
}
