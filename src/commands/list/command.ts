import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { runList } from './run.js';
import type { OptionSpecs } from '../../cli/options.js';

export const listOptions = {
  'all-regions': { type: 'boolean', describe: 'list the clusters of every enabled region' },
} as const satisfies OptionSpecs;

export type ListOptions = CommandOptions<typeof listOptions>;

/** `elasticrtc list`: the clusters in a region, or in all of them. */
export const listCommand = (ctx: CliContext, run?: RunFunction<typeof listOptions>): Command<typeof listOptions> => ({
  name: 'list',
  describe: 'List the clusters in the region: name, status, Kurento version, nodes, creation time',
  options: listOptions,
  examples: [
    ['elasticrtc list --region eu-west-1', 'clusters in eu-west-1'],
    ['elasticrtc list --all-regions -o json', 'every cluster, as JSON'],
  ],
  handler: (opts) => (run ?? runList)(ctx, opts),
});
