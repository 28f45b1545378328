import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { runDelete } from './run.js';
import type { OptionSpecs } from '../../cli/options.js';
import { stackNameOption, waitOptions, yesOption } from '../shared/options.js';

export const deleteOptions = { ...stackNameOption, ...yesOption, ...waitOptions } as const satisfies OptionSpecs;

export type DeleteOptions = CommandOptions<typeof deleteOptions>;

/** `elasticrtc delete`: removes a cluster, keeping its bucket. */
export const deleteCommand = (ctx: CliContext, run?: RunFunction<typeof deleteOptions>): Command<typeof deleteOptions> => ({
  name: 'delete',
  describe: 'Delete a cluster and every resource of its stack except its S3 bucket',
  options: deleteOptions,
  examples: [
    ['elasticrtc delete --stack-name demo', 'asks you to type the name, then deletes'],
    ['elasticrtc delete --stack-name demo --yes --non-interactive', 'for scripts'],
  ],
  handler: (opts) => (run ?? runDelete)(ctx, opts),
});
