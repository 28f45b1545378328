import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import type { OptionSpecs } from '../../cli/options.js';
import { runIamPolicy } from './run.js';

export const iamPolicyOptions = {} as const satisfies OptionSpecs;
export type IamPolicyOptions = CommandOptions<typeof iamPolicyOptions>;

/** `elasticrtc iam-policy`: the IAM policy a deployer needs. */
export const iamPolicyCommand = (ctx: CliContext, run?: RunFunction<typeof iamPolicyOptions>): Command<typeof iamPolicyOptions> => ({
  name: 'iam-policy',
  describe: 'Print the least-privilege IAM policy a deployer needs for every command',
  options: iamPolicyOptions,
  examples: [['elasticrtc iam-policy > elasticrtc-deployer.json', 'save it, then: aws iam create-policy --policy-document file://elasticrtc-deployer.json']],
  handler: (opts) => (run ?? runIamPolicy)(ctx, opts),
});
