import type { AwsClients } from '../../aws/clients.js';
import type { CliContext } from '../../cli/context.js';
import { parseTimeout } from '../../cli/duration.js';
import { ExitCode, InterruptedError, UsageError } from '../../cli/errors.js';
import { outputFormat } from '../../cli/global-options.js';
import { note, printResult, warn } from '../../cli/output.js';
import { openAws, resolveRegion } from '../../cli/session.js';
import type { DnsPlan } from '../../cluster/dns-naming.js';
import { describeProblem, type Problem } from '../../cluster/problems.js';
import { DRY_RUN_SECRET_ARN, type RenderedStack, activeResourceCount, renderCluster, resourceLabels } from '../../cluster/render.js';
import { renderReport } from '../../cluster/report.js';
import { settingsToFlags } from '../../cluster/settings-file.js';
import { type ClusterSettings, OPEN_TO_WORLD, resolveSettings } from '../../cluster/settings.js';
import { KMS_VERSION_TAG, RELEASED_KMS_VERSIONS } from '../../cluster/versions.js';
import type { CertificateInfo } from '../../tls/check-certificate-pair.js';
import { TOOL_VERSION } from '../../version.js';
import { gatherReport } from '../shared/cluster.js';
import { removeClusterExtras } from '../shared/cluster-extras.js';
import { currentRuntime, stageNodeRuntime } from '../shared/node-runtime.js';
import { followCommand, followOperation, operationFailure } from '../shared/operation.js';
import { DEFAULT_TIMEOUT } from '../shared/options.js';
import { readCertificateFiles } from './certificate-input.js';
import { clusterSecretValue, secretName } from './cluster-secret.js';
import type { CreateOptions } from './command.js';
import { mergeConfig } from './config-file.js';
import { type CertificateNames, planClusterDns, preflight } from './preflight.js';

/** Which flag produced a resource, to name it when that resource fails. */
const RESOURCE_FLAGS: Readonly<Record<string, string>> = {
  NodeLaunchTemplate: '--aws-instance-type / --aws-key-name / --aws-instance-tenancy',
  NodeGroup: '--aws-instance-type / --version / --desired-capacity',
  LoadBalancerSecurityGroup: '--api-origin / --control-origin',
  NodeSecurityGroup: '--control-origin',
  HttpsListener: '--ssl-cert / --certificate-arn',
  DnsRecord: '--hosted-zone-id',
};

