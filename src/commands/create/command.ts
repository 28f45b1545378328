import type { CommandModule, InferredOptionTypes, Options } from 'yargs';
import type { CliContext } from '../../cli/context.js';
import type { globalOptions } from '../../cli/global-options.js';
import { DEFAULT_INSTANCE_TYPE } from '../../cluster/settings.js';
import { DEFAULT_KMS_VERSION } from '../../cluster/versions.js';
import { stackNameOption, waitOptions, yesOption } from '../shared/options.js';

/** The cluster settings flags (validated in `cluster/settings.ts`, so values stay strings here). */
export const clusterOptions = {
  version: { type: 'string', describe: `Kurento Media Server version ("elasticrtc version" lists them) [default: ${DEFAULT_KMS_VERSION}]` },
  'aws-instance-type': { type: 'string', describe: `EC2 instance type of the media server nodes [default: ${DEFAULT_INSTANCE_TYPE}]` },
  'desired-capacity': { type: 'string', describe: 'nodes to start with; alone, a fixed size [default: 1]' },
  'min-capacity': { type: 'string', describe: 'fewest nodes when autoscaling (needs --max-capacity)' },
  'max-capacity': { type: 'string', describe: 'most nodes when autoscaling (needs --min-capacity)' },
  'aws-key-name': { type: 'string', describe: 'EC2 key pair for SSH; without it SSH is closed (use Session Manager)' },
  'api-origin': { type: 'string', describe: 'CIDR blocks allowed to reach the Kurento API [default: 0.0.0.0/0]' },
  'control-origin': { type: 'string', describe: 'CIDR blocks allowed to reach SSH [default: 0.0.0.0/0]' },
  tags: { type: 'string', describe: 'extra stack tags, key=value[,key=value…]' },
} as const satisfies Record<string, Options>;

export const createOptions = {
  ...stackNameOption,
  ...clusterOptions,
  'dry-run': { type: 'boolean', describe: 'validate and print the template and parameters; change nothing in AWS' },
  'termination-protection': { type: 'boolean', describe: 'protect the stack against deletion' },
  ...waitOptions,
  ...yesOption,
} as const satisfies Record<string, Options>;

export type CreateOptions = InferredOptionTypes<typeof globalOptions & typeof createOptions>;
type Run = (ctx: CliContext, opts: CreateOptions) => Promise<void>;

/** `elasticrtc create`: a new cluster, followed to the end, then its report. */
export const createCommand = (ctx: CliContext, run?: Run): CommandModule<object, CreateOptions> => ({
  command: 'create',
  describe: 'Create a Kurento cluster: validate, create its stack, follow it, report',
  builder: (y) =>
    y
      .options(createOptions)
      .example('$0 create --stack-name demo --region eu-west-1 --dry-run', 'print the template, create nothing')
      .example('$0 create --stack-name demo --min-capacity 1 --max-capacity 4', 'an autoscaling cluster')
      .example('$0 create --stack-name ci --non-interactive -o json', 'from a CI job') as never,
  handler: async (opts) => (run ?? (await import('./run.js')).runCreate)(ctx, opts),
});
