import { type Shell, completionScript } from '../../cli/completion.js';
import type { CliContext } from '../../cli/context.js';
import type { CompletionOptions } from './command.js';

/** Prints the completion script of the shell asked for, else of the user's shell (`SHELL`), else bash's. */
export async function runCompletion(ctx: CliContext, opts: CompletionOptions): Promise<void> {
  const shell: Shell = opts.shell ?? (/zsh$/.test(ctx.env.SHELL ?? '') ? 'zsh' : 'bash');
  ctx.io.out.write(completionScript(shell));
  return Promise.resolve();
}
