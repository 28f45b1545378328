import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { runVersion } from './run.js';
import type { OptionSpecs } from '../../cli/options.js';

export const versionOptions = {} as const satisfies OptionSpecs;
export type VersionOptions = CommandOptions<typeof versionOptions>;

/** `elasticrtc version`: the Kurento versions a cluster can run in the region. */
export const versionCommand = (ctx: CliContext, run?: RunFunction<typeof versionOptions>): Command<typeof versionOptions> => ({
  name: 'version',
  describe: 'List the Kurento Media Server versions deployable in the region, newest first',
  options: versionOptions,
  examples: [['elasticrtc version --region eu-west-1', 'versions for eu-west-1']],
  handler: (opts) => (run ?? runVersion)(ctx, opts),
});
