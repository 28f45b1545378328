import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { runCreate } from './run.js';
import type { OptionSpecs } from '../../cli/options.js';
import { DEFAULT_INSTANCE_TYPE } from '../../cluster/settings.js';
import { DEFAULT_KMS_VERSION } from '../../cluster/versions.js';
import { stackNameOption, waitOptions, yesOption } from '../shared/options.js';

/** The cluster settings flags (validated in `cluster/settings.ts`, so values stay strings here). */
export const clusterOptions = {
  version: { type: 'string', placeholder: 'version', describe: `Kurento Media Server version ("elasticrtc version" lists them) [default: ${DEFAULT_KMS_VERSION}]` },
  'aws-instance-type': { type: 'string', placeholder: 'type', describe: `EC2 instance type of the media server nodes [default: ${DEFAULT_INSTANCE_TYPE}]` },
  'desired-capacity': { type: 'string', placeholder: 'n', describe: 'nodes to start with; alone, a fixed size [default: 1]' },
  'min-capacity': { type: 'string', placeholder: 'n', describe: 'fewest nodes when autoscaling (needs --max-capacity)' },
  'max-capacity': { type: 'string', placeholder: 'n', describe: 'most nodes when autoscaling (needs --min-capacity)' },
  'aws-key-name': { type: 'string', placeholder: 'name', describe: 'EC2 key pair for SSH; without it SSH is closed (use Session Manager)' },
  'api-origin': { type: 'string', placeholder: 'cidrs', describe: 'CIDR blocks allowed to reach the Kurento API [default: 0.0.0.0/0]' },
  'control-origin': { type: 'string', placeholder: 'cidrs', describe: 'CIDR blocks allowed to reach SSH [default: 0.0.0.0/0]' },
  tags: { type: 'string', placeholder: 'k=v,…', describe: 'extra stack tags' },
} as const satisfies OptionSpecs;

export const createOptions = {
  ...stackNameOption,
  ...clusterOptions,
  'dry-run': { type: 'boolean', describe: 'validate and print the template and parameters; change nothing in AWS' },
  'termination-protection': { type: 'boolean', describe: 'protect the stack against deletion' },
  ...waitOptions,
  ...yesOption,
} as const satisfies OptionSpecs;

export type CreateOptions = CommandOptions<typeof createOptions>;

/** `elasticrtc create`: a new cluster, followed to the end, then its report. */
export const createCommand = (ctx: CliContext, run?: RunFunction<typeof createOptions>): Command<typeof createOptions> => ({
  name: 'create',
  describe: 'Create a Kurento cluster: validate, create its stack, follow it, report',
  options: createOptions,
  examples: [
    ['elasticrtc create --stack-name demo --region eu-west-1 --dry-run', 'print the template, create nothing'],
    ['elasticrtc create --stack-name demo --min-capacity 1 --max-capacity 4', 'an autoscaling cluster'],
    ['elasticrtc create --stack-name ci --non-interactive -o json', 'from a CI job'],
  ],
  handler: (opts) => (run ?? runCreate)(ctx, opts),
});
