import type { AwsClients } from '../aws/clients.js';
import type { StackApi, StackDescription } from '../aws/stack-api.js';
import type { CliContext } from '../cli/context.js';
import { invalidSettings } from './validate.js';
import { ExitCode, InterruptedError, UsageError } from '../cli/errors.js';
import type { OutputFormat } from '../cli/global-options.js';
import { note, printResult } from '../cli/output.js';
import { DRY_RUN_SECRET_ARN, type RenderedStack, activeResourceCount, renderCluster, resourceLabels, templateSizeProblem } from '../cluster/render.js';
import { appLifecycleRules } from '../cluster/bucket.js';
import { renderReport } from '../cluster/report.js';
import { TOOL_VERSION } from '../version.js';
import { type PreviewRow, renderPreview } from './change-preview.js';
import { submitUpdate } from './change-set.js';
import { gatherReport } from './cluster.js';
import { removeUnusedImports } from './cluster-extras.js';
import { secretName } from './cluster-secret.js';
import { currentRuntime, stageNodeRuntime } from './node-runtime.js';
import { type Finished, type OperationSpec, followCommand, followOperation, operationFailure } from './operation.js';
import { type OutsideStack, makeOutsideStack } from './outside-stack.js';
import { certificateNames, preflight } from './preflight.js';
import type { Validated } from './validate.js';

/**
 * One pipeline deploys a cluster, new or running: validate (`validate.ts`) → preflight → secret/certificate
 * (`outside-stack.ts`) → render → submit → follow → clean up. A create and an update differ only where
 * they must: the secret (made, or the cluster's), the submission (CreateStack, or a change set previewed
 * and confirmed: `change-set.ts`) and what is removed once the operation is over.
 */

/** Which flag produced a resource, to name it when that resource fails. */
export const RESOURCE_FLAGS: Readonly<Record<string, string>> = {
  NodeLaunchTemplate: '--aws-instance-type / --aws-key-name / --aws-instance-tenancy',
  NodeGroup: '--aws-instance-type / --version / --desired-capacity',
  LoadBalancerSecurityGroup: '--api-origin / --control-origin',
  NodeSecurityGroup: '--control-origin',
  HttpsListener: '--ssl-cert / --certificate-arn',
  DnsRecord: '--hosted-zone-id',
};

/** A new cluster, or a change to a running one (`dryRun`: its change set shown, then deleted). */
export type DeployTarget = { kind: 'create'; terminationProtection: boolean } | { kind: 'update'; stack: StackDescription; dryRun: boolean; yes: boolean };

/** A validated deployment and how to run it. */
export interface Deployment extends Validated {
  target: DeployTarget;
  session: { aws: AwsClients; region: string; identity: string; callerArn: string };
  timeoutMs: number;
  wait: boolean;
  format: OutputFormat;
}

