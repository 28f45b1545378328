import { DEFAULT_TIMEOUT } from '../shared/options.js';
import type { CliContext } from '../../cli/context.js';
import { parseTimeout } from '../../cli/duration.js';
import { UsageError } from '../../cli/errors.js';
import { outputFormat } from '../../cli/global-options.js';
import { note, printResult } from '../../cli/output.js';
import { openAws } from '../../cli/auth/session.js';
import type { AwsClients } from '../../aws/clients.js';
import type { StackDescription } from '../../aws/stack-api.js';
import { resourceLabels, settingsOf } from '../../cluster/render.js';
import { type ClusterReport, renderReport, withSettings } from '../../cluster/report.js';
import { findOperationStart } from '../../deploy/event-filter.js';
import type { OperationKind } from '../../deploy/progress-view.js';
import { classifyStatus } from '../../deploy/status.js';
import { clusterNotFound, gatherReport, isGone, requireCluster, requireStackName } from '../../deploy/cluster.js';
import { type ClusterExtras, findClusterExtras } from '../../deploy/cluster-extras.js';
import { followOperation, operationFailure } from '../../deploy/operation.js';
import type { ShowOptions } from './command.js';
import { readOperations, renderOperations } from './events.js';

/** The report with what only the template records (origins, scaling policies): one more call. */
async function fullReport(aws: AwsClients, stack: StackDescription): Promise<ClusterReport> {
  const report = await gatherReport(aws, stack);
  return withSettings(report, settingsOf(await (await aws.stacks()).template(stack.id)));
}

/** What a cluster whose stack is gone left behind, in words: `the secret elasticrtc/x and 1 imported certificate (arn…)`. */
function describeLeftovers(extras: ClusterExtras): string {
  const parts = [
    ...(extras.secret ? [`the secret ${extras.secret}`] : []),
    ...(extras.certificates.length > 0 ? [`${extras.certificates.length} certificate${extras.certificates.length === 1 ? '' : 's'} imported into ACM for it (${extras.certificates.join(', ')})`] : []),
  ];
  return parts.join(' and ');
}

/**
 * The error for a name with no live stack: "no cluster named X", or, when the cluster's stack is gone
 * but its secret or imported certificates remain (a deletion nobody followed to its end), what is left
 * and the command that removes it. Exit 2 either way: there is no cluster to show.
 */
async function notFound(aws: AwsClients, name: string, region: string): Promise<UsageError> {
  const extras = await findClusterExtras(aws, name).catch(() => undefined);
  if (!extras || (!extras.secret && extras.certificates.length === 0)) return clusterNotFound(name, region);
  return new UsageError(
    'ClusterNotFound',
    `no cluster named ${name} in ${region}: its stack is gone, but it left ${describeLeftovers(extras)}`,
    `"elasticrtc delete --stack-name ${name} --region ${region}" removes what is left`,
  );
}

const kindOf = (status: string): OperationKind => (status.startsWith('DELETE') ? 'delete' : status.startsWith('CREATE') || status === 'ROLLBACK_IN_PROGRESS' ? 'create' : 'update');

/**
 * Prints the cluster report, or with `--events` its latest operations; with `--wait`, first follows the
 * operation in progress to its end.
 */
export async function runShow(ctx: CliContext, opts: ShowOptions): Promise<void> {
  const name = requireStackName(opts['stack-name']);
  const timeoutMs = opts.wait ? parseTimeout(opts.timeout ?? DEFAULT_TIMEOUT) : undefined;
  const { aws, region } = await openAws(ctx, opts);
  const stacks = await aws.stacks();
  const found = await stacks.describe(name);
  if (isGone(found)) throw await notFound(aws, name, region);
  let stack = requireCluster(found, name, region);

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
      if (outputFormat(opts) === 'text') {
        if (opts.events) await printEvents(ctx, opts, aws, stack, region);
        else await printResult(ctx.io, 'text', await fullReport(aws, stack), renderReport);
      }
      throw operationFailure(result, { ...spec }, `see the events above; "elasticrtc show --stack-name ${name}" reports the cluster as it is now`);
    }
  }
  if (opts.events) {
    await printEvents(ctx, opts, aws, stack, region);
    return;
  }
  const report = await fullReport(aws, stack);
  await printResult(ctx.io, outputFormat(opts), report, renderReport);
}

/** `--events`: the cluster's latest operations, newest first, with the root cause of each failure. */
async function printEvents(ctx: CliContext, opts: ShowOptions, aws: AwsClients, stack: StackDescription, region: string): Promise<void> {
  const doc = await readOperations(await aws.stacks(), stack, region, ctx.clock);
  if (outputFormat(opts) === 'text') {
    if (doc.operations.length === 0) note(ctx.io, `no operations found in the events of ${stack.name}`);
    else if (doc.truncated) note(ctx.io, `the ${doc.operations.length} latest operations of ${stack.name}; all its events: aws cloudformation describe-stack-events --stack-name ${stack.name} --region ${region}`);
  }
  await printResult(ctx.io, outputFormat(opts), doc, (d) => renderOperations(d, ctx.io.stdoutIsTty));
}
