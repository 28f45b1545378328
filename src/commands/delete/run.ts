import type { CliContext } from '../../cli/context.js';
import { parseTimeout } from '../../cli/duration.js';
import { AbortedError, UsageError } from '../../cli/errors.js';
import { outputFormat } from '../../cli/global-options.js';
import { note, printResult } from '../../cli/output.js';
import { actingIn, openAws } from '../../cli/auth/session.js';
import { resourceLabels } from '../../cluster/render.js';
import { clusterNotFound, isGone, requireCluster, requireStackName } from '../../deploy/cluster.js';
import { findClusterExtras, removeClusterExtras } from '../../deploy/cluster-extras.js';
import { secretName } from '../../deploy/cluster-secret.js';
import { type OperationCursor, findOperationStart } from '../../deploy/event-filter.js';
import { followCommand, followOperation, operationFailure } from '../../deploy/operation.js';
import { DEFAULT_TIMEOUT } from '../shared/options.js';
import type { DeleteOptions } from './command.js';

/** Asks the person to type the cluster name; nobody to ask without `--yes` is a usage error. */
function requireConfirmable(ctx: CliContext, name: string, yes: boolean | undefined): void {
  if (!yes && !ctx.io.canPrompt) {
    throw new UsageError('ConfirmationRequired', `deleting cluster ${name} needs a confirmation and nobody can answer here`, 'pass --yes to delete without asking');
  }
}

async function confirmDeletion(ctx: CliContext, name: string, yes: boolean | undefined, question = `Delete cluster ${name} ${actingIn(ctx)}, and all its nodes?`): Promise<void> {
  if (yes) return;
  const typed = await ctx.prompter.input(`${question} Type its name to confirm:`);
  if (typed.trim() !== name) throw new AbortedError('Declined', `cluster ${name} was not deleted: the name typed did not match`);
}

/**
 * Deletes a cluster's stack and follows the deletion; the bucket is retained. Run again, it finishes
 * what an unfollowed deletion left: it follows a deletion still running, and when the stack is gone it
 * removes the cluster's secret and imported certificates. A name with neither is exit 2.
 */
