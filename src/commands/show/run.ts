import { DEFAULT_TIMEOUT } from '../shared/options.js';
import type { CliContext } from '../../cli/context.js';
import { parseTimeout } from '../../cli/duration.js';
import { outputFormat } from '../../cli/global-options.js';
import { printResult } from '../../cli/output.js';
import { openAws } from '../../cli/session.js';
import type { AwsClients } from '../../aws/clients.js';
import type { StackDescription } from '../../aws/stack-api.js';
import { resourceLabels, settingsOf } from '../../cluster/render.js';
import { type ClusterReport, renderReport, withSettings } from '../../cluster/report.js';
import { findOperationStart } from '../../deploy/event-filter.js';
import type { OperationKind } from '../../deploy/progress-view.js';
import { classifyStatus } from '../../deploy/status.js';
import { findCluster, gatherReport, requireStackName } from '../shared/cluster.js';
import { followOperation, operationFailure } from '../shared/operation.js';
import type { ShowOptions } from './command.js';

/** The report with what only the template records (origins, scaling policies): one more call. */
async function fullReport(aws: AwsClients, stack: StackDescription): Promise<ClusterReport> {
  const report = await gatherReport(aws, stack);
  return withSettings(report, settingsOf(await (await aws.stacks()).template(stack.id)));
}

const kindOf = (status: string): OperationKind => (status.startsWith('DELETE') ? 'delete' : status.startsWith('CREATE') || status === 'ROLLBACK_IN_PROGRESS' ? 'create' : 'update');

/** Prints the cluster report; with `--wait`, first follows the operation in progress to its end. */
export async function runShow(ctx: CliContext, opts: ShowOptions): Promise<void> {
  const name = requireStackName(opts['stack-name']);
  const timeoutMs = opts.wait ? parseTimeout(opts.timeout ?? DEFAULT_TIMEOUT) : undefined;
  const { aws, region } = await openAws(ctx, opts);
  const stacks = await aws.stacks();
  let stack = await findCluster(stacks, name, region);

  if (opts.wait && classifyStatus(stack.status) === 'in-progress') {
    const recent = await stacks.recentEvents(stack.id, () => true);
    const cursor = findOperationStart(recent) ?? { since: stack.updated ?? stack.created, seen: new Set<string>() };
    const kind = kindOf(stack.status);
    const spec = { stacks, stackId: stack.id, stackName: name, region, kind, cursor, labels: resourceLabels(), ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    const result = await followOperation(ctx, spec);
    if (kind === 'delete' && result.outcome === 'succeeded') {
      ctx.io.err.write(`cluster ${name} was deleted\n`);
      await printResult(ctx.io, outputFormat(opts), { name, region, stackId: stack.id, status: result.status }, (d) => `Cluster ${d.name} (${d.region})\n  Status:        ${d.status}`);
      return;
    }
    const after = await stacks.describe(stack.id);
    if (after) stack = after;
    if (result.outcome !== 'succeeded') {
      // With -o json|yaml the error object is the one document on stdout; people also get the report.
      if (outputFormat(opts) === 'text') await printResult(ctx.io, 'text', await fullReport(aws, stack), renderReport);
      throw operationFailure(result, { ...spec }, `see the events above; "elasticrtc show --stack-name ${name}" reports the cluster as it is now`);
    }
  }
  const report = await fullReport(aws, stack);
  await printResult(ctx.io, outputFormat(opts), report, renderReport);
}
