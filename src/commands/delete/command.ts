import type { CommandModule, InferredOptionTypes, Options } from 'yargs';
import type { CliContext } from '../../cli/context.js';
import type { globalOptions } from '../../cli/global-options.js';
import { stackNameOption, waitOptions, yesOption } from '../shared/options.js';

export const deleteOptions = { ...stackNameOption, ...yesOption, ...waitOptions } as const satisfies Record<string, Options>;

export type DeleteOptions = InferredOptionTypes<typeof globalOptions & typeof deleteOptions>;
type Run = (ctx: CliContext, opts: DeleteOptions) => Promise<void>;

/** `elasticrtc delete`: removes a cluster, keeping its bucket. */
export const deleteCommand = (ctx: CliContext, run?: Run): CommandModule<object, DeleteOptions> => ({
  command: 'delete',
  describe: 'Delete a cluster and every resource of its stack except its S3 bucket',
  builder: (y) =>
    y
      .options(deleteOptions)
      .example('$0 delete --stack-name demo', 'asks you to type the name, then deletes')
      .example('$0 delete --stack-name demo --yes --non-interactive', 'for scripts') as never,
  handler: async (opts) => (run ?? (await import('./run.js')).runDelete)(ctx, opts),
});
