import { createAwsClients } from '../aws/clients.js';
import { isatty } from 'node:tty';
import { isCi } from './ci.js';
import type { CliContext, IoStreams, Prompter, Spinner } from './context.js';


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
    spinner: async () => oraSpinner(io.color),
  };
  return io;
}

async function oraSpinner(color: boolean): Promise<Spinner> {
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, discardStdin: false, color: color ? 'cyan' : false, isEnabled: true });
  return {
    start: (text) => void spinner.start(text),
    update: (text) => void (spinner.text = text),
    persist: (line) => {
      const wasSpinning = spinner.isSpinning;
      const text = spinner.text;
      spinner.stop();
      process.stderr.write(`${line}\n`);
      if (wasSpinning) spinner.start(text);
    },
    stop: () => void spinner.stop(),
  };
}

function inquirerPrompter(): Prompter {
  const context = { input: process.stdin, output: process.stderr, clearPromptOnDone: false };
  return {
    async input(message, options) {
      const { input } = await import('@inquirer/prompts');
      return input({ message, ...(options?.validate ? { validate: options.validate } : {}) }, context);
    },
    async password(message) {
      const { password } = await import('@inquirer/prompts');
      return password({ message, mask: '*' }, context);
    },
    async confirm(message, defaultValue) {
      const { confirm } = await import('@inquirer/prompts');
      return confirm({ message, default: defaultValue }, context);
    },
    async select(message, choices) {
      const { select } = await import('@inquirer/prompts');
      return select({ message, choices: choices.map((c) => ({ value: c.value, name: c.name })) }, context);
    },
  };
}

/** The context of a real run: the process's streams, signals, environment, clock and AWS. */
export function createProcessContext(): CliContext {
  // The SDK warns Node 20 users that *future* SDK releases will need Node 22. elasticrtc bundles a fixed
  // SDK release, so the warning would only confuse its users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ctx: CliContext = {
    io: processIo(),
    prompter: inquirerPrompter(),
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
