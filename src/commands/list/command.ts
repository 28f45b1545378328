import type { CommandModule, InferredOptionTypes, Options } from 'yargs';
import type { CliContext } from '../../cli/context.js';
import type { globalOptions } from '../../cli/global-options.js';

export const listOptions = {
  'all-regions': { type: 'boolean', describe: 'list the clusters of every enabled region' },
} as const satisfies Record<string, Options>;

export type ListOptions = InferredOptionTypes<typeof globalOptions & typeof listOptions>;
type Run = (ctx: CliContext, opts: ListOptions) => Promise<void>;

/** `elasticrtc list`: the clusters in a region, or in all of them. */
export const listCommand = (ctx: CliContext, run?: Run): CommandModule<object, ListOptions> => ({
  command: 'list',
  describe: 'List the clusters in the region: name, status, Kurento version, nodes, creation time',
  builder: (y) =>
    y
      .options(listOptions)
      .example('$0 list --region eu-west-1', 'clusters in eu-west-1')
      .example('$0 list --all-regions -o json', 'every cluster, as JSON') as never,
  handler: async (opts) => (run ?? (await import('./run.js')).runList)(ctx, opts),
});
