import { DEFAULT_TIMEOUT } from '../shared/options.js';
import type { CliContext } from '../../cli/context.js';
import { parseTimeout } from '../../cli/duration.js';
import { AbortedError, ExitCode, InterruptedError, UsageError } from '../../cli/errors.js';
import { outputFormat } from '../../cli/global-options.js';
import { note, printResult } from '../../cli/output.js';
import { actingIn, openAws } from '../../cli/session.js';
import { describeProblem } from '../../cluster/problems.js';
import { activeResourceCount, renderCluster, resourceLabels, settingsOf } from '../../cluster/render.js';
import { renderReport } from '../../cluster/report.js';
import type { Parsed } from '../../cluster/parse.js';
import { resolveSettings } from '../../cluster/settings.js';
import { checkUpdateFlags, mergeUpdateSettings } from '../../cluster/update-settings.js';
import { KMS_VERSION_TAG, RELEASED_KMS_VERSIONS } from '../../cluster/versions.js';
import { TOOL_VERSION } from '../../version.js';
import { readCertificateFiles } from '../create/certificate-input.js';
import { mergeConfig } from '../create/config-file.js';
import { type CertificateNames, preflight } from '../create/preflight.js';
import { findCluster, gatherReport, requireStackName } from '../shared/cluster.js';
import { currentRuntime, stageNodeRuntime } from '../shared/node-runtime.js';
import { followCommand, followOperation, operationFailure } from '../shared/operation.js';
import type { UpdateOptions } from './command.js';
import { applyQuestion, previewRows, renderPreview } from './preview.js';

/** Flags an update cannot change: they would rebuild the cluster under the same name. */
const FIXED = ['aws-s3-bucket-name', 'api-key', 'inspector-user', 'inspector-pass', 'elasticsearch-password'] as const;