/** Deploys a validated cluster: the steps after validation, to the report. */
export async function deployCluster(ctx: CliContext, d: Deployment): Promise<void> {
  const { aws, region } = d.session;
  const s = d.settings;
  const update = d.target.kind === 'update' ? d.target : undefined;
  const dryRun = update?.dryRun === true;
  note(ctx.io, d.session.identity);

  // A template over CloudFormation's inline limit is refused before anything is written (its size
  // does not depend on the ARNs and names made below).
  const probe = templateSizeProblem(renderCluster(s, { toolVersion: TOOL_VERSION, secretArn: DRY_RUN_SECRET_ARN, runtime: await currentRuntime(ctx), ...(d.certificate || s.tls.kind === 'acm' ? { certificateArn: DRY_RUN_SECRET_ARN } : {}) }));
  if (probe) throw invalidSettings([probe], d.target.kind);

  // Preflight: read-only checks, every problem at once.
  const facts = await preflight(aws, s, certificateNames(s, d.certificate), update ? { dnsName: update.stack.parameters.DnsName ?? '' } : undefined);
  // The nodes fetch their runtime from the bucket at boot: it is there before the stack changes. A dry
  // run uploads nothing: its change set names the runtime by digest and is never executed.
  const runtime = await currentRuntime(ctx);
  if (!dryRun) await stageNodeRuntime(ctx, aws, { cluster: s.stackName, bucket: s.bucketName, region, createBucket: facts.createBucket, callerArn: d.session.callerArn, runtime, lifecycle: appLifecycleRules(s) });

  const outside = await makeOutsideStack(ctx, d);
  const stacks = await aws.stacks();
  let rendered: RenderedStack;
  let started: Started | undefined;
  try {
    rendered = renderCluster(s, {
      toolVersion: TOOL_VERSION,
      secretArn: outside.secretArn,
      runtime,
      ...(outside.certificateArn ? { certificateArn: outside.certificateArn } : {}),
      ...(facts.dns.kind !== 'LoadBalancer' ? { dnsName: facts.dns.name } : {}),
      ...(d.imageId ? { ownImageId: d.imageId } : {}),
      // An update keeps its subnets where they are: moving them would replace the whole network.
      ...(update ? stackZones(update.stack) : facts.zones ? { zones: facts.zones } : {}),
    });
    started = await submit(ctx, d, stacks, rendered);
  } catch (error) {
    await outside.discard();
    throw error;
  }
  if (!started) {
    await outside.discard();
    return;
  }

  const name = s.stackName;
  const kind = d.target.kind;
  if (!d.wait) {
    note(ctx.io, `${kind === 'create' ? 'creating' : 'updating'} cluster ${name}; follow it with: ${followCommand(name, region)}`);
    const previous = update?.stack.parameters.CertificateArn;
    if (previous && previous !== outside.certificateArn) note(ctx.io, `the certificate served until now, if elasticrtc imported it, is removed by the next update or delete of ${name} once the listener no longer uses it`);
    const status = kind === 'create' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    return printResult(ctx.io, d.format, { name, region, stackId: started.stackId, status, ...(started.rows ? { changes: started.rows } : {}) }, (r) => `${r.stackId}\t${r.status}`);
  }
  const spec: OperationSpec = {
    stacks,
    stackId: started.stackId,
    stackName: name,
    region,
    kind,
    cursor: { token: started.token, since: started.since, seen: new Set<string>() },
    labels: resourceLabels(rendered.template),
    total: activeResourceCount(rendered.template, rendered.parameters),
    timeoutMs: d.timeoutMs,
    cancel: cancelAction(ctx, d, stacks, started.stackId, outside),
  };
  // Follow: a timeout or a detach leaves everything as it is (the operation goes on in AWS).
  const result = await followOperation(ctx, spec);
  if (result.outcome !== 'succeeded') throw await failed(ctx, d, spec, result, outside);

  // Clean up: an update's previous imported certificate serves nothing any more.
  if (update) await removeUnusedImports(aws, ctx.io, ctx.clock, name, outside.certificateArn);
  const stack = await stacks.describe(started.stackId);
  if (!stack) throw new UsageError('StackVanished', `stack ${name} disappeared after its ${kind}`);
  if (!update) note(ctx.io, `cluster ${name} is ready; its api key and inspector password are in the secret ${secretName(name)}: aws secretsmanager get-secret-value --secret-id ${secretName(name)} --region ${region} --query SecretString --output text`);
  await printResult(ctx.io, d.format, await gatherReport(aws, stack), renderReport);
}

const stackZones = (stack: StackDescription): { zones?: [string, string] } =>
  stack.parameters.ZoneA && stack.parameters.ZoneB ? { zones: [stack.parameters.ZoneA, stack.parameters.ZoneB] } : {};

/** An operation submitted: its stack, its token and start (to follow it), and an update's changes. */
interface Started {
  stackId: string;
  token: string;
  since: number;
  rows?: PreviewRow[];
}

/**
 * Submit: CreateStack, or the update's change set (previewed, confirmed, executed). Undefined when
 * nothing was started (up to date, or a dry run); the result has then been printed.
 */
