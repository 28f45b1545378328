import type { CommandModule, InferredOptionTypes, Options } from 'yargs';
import type { CliContext } from '../../cli/context.js';
import type { globalOptions } from '../../cli/global-options.js';
import { stackNameOption } from '../shared/options.js';

export const showOptions = {
  ...stackNameOption,
  wait: { type: 'boolean', describe: 'follow an operation in progress to its end, then report' },
  timeout: { type: 'string', default: '60m', describe: 'with --wait: give up waiting after this long' },
} as const satisfies Record<string, Options>;

export type ShowOptions = InferredOptionTypes<typeof globalOptions & typeof showOptions>;
type Run = (ctx: CliContext, opts: ShowOptions) => Promise<void>;

/** `elasticrtc show`: the cluster report. */
export const showCommand = (ctx: CliContext, run?: Run): CommandModule<object, ShowOptions> => ({
  command: 'show',
  describe: 'Show a cluster: status, version, URL, nodes, build parameters (secrets masked)',
  builder: (y) =>
    y
      .options(showOptions)
      .example('$0 show --stack-name demo', 'the report of cluster demo')
      .example('$0 show --stack-name demo --wait', 'follow the operation in progress, then report') as never,
  handler: async (opts) => (run ?? (await import('./run.js')).runShow)(ctx, opts),
});
