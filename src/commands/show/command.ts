import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { runShow } from './run.js';
import type { OptionSpecs } from '../../cli/options.js';
import { DEFAULT_TIMEOUT, stackNameOption } from '../shared/options.js';

export const showOptions = {
  ...stackNameOption,
  events: { type: 'boolean', describe: 'list this cluster\'s operations, newest first, with the root cause of each failure' },
  wait: { type: 'boolean', describe: 'follow an operation in progress to its end, then report' },
  timeout: { type: 'string', placeholder: 'duration', describe: `with --wait: give up waiting after this long [default: ${DEFAULT_TIMEOUT}]` },
} as const satisfies OptionSpecs;

export type ShowOptions = CommandOptions<typeof showOptions>;

/** `elasticrtc show`: the cluster report. */
export const showCommand = (ctx: CliContext, run?: RunFunction<typeof showOptions>): Command<typeof showOptions> => ({
  name: 'show',
  describe: 'Show a cluster: status, version, URL, nodes, build parameters (secrets masked)',
  options: showOptions,
  examples: [
    ['elasticrtc show --stack-name demo', 'the report of cluster demo'],
    ['elasticrtc show --stack-name demo --wait', 'follow the operation in progress, then report'],
  ],
  handler: (opts) => (run ?? runShow)(ctx, opts),
});
