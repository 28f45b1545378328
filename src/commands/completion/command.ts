import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import { SHELLS } from '../../cli/completion.js';
import type { CliContext } from '../../cli/context.js';
import type { OptionSpecs } from '../../cli/options.js';
import { runCompletion } from './run.js';

export const completionOptions = {
  shell: { type: 'string', placeholder: 'shell', choices: SHELLS, describe: 'the shell: bash or zsh [default: the one in SHELL, else bash]' },
} as const satisfies OptionSpecs;

export type CompletionOptions = CommandOptions<typeof completionOptions>;

/** `elasticrtc completion`: the shell completion script. */
export const completionCommand = (ctx: CliContext, run?: RunFunction<typeof completionOptions>): Command<typeof completionOptions> => ({
  name: 'completion',
  describe: 'Print the completion script of bash or zsh (commands and flags complete on Tab)',
  options: completionOptions,
  positional: 'shell',
  examples: [
    ['source <(elasticrtc completion bash)', 'completion in this bash; add the line to ~/.bashrc to keep it'],
    ['elasticrtc completion zsh > "${fpath[1]}/_elasticrtc"', 'install it for zsh'],
  ],
  handler: (opts) => (run ?? runCompletion)(ctx, opts),
});