async function submit(ctx: CliContext, d: Deployment, stacks: StackApi, rendered: RenderedStack): Promise<Started | undefined> {
  const { region } = d.session;
  const name = d.settings.stackName;
  if (d.target.kind === 'create') {
    const token = `elasticrtc-create-${ctx.randomHex(12)}`;
    const since = ctx.clock.now();
    const stackId = await stacks.create({ name, templateBody: rendered.templateBody, parameters: rendered.parameters, tags: rendered.tags, token, timeoutMinutes: Math.ceil(d.timeoutMs / 60_000), terminationProtection: d.target.terminationProtection });
    return { stackId, token, since };
  }
  const { stack, dryRun, yes } = d.target;
  const request = { name: `elasticrtc-update-${ctx.randomHex(8)}`, templateBody: rendered.templateBody, parameters: rendered.parameters, tags: rendered.tags };
  const submitted = await submitUpdate(ctx, { stacks, stack, request, labels: resourceLabels(rendered.template), dryRun, yes });
  if (submitted.kind === 'up-to-date') {
    note(ctx.io, `cluster ${name} is up to date: nothing to change`);
    await printResult(ctx.io, d.format, { name, region, status: stack.status, changes: [], ...(dryRun ? { dryRun } : {}) }, () => `Cluster ${name} is up to date`);
    return undefined;
  }
  if (submitted.kind === 'previewed') {
    note(ctx.io, `dry run: the change set was deleted; cluster ${name} was not changed`);
    const doc = { name, region, stackId: stack.id, status: stack.status, dryRun: true, changes: submitted.rows };
    // The change list is the result: on stdout as text too (stderr otherwise, for people).
    if (d.format !== 'text') ctx.io.err.write(renderPreview(submitted.rows, ctx.io.stderrIsTty));
    await printResult(ctx.io, d.format, doc, (r) => renderPreview(r.changes, ctx.io.stdoutIsTty));
    return undefined;
  }
  return { stackId: stack.id, token: submitted.token, since: submitted.since, rows: submitted.rows };
}

/** Ctrl-C at a terminal offers to cancel: a create deletes its new stack, an update rolls back. */
function cancelAction(ctx: CliContext, d: Deployment, stacks: StackApi, stackId: string, outside: OutsideStack): OperationSpec['cancel'] {
  const { region } = d.session;
  const name = d.settings.stackName;
  if (d.target.kind === 'create') {
    return {
      label: `cancel: stop the creation and delete the new stack ${name}`,
      run: async (spec: OperationSpec): Promise<never> => {
        const token = `elasticrtc-delete-${ctx.randomHex(12)}`;
        await stacks.delete(stackId, token);
        const deletion = await followOperation(ctx, { ...spec, kind: 'delete', cursor: { token, since: ctx.clock.now(), seen: new Set() }, cancel: undefined });
        if (deletion.outcome !== 'succeeded') throw operationFailure(deletion, { ...spec, kind: 'delete' }, `run "elasticrtc delete --stack-name ${name} --region ${region}" to finish`);
        await outside.discard();
        throw new InterruptedError(`creation of ${name} cancelled: its stack was deleted; the bucket ${d.settings.bucketName} stays, with the node runtime in it`, ExitCode.Interrupted);
      },
    };
  }
  return {
    label: 'cancel: stop the update and roll the cluster back',
    run: async (spec: OperationSpec): Promise<never> => {
      const since = ctx.clock.now();
      await stacks.cancelUpdate(stackId, `elasticrtc-cancel-${ctx.randomHex(12)}`);
      // The rollback's events may carry the cancel's token, the update's or none: on a stack operations
      // never overlap, so every event from the cancel on is the rollback's.
      const result = await followOperation(ctx, { ...spec, cursor: { since, seen: new Set(spec.cursor.seen) }, cancel: undefined });
      if (result.outcome === 'needs-action') throw operationFailure(result, spec, 'the rollback did not finish; see the events above');
      await outside.discard();
      throw new InterruptedError(`update of ${name} cancelled: the cluster was rolled back (${result.status})`, ExitCode.Interrupted);
    },
  };
}

/** The error for an operation that ended badly, after taking back what no longer serves anything. */
async function failed(ctx: CliContext, d: Deployment, spec: OperationSpec, result: Finished, outside: OutsideStack): Promise<Error> {
  const { region } = d.session;
  const name = d.settings.stackName;
  const bucketKept = `the bucket ${d.settings.bucketName} stays, with the node runtime in it`;
  if (d.target.kind === 'update') {
    // The cluster is back as it was (or stuck): the certificate imported for this update serves nothing.
    await outside.discard();
    const hint = result.outcome === 'rolled-back' ? 'the cluster is back as it was; fix the cause and run the update again' : 'see the events above; the cluster needs attention in the CloudFormation console';
    return operationFailure(result, spec, hint, RESOURCE_FLAGS);
  }
  // Nothing runs any more after a clean rollback: the secret and the imported certificate go too.
  if (result.outcome === 'rolled-back') await outside.discard();
  const hint =
    result.outcome === 'rolled-back'
      ? `nothing is left running (${bucketKept}); remove the rolled-back stack with "elasticrtc delete --stack-name ${name} --region ${region}" before reusing the name`
      : `some resources could not be removed; see the events above, then run "elasticrtc delete --stack-name ${name} --region ${region}"`;
  return operationFailure(result, spec, hint, RESOURCE_FLAGS);
}
