import type { CliContext } from '../../cli/context.js';
import { CliError } from '../../cli/errors.js';
import { outputFormat } from '../../cli/global-options.js';
import { printResult } from '../../cli/output.js';
import { resolveRegion } from '../../cli/auth/session.js';
import { deployerPolicy, partitionOf } from '../../cluster/iam-policy.js';
import type { IamPolicyOptions } from './command.js';

/**
 * The partition the policy's ARNs are in: the region's (`--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`
 * or the profile's: `aws-cn` for cn-…, `aws-us-gov` for us-gov-…), `aws` when no region is set.
 */
async function partitionFor(ctx: CliContext, opts: IamPolicyOptions): Promise<string> {
  try {
    return partitionOf((await resolveRegion(ctx, opts)).region);
  } catch (error) {
    if (error instanceof CliError && error.code === 'MissingRegion') return 'aws';
    throw error;
  }
}

/** Prints the deployer policy document (JSON in text mode too: it is what IAM takes). Needs no AWS call. */
export async function runIamPolicy(ctx: CliContext, opts: IamPolicyOptions): Promise<void> {
  const policy = deployerPolicy(await partitionFor(ctx, opts));
  await printResult(ctx.io, outputFormat(opts), policy, (p) => JSON.stringify(p, null, 2));
}
