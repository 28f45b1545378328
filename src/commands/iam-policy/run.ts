import type { CliContext } from '../../cli/context.js';
import { outputFormat } from '../../cli/global-options.js';
import { printResult } from '../../cli/output.js';
import { deployerPolicy } from '../../cluster/iam-policy.js';
import type { IamPolicyOptions } from './command.js';

/** Prints the deployer policy document (JSON in text mode too: it is what IAM takes). Needs no AWS. */
export async function runIamPolicy(ctx: CliContext, opts: IamPolicyOptions): Promise<void> {
  const policy = deployerPolicy();
  await printResult(ctx.io, outputFormat(opts), policy, (p) => JSON.stringify(p, null, 2));
}
