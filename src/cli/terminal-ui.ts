/**
 * The terminal widgets (spinner, prompts), in one module: the build bundles it apart (`dist/ui.cjs`)
 * and the process context loads it only when a spinner or a question is about to be shown.
 */
import { confirm, input, password, select } from '@inquirer/prompts';
import ora from 'ora';
import type { Prompter, Spinner } from './context.js';

/** An ora spinner on stderr; permanent lines are printed above it. */
export function createSpinner(stream: NodeJS.WriteStream, color: boolean): Spinner {
  const spinner = ora({ stream, discardStdin: false, color: color ? 'cyan' : false, isEnabled: true });
  return {
    start: (text) => void spinner.start(text),
    update: (text) => void (spinner.text = text),
    persist: (line) => {
      const wasSpinning = spinner.isSpinning;
      const text = spinner.text;
      spinner.stop();
      stream.write(`${line}\n`);
      if (wasSpinning) spinner.start(text);
    },
    stop: () => void spinner.stop(),
  };
}

/** Questions with @inquirer/prompts on the given streams; secrets are read with hidden input. */
export function createPrompter(inputStream: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  const context = { input: inputStream, output, clearPromptOnDone: false };
  return {
    input: (message, options) => input({ message, ...(options?.validate ? { validate: options.validate } : {}) }, context),
    password: (message) => password({ message, mask: '*' }, context),
    confirm: (message, defaultValue) => confirm({ message, default: defaultValue }, context),
    select: (message, choices) => select({ message, choices: choices.map((c) => ({ value: c.value, name: c.name })) }, context),
  };
}