const usage = (problems: readonly Problem[]) => {
  const lines = problems.map(describeProblem);
  return new UsageError('InvalidSettings', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} invalid settings:\n  ${lines.join('\n  ')}`, 'run "elasticrtc create --help" for every flag and its format');
};

/** A version outside the releases may be one of the user's own images: a read-only look-up. */
async function ownImageFor(version: unknown, open: () => Promise<AwsClients>): Promise<{ versions: string[]; imageId?: string }> {
  const released: string[] = [...RELEASED_KMS_VERSIONS];
  if (version === undefined || released.includes(String(version))) return { versions: released };
  const images = await (await (await open()).compute()).ownImages(KMS_VERSION_TAG);
  const match = images.find((i) => i.version === String(version));
  return { versions: [...released, ...images.map((i) => i.version)], ...(match ? { imageId: match.imageId } : {}) };
}

function warnings(ctx: CliContext, s: ClusterSettings): void {
  if (s.apiOrigin.includes(OPEN_TO_WORLD)) warn(ctx.io, 'the Kurento API is open to the whole internet (--api-origin 0.0.0.0/0); restrict it with --api-origin');
  if (s.keyName !== undefined && s.controlOrigin.includes(OPEN_TO_WORLD)) warn(ctx.io, 'SSH is open to the whole internet (--control-origin 0.0.0.0/0); restrict it with --control-origin');
  if (s.tls.kind === 'none') warn(ctx.io, 'without --ssl-cert or --certificate-arn the cluster speaks ws:// in clear; browsers need wss:// outside localhost');
}

async function printDryRun(ctx: CliContext, opts: CreateOptions, s: ClusterSettings, r: RenderedStack): Promise<void> {
  const format = outputFormat(opts);
  if (format === 'json') return printResult(ctx.io, 'json', { settings: settingsToFlags(s), template: r.template, parameters: r.parameters, tags: r.tags }, () => '');
  if (format === 'yaml') return printResult(ctx.io, 'yaml', settingsToFlags(s), () => '');
  // The template exactly as CloudFormation receives it, indented for reading.
  ctx.io.out.write(`${JSON.stringify(r.template, null, 2)}\n`);
  const lines = Object.entries(r.parameters).map(([k, v]) => `  ${k}=${v}`);
  note(ctx.io, `dry run: nothing was created. Parameters:\n${lines.join('\n')}\nTags: ${Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(', ')}\nTemplate: ${Buffer.byteLength(r.templateBody)} bytes (limit 51200)`);
}

const dnsName = (dns: DnsPlan) => (dns.kind === 'LoadBalancer' ? undefined : dns.name);

/** Validates everything, runs the read-only preflight, then creates the cluster and follows it to the end. */
export async function runCreate(ctx: CliContext, opts: CreateOptions): Promise<void> {
  const raw = await mergeConfig(opts.config, { ...opts, config: undefined });
  const regionOption = opts.region ?? (typeof raw.region === 'string' ? raw.region : undefined);
  const { region } = await resolveRegion(ctx, { ...opts, region: regionOption });
  let session: Awaited<ReturnType<typeof openAws>> | undefined;
  const open = async () => (session ??= await openAws(ctx, { ...opts, region: regionOption })).aws;

  // Offline checks first; only a well-formed version outside the releases needs a read-only look-up.
  const offline = resolveSettings(raw, region, [...RELEASED_KMS_VERSIONS, String(raw.version ?? '')]);
  if (!offline.ok) throw usage(offline.problems);
  const timeoutMs = parseTimeout(raw.timeout ?? DEFAULT_TIMEOUT);
  const { versions, imageId } = await ownImageFor(raw.version, open);
  const resolved = resolveSettings(raw, region, versions);
  if (!resolved.ok) throw usage(resolved.problems);
  const s = resolved.value;
  for (const w of resolved.warnings ?? []) warn(ctx.io, `--${w.flag}: ${w.message}`);
  warnings(ctx, s);

  let certificate: CertificateInfo | undefined;
  if (s.tls.kind === 'files') certificate = await readCertificateFiles(ctx, s.tls);
  const names: CertificateNames = certificate ? { kind: 'files', names: certificate.names } : s.tls.kind === 'acm' ? { kind: 'acm', arn: s.tls.arn } : { kind: 'none' };
  const toolVersion = TOOL_VERSION;

  if (opts['dry-run']) {
    const problems: Problem[] = [];
    const needsLookup = s.hostedZoneId !== undefined || s.tls.kind === 'acm';
    const dns = await planClusterDns(needsLookup ? await open() : undefined, s, names, problems);
    if (problems.length > 0) throw usage(problems);
    const certificateArn = s.tls.kind === 'acm' ? s.tls.arn : certificate ? `arn:aws:acm:${region}:ACCOUNT:certificate/(imported at create time)` : undefined;
    const name = dnsName(dns);
    const rendered = renderCluster(s, { toolVersion, secretArn: DRY_RUN_SECRET_ARN, runtime: await currentRuntime(ctx), ...(certificateArn ? { certificateArn } : {}), ...(name ? { dnsName: name } : {}), ...(imageId ? { ownImageId: imageId } : {}) });
    return printDryRun(ctx, opts, s, rendered);
  }

  const aws = await open();
  note(ctx.io, session?.identity ?? '');
  const facts = await preflight(aws, s, names);
  // The nodes fetch their runtime from the bucket at boot: both must exist before the stack.
  const runtime = await currentRuntime(ctx);
  await stageNodeRuntime(ctx, aws, { cluster: s.stackName, bucket: s.bucketName, region, createBucket: facts.createBucket, callerArn: session?.callerArn ?? '', runtime });

  // Made outside the stack, just before it: the secret (values never pass through parameters) and the
  // imported certificate (its key goes to ACM and nowhere else).
  const tags = { 'elasticrtc:cluster': s.stackName };
  const secretArn = await (await aws.secrets()).put(secretName(s.stackName), await clusterSecretValue(s, new Date(ctx.clock.now())), tags);
  let importedArn: string | undefined;
  const stacks = await aws.stacks();
  const token = `elasticrtc-create-${ctx.randomHex(12)}`;
  let created: { stackId: string; total: number; labels: Record<string, string> };
  try {
    if (certificate) importedArn = await (await aws.certificates()).import({ certificate: certificate.certificatePem, chain: certificate.chainPem, privateKey: certificate.privateKeyPem }, tags);
    const certificateArn = s.tls.kind === 'acm' ? s.tls.arn : importedArn;
    const name = dnsName(facts.dns);
    const rendered = renderCluster(s, {
      toolVersion,
      secretArn,
      runtime,
      ...(certificateArn ? { certificateArn } : {}),
      ...(name ? { dnsName: name } : {}),
      ...(imageId ? { ownImageId: imageId } : {}),
      ...(facts.zones ? { zones: facts.zones } : {}),
    });
    const stackId = await stacks.create({
      name: s.stackName,
      templateBody: rendered.templateBody,
      parameters: rendered.parameters,
      tags: rendered.tags,
      token,
      timeoutMinutes: Math.ceil(timeoutMs / 60_000),
        terminationProtection: opts['termination-protection'] === true || ['true', true].includes(raw['termination-protection'] as string | boolean),
    });
    created = { stackId, total: activeResourceCount(rendered.template, rendered.parameters), labels: resourceLabels(rendered.template) };
  } catch (error) {
    await removeClusterExtras(aws, ctx.io, s.stackName, importedArn ? [importedArn] : []);
    throw error;
  }
  const { stackId, total, labels } = created;
  const bucketKept = `the bucket ${s.bucketName} stays, with the node runtime in it`;
  const started = ctx.clock.now();
  const format = outputFormat(opts);
  if (!opts.wait) {
    note(ctx.io, `creating cluster ${s.stackName}; follow it with: ${followCommand(s.stackName, region)}`);
    return printResult(ctx.io, format, { name: s.stackName, region, stackId, status: 'CREATE_IN_PROGRESS' }, (d) => `${d.stackId}\t${d.status}`);
  }

  const spec = {
    stacks,
    stackId,
    stackName: s.stackName,
    region,
    kind: 'create' as const,
    cursor: { token, since: started, seen: new Set<string>() },
    labels,
    total,
    timeoutMs,
    cancel: {
      label: `cancel: stop the creation and delete the new stack ${s.stackName}`,
      run: async (): Promise<never> => {
        const deleteToken = `elasticrtc-delete-${ctx.randomHex(12)}`;
        await stacks.delete(stackId, deleteToken);
        const deletion = await followOperation(ctx, { ...spec, kind: 'delete', cursor: { token: deleteToken, since: ctx.clock.now(), seen: new Set() }, cancel: undefined });
        if (deletion.outcome !== 'succeeded') throw operationFailure(deletion, { ...spec, kind: 'delete' }, `run "elasticrtc delete --stack-name ${s.stackName} --region ${region}" to finish`);
        await removeClusterExtras(aws, ctx.io, s.stackName, importedArn ? [importedArn] : []);
        throw new InterruptedError(`creation of ${s.stackName} cancelled: its stack was deleted; ${bucketKept}`, ExitCode.Interrupted);
      },
    },
  };
  const result = await followOperation(ctx, spec);
  if (result.outcome !== 'succeeded') {
    // Nothing runs any more: the secret and the imported certificate go too.
    if (result.outcome === 'rolled-back') await removeClusterExtras(aws, ctx.io, s.stackName, importedArn ? [importedArn] : []);
    throw operationFailure(
      result,
      spec,
      result.outcome === 'rolled-back'
        ? `nothing is left running (${bucketKept}); remove the rolled-back stack with "elasticrtc delete --stack-name ${s.stackName} --region ${region}" before reusing the name`
        : `some resources could not be removed; see the events above, then run "elasticrtc delete --stack-name ${s.stackName} --region ${region}"`,
      RESOURCE_FLAGS,
    );
  }
  const stack = await stacks.describe(stackId);
  if (!stack) throw new UsageError('StackVanished', `stack ${s.stackName} disappeared after its creation`);
  const report = await gatherReport(aws, stack);
  note(ctx.io, `cluster ${s.stackName} is ready; its api key and inspector password are in the secret ${secretName(s.stackName)}: aws secretsmanager get-secret-value --secret-id ${secretName(s.stackName)} --region ${region} --query SecretString --output text`);
  await printResult(ctx.io, format, report, renderReport);
}