export async function runDelete(ctx: CliContext, opts: DeleteOptions): Promise<void> {
  const name = requireStackName(opts['stack-name']);
  const timeoutMs = parseTimeout(opts.timeout ?? DEFAULT_TIMEOUT);
  requireConfirmable(ctx, name, opts.yes); // before any AWS call: nobody can answer, so nothing is looked up
  const { aws, region } = await openAws(ctx, opts);
  const stacks = await aws.stacks();
  const described = await stacks.describe(name);
  const format = outputFormat(opts);

  if (isGone(described)) {
    // No stack (any more): a deletion that nobody followed to its end leaves the cluster's secret and
    // imported certificates behind. They are found by name and tag, and removed like a deletion would.
    const extras = await findClusterExtras(aws, name);
    if (!extras.secret && extras.certificates.length === 0) throw clusterNotFound(name, region);
    const what = [...(extras.secret ? [`the secret ${extras.secret}`] : []), ...extras.certificates.map((arn) => `the certificate ${arn}`)].join(' and ');
    await confirmDeletion(ctx, name, opts.yes, `Cluster ${name} ${actingIn(ctx)} has no stack any more; remove what it left: ${what}?`);
    const done = await removeClusterExtras(aws, ctx.io, name, extras.certificates);
    const removed = { ...(extras.secret && done.secret ? { secret: done.secret } : {}), certificates: done.certificates };
    const said = [...(removed.secret ? [`the secret ${removed.secret} (api key, TURN secret, DTLS key)`] : []), ...removed.certificates.map((arn) => `the certificate ${arn}`)];
    note(ctx.io, `cluster ${name} has no stack any more; removed ${said.length ? said.join(' and ') : 'nothing'}`);
    await printResult(ctx.io, format, { name, region, status: 'DELETE_COMPLETE', removed }, (d) => `Cluster ${d.name} (${d.region}) deleted\n  Removed: ${said.join(', ') || 'nothing'}`);
    return;
  }
  const stack = requireCluster(described, name, region);
  if (stack.terminationProtection) {
    throw new UsageError('TerminationProtected', `cluster ${name} has termination protection on; nothing was deleted`, `turn it off first: aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name ${name} --region ${region}`);
  }
  await confirmDeletion(ctx, name, opts.yes);

  const bucket = stack.outputs.BucketName;
  const resources = await stacks.resources(stack.id);
  const total = resources.length;
  // A cluster with audio-archive has its recorders' group: its archive (final/) stays in the bucket.
  const archive = resources.some((r) => r.logicalId === 'RecorderGroup');
  let cursor: OperationCursor;
  if (stack.status === 'DELETE_IN_PROGRESS') {
    // A deletion started earlier (and no longer followed) is still running: follow it to its end.
    cursor = findOperationStart(await stacks.recentEvents(stack.id, () => true)) ?? { since: stack.updated ?? stack.created, seen: new Set<string>() };
    note(ctx.io, `cluster ${name} is already being deleted; following the deletion`);
  } else {
    const token = `elasticrtc-delete-${ctx.randomHex(12)}`;
    cursor = { token, since: ctx.clock.now(), seen: new Set<string>() };
    await stacks.delete(stack.id, token);
  }
  const kept = archive ? 'its recordings, logs, node runtime and the audio archive under final/' : 'its recordings, logs and node runtime';
  // kvs-relay's Kinesis video streams are retained by the stack (DeletionPolicy Retain): the video stays.
  const streams = resources.filter((r) => r.type === 'AWS::KinesisVideo::Stream' && r.physicalId).map((r) => r.physicalId as string);
  const streamsKept = streams.length > 0 ? `; the Kinesis video stream${streams.length === 1 ? '' : 's'} ${streams.join(', ')} ${streams.length === 1 ? 'is' : 'are'} kept with ${streams.length === 1 ? 'its' : 'their'} video (delete each yourself when no longer needed: aws kinesisvideo delete-stream --stream-arn <arn> --region ${region})` : '';
  const retained = bucket ? `the bucket ${bucket} is kept with ${kept} (delete it yourself when no longer needed: aws s3 rb s3://${bucket} --force)${streamsKept}` : streamsKept.slice(2) || undefined;
  const keptLine = `${bucket ? `\n  Kept: bucket ${bucket}${archive ? ` (audio archive: s3://${bucket}/final/)` : ''}` : ''}${streams.map((x) => `\n  Kept: Kinesis video stream ${x}`).join('')}`;
  const retainedJson = { ...(bucket ? { bucket, ...(archive ? { archive: `s3://${bucket}/final/` } : {}) } : {}), ...(streams.length > 0 ? { kinesisVideoStreams: streams } : {}) };

  if (!opts.wait) {
    // The secret can go now (the stack no longer reads it); an imported certificate stays in use until
    // its listener is gone, so its removal is left to the user, with the command to run.
    await (await aws.secrets()).delete(secretName(name)).catch(() => undefined);
    const imported = await (await aws.certificates()).taggedFor(name).catch(() => [] as string[]);
    for (const arn of imported) note(ctx.io, `once the deletion is over, remove the certificate imported for ${name}: aws acm delete-certificate --certificate-arn ${arn} --region ${region}`);
    note(ctx.io, `deleting cluster ${name}; follow it with: ${followCommand(name, region)} (once it is over, "elasticrtc delete --stack-name ${name} --region ${region}" removes anything left)`);
    if (archive && bucket) note(ctx.io, `the audio archive stays in s3://${bucket}/final/ with the bucket`);
    if (streamsKept) note(ctx.io, streamsKept.slice(2));
    await printResult(ctx.io, format, { name, region, stackId: stack.id, status: 'DELETE_IN_PROGRESS', retained: retainedJson }, (d) => `${d.stackId}\tDELETE_IN_PROGRESS`);
    return;
  }
  const spec = { stacks, stackId: stack.id, stackName: name, region, kind: 'delete' as const, cursor, labels: resourceLabels(), total, timeoutMs };
  const result = await followOperation(ctx, spec);
  if (result.outcome !== 'succeeded') {
    throw operationFailure(result, spec, `fix or remove the blocking resource, then run "elasticrtc delete --stack-name ${name} --region ${region}" again`);
  }
  await removeClusterExtras(aws, ctx.io, name);
  note(ctx.io, `cluster ${name} deleted${retained ? `; ${retained}` : ''}`);
  await printResult(ctx.io, format, { name, region, stackId: stack.id, status: result.status, retained: retainedJson }, (d) => `Cluster ${d.name} (${d.region}) deleted${keptLine}`);
}