/** The value, or exit 2 with every problem found. */
function orUsageError<T>(parsed: Parsed<T>): T {
  if (parsed.ok) return parsed.value;
  const lines = parsed.problems.map(describeProblem);
  throw new UsageError('InvalidSettings', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} invalid settings:\n  ${lines.join('\n  ')}`);
}

/**
 * Updates a cluster: its current settings (kept in its template) with the changed flags on top, the same
 * validation and preflight as create, a change set shown as a table, a confirmation, then the update
 * followed to its end. No change ⇒ "up to date", exit 0; declined ⇒ the change set is removed, exit 3.
 */
export async function runUpdate(ctx: CliContext, opts: UpdateOptions): Promise<void> {
  const name = requireStackName(opts['stack-name']);
  const given = await mergeConfig(opts.config, { ...opts, config: undefined, 'stack-name': undefined, wait: undefined, timeout: undefined, yes: undefined });
  const timeoutMs = parseTimeout(opts.timeout ?? DEFAULT_TIMEOUT);
  orUsageError(checkUpdateFlags(given));
  if (!opts.yes && !ctx.io.canPrompt) {
    throw new UsageError('ConfirmationRequired', `updating cluster ${name} needs a confirmation and nobody can answer here`, 'pass --yes to apply the update without asking');
  }
  const { aws, region, callerArn } = await openAws(ctx, { ...opts, region: opts.region ?? (typeof given.region === 'string' ? given.region : undefined) });
  const stacks = await aws.stacks();
  const stack = await findCluster(stacks, name, region);
  if (!/_COMPLETE$/.test(stack.status) || stack.status === 'ROLLBACK_COMPLETE') {
    throw new UsageError('NotUpdatable', `cluster ${name} is ${stack.status} and cannot be updated now`, stack.status.endsWith('_IN_PROGRESS') ? `wait for it: ${followCommand(name, region)}` : `delete it: elasticrtc delete --stack-name ${name}`);
  }
  const current = settingsOf(await stacks.template(stack.id));
  if (!current) throw new UsageError('UnknownSettings', `cluster ${name} was created by an elasticrtc too old to record its settings; it cannot be updated in place`);
  for (const flag of FIXED) {
    // A file printed by `create --dry-run -o yaml` repeats these unchanged: only a change is refused.
    if (given[flag] !== undefined && String(given[flag]).toLowerCase() !== String(current[flag] ?? '').toLowerCase()) {
      throw new UsageError('FixedSetting', `--${flag} cannot be changed by an update`, flag === 'aws-s3-bucket-name' ? 'the bucket keeps the cluster’s recordings; create a new cluster to use another one' : 'secrets and logins stay as they were created');
    }
  }
  const raw: Record<string, unknown> = { ...mergeUpdateSettings(current, given, stack.parameters.CertificateArn), 'stack-name': name };

  const images = RELEASED_KMS_VERSIONS.includes(String(raw.version) as never) ? [] : await (await aws.compute()).ownImages(KMS_VERSION_TAG);
  const s = orUsageError(resolveSettings(raw, region, [...RELEASED_KMS_VERSIONS, ...images.map((i) => i.version)]));
  const certificate = s.tls.kind === 'files' ? await readCertificateFiles(ctx, s.tls) : undefined;
  const names: CertificateNames = certificate ? { kind: 'files', names: certificate.names } : s.tls.kind === 'acm' ? { kind: 'acm', arn: s.tls.arn } : { kind: 'none' };
  const facts = await preflight(aws, s, names, { dnsName: stack.parameters.DnsName ?? '' });
  // New nodes fetch the runtime of this version: it is in the bucket before any change is prepared.
  const runtime = await currentRuntime(ctx);
  await stageNodeRuntime(ctx, aws, { cluster: name, bucket: s.bucketName, region, createBucket: facts.createBucket, callerArn, runtime });
  const tags = { 'elasticrtc:cluster': name };
  const importedArn = certificate ? await (await aws.certificates()).import({ certificate: certificate.certificatePem, chain: certificate.chainPem, privateKey: certificate.privateKeyPem }, tags) : undefined;
  const certificateArn = importedArn ?? (s.tls.kind === 'acm' ? s.tls.arn : undefined);
  // A certificate imported for an update that does not happen serves nothing: it goes again.
  const discardImport = async (): Promise<void> => {
    if (importedArn) await (await aws.certificates()).delete(importedArn);
  };
  const imageId = images.find((i) => i.version === s.kmsVersion)?.imageId;
  const rendered = renderCluster(s, {
    toolVersion: TOOL_VERSION,
    secretArn: stack.parameters.ClusterSecretArn ?? '',
    runtime,
    ...(certificateArn ? { certificateArn } : {}),
    ...(facts.dns.kind !== 'LoadBalancer' ? { dnsName: facts.dns.name } : {}),
    ...(imageId ? { ownImageId: imageId } : {}),
    // The subnets stay where they are: moving them would replace the whole network.
    ...(stack.parameters.ZoneA && stack.parameters.ZoneB ? { zones: [stack.parameters.ZoneA, stack.parameters.ZoneB] as [string, string] } : {}),
  });

  const labels = resourceLabels(rendered.template);
  const changeSetName = `elasticrtc-update-${ctx.randomHex(8)}`;
  const prepared = await stacks.prepareUpdate(stack.name, { name: changeSetName, templateBody: rendered.templateBody, parameters: rendered.parameters, tags: rendered.tags }, (ms) => ctx.clock.sleep(ms));
  const format = outputFormat(opts);
  if (prepared.status === 'empty') {
    await stacks.deleteChangeSet(prepared.id);
    await discardImport();
    note(ctx.io, `cluster ${name} is up to date: nothing to change`);
    return printResult(ctx.io, format, { name, region, status: stack.status, changes: [] }, () => `Cluster ${name} is up to date`);
  }
  if (prepared.status === 'failed') {
    await stacks.deleteChangeSet(prepared.id);
    await discardImport();
    throw new UsageError('ChangeSetFailed', `CloudFormation cannot apply this update to ${name}: ${prepared.reason}`);
  }
  const rows = previewRows(prepared.changes, labels);
  ctx.io.err.write(renderPreview(rows, ctx.io.stderrIsTty));
  if (!opts.yes) {
    const ok = await ctx.prompter.confirm(applyQuestion(rows.length, name, actingIn(ctx)), false);
    if (!ok) {
      await stacks.deleteChangeSet(prepared.id);
      await discardImport();
      throw new AbortedError('Declined', `cluster ${name} was not changed; the change set was removed`);
    }
  }

  const token = `elasticrtc-update-${ctx.randomHex(12)}`;
  const started = ctx.clock.now();
  await stacks.executeChangeSet(prepared.id, token);
  if (!opts.wait) {
    note(ctx.io, `updating cluster ${name}; follow it with: ${followCommand(name, region)}`);
    return printResult(ctx.io, format, { name, region, stackId: stack.id, status: 'UPDATE_IN_PROGRESS', changes: rows }, (d) => `${d.stackId}\t${d.status}`);
  }
  const spec = {
    stacks,
    stackId: stack.id,
    stackName: name,
    region,
    kind: 'update' as const,
    cursor: { token, since: started, seen: new Set<string>() },
    labels,
    total: activeResourceCount(rendered.template, rendered.parameters),
    timeoutMs,
    cancel: {
      label: 'cancel: stop the update and roll the cluster back',
      run: async (): Promise<never> => {
        await stacks.cancelUpdate(stack.id, `elasticrtc-cancel-${ctx.randomHex(12)}`);
        const result = await followOperation(ctx, { ...spec, cancel: undefined });
        if (result.outcome === 'needs-action') throw operationFailure(result, spec, 'the rollback did not finish; see the events above');
        throw new InterruptedError(`update of ${name} cancelled: the cluster was rolled back (${result.status})`, ExitCode.Interrupted);
      },
    },
  };
  const result = await followOperation(ctx, spec);
  if (result.outcome !== 'succeeded') {
    await discardImport();
    throw operationFailure(result, spec, result.outcome === 'rolled-back' ? `the cluster is back as it was; fix the cause and run the update again` : 'see the events above; the cluster needs attention in the CloudFormation console');
  }
  // A certificate elasticrtc imported and no longer serves goes; one of the user's own stays.
  const previousArn = stack.parameters.CertificateArn;
  if (previousArn && previousArn !== certificateArn) {
    const certificates = await aws.certificates();
    if ((await certificates.taggedFor(name)).includes(previousArn) && !(await certificates.delete(previousArn))) {
      note(ctx.io, `the previous certificate ${previousArn} is still in use; delete it later with: aws acm delete-certificate --certificate-arn ${previousArn}`);
    }
  }
  const after = (await stacks.describe(stack.id)) ?? stack;
  await printResult(ctx.io, format, await gatherReport(aws, after), renderReport);
}
