import type { CommandModule, InferredOptionTypes } from 'yargs';
import type { CliContext } from '../../cli/context.js';
import type { globalOptions } from '../../cli/global-options.js';

export type VersionOptions = InferredOptionTypes<typeof globalOptions>;
type Run = (ctx: CliContext, opts: VersionOptions) => Promise<void>;

/** `elasticrtc version`: the Kurento versions a cluster can run in the region. */
export const versionCommand = (ctx: CliContext, run?: Run): CommandModule<object, VersionOptions> => ({
  command: 'version',
  describe: 'List the Kurento Media Server versions deployable in the region, newest first',
  builder: (y) => y.example('$0 version --region eu-west-1', 'versions for eu-west-1') as never,
  handler: async (opts) => (run ?? (await import('./run.js')).runVersion)(ctx, opts),
});
