import type { AwsClients } from '../../aws/clients.js';
import type { CliContext } from '../../cli/context.js';
import { parseTimeout } from '../../cli/duration.js';
import { InterruptedError, ExitCode, UsageError } from '../../cli/errors.js';
import { outputFormat } from '../../cli/global-options.js';
import { note, printResult, warn } from '../../cli/output.js';
import { maskSecret, openAws, resolveRegion } from '../../cli/session.js';
import { describeProblem } from '../../cluster/problems.js';
import { type RenderedStack, renderCluster, resourceLabels } from '../../cluster/render.js';
import { renderReport } from '../../cluster/report.js';
import { settingsToFlags } from '../../cluster/settings-file.js';
import { type ClusterSettings, OPEN_TO_WORLD, resolveSettings } from '../../cluster/settings.js';
import { KMS_VERSION_TAG, RELEASED_KMS_VERSIONS } from '../../cluster/versions.js';
import { TOOL_VERSION } from '../../version.js';
import { gatherReport, isCluster } from '../shared/cluster.js';
import { followCommand, followOperation, operationFailure } from '../shared/operation.js';
import type { CreateOptions } from './command.js';

/** Which flag produced a resource, to name it when that resource fails. */
const RESOURCE_FLAGS: Readonly<Record<string, string>> = {
  NodeLaunchTemplate: '--aws-instance-type / --aws-key-name',
  NodeGroup: '--aws-instance-type / --version / --desired-capacity',
  LoadBalancerSecurityGroup: '--api-origin',
  NodeSecurityGroup: '--control-origin',
};

/** A version that is not an official release may be one of the user's own images: a read-only look-up. */
async function ownImageFor(version: string | undefined, open: () => Promise<AwsClients>): Promise<{ versions: string[]; imageId?: string }> {
  const released: string[] = [...RELEASED_KMS_VERSIONS];
  if (version === undefined || released.includes(version)) return { versions: released };
  const images = await (await (await open()).compute()).ownImages(KMS_VERSION_TAG);
  const match = images.find((i) => i.version === version);
  return { versions: [...released, ...images.map((i) => i.version)], ...(match ? { imageId: match.imageId } : {}) };
}

function validate(opts: CreateOptions, region: string, versions: readonly string[]): ClusterSettings {
  const resolved = resolveSettings(opts, region, versions);
  if (resolved.ok) return resolved.value;
  const [first, ...rest] = resolved.problems.map(describeProblem);
  throw new UsageError('InvalidSettings', rest.length === 0 ? (first ?? 'invalid settings') : `${resolved.problems.length} invalid settings:\n  ${[first, ...rest].join('\n  ')}`, 'run "elasticrtc create --help" for every flag and its format');
}

function warnings(ctx: CliContext, s: ClusterSettings): void {
  if (s.apiOrigin.includes(OPEN_TO_WORLD)) warn(ctx.io, 'the Kurento API is open to the whole internet (--api-origin 0.0.0.0/0); restrict it with --api-origin');
  if (s.keyName !== undefined && s.controlOrigin.includes(OPEN_TO_WORLD)) warn(ctx.io, 'SSH is open to the whole internet (--control-origin 0.0.0.0/0); restrict it with --control-origin');
}

async function printDryRun(ctx: CliContext, opts: CreateOptions, s: ClusterSettings, r: RenderedStack): Promise<void> {
  const format = outputFormat(opts);
  if (format === 'json') return printResult(ctx.io, 'json', { settings: settingsToFlags(s), template: r.template, parameters: r.parameters, tags: r.tags }, () => '');
  if (format === 'yaml') return printResult(ctx.io, 'yaml', settingsToFlags(s), () => '');
  // The template exactly as CloudFormation receives it, indented for reading.
  ctx.io.out.write(`${JSON.stringify(r.template, null, 2)}\n`);
  const lines = Object.entries(r.parameters).map(([k, v]) => `  ${k}=${v}`);
  note(ctx.io, `dry run: nothing was created. Parameters:\n${lines.join('\n')}\nTags: ${Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(', ')}\nTemplate: ${r.templateBody.length} bytes (limit 51200)`);
}

/** Validates everything, then creates the cluster's stack, follows it to the end and prints the report. */
export async function runCreate(ctx: CliContext, opts: CreateOptions): Promise<void> {
  const { region, source } = await resolveRegion(ctx, opts);
  let session: Awaited<ReturnType<typeof openAws>> | undefined;
  const open = async () => (session ??= await openAws(ctx, opts)).aws;

  // Offline checks first: a version outside the releases may need a read-only image look-up.
  const preliminary = resolveSettings(opts, region, [...RELEASED_KMS_VERSIONS, opts.version ?? '']);
  if (!preliminary.ok) validate(opts, region, RELEASED_KMS_VERSIONS);
  const timeoutMs = parseTimeout(opts.timeout);
  const { versions, imageId } = await ownImageFor(opts.version, open);
  const settings = validate(opts, region, versions);
  const rendered = renderCluster(settings, TOOL_VERSION, imageId);
  warnings(ctx, settings);
  if (opts['dry-run']) return printDryRun(ctx, opts, settings, rendered);

  const aws = await open();
  const identity = await (await aws.identity()).whoAmI();
  const profile = opts['aws-access-key-id'] ? 'keys from flags' : `profile ${opts.profile ?? ctx.env.AWS_PROFILE ?? 'default'}`;
  note(ctx.io, `deploying as ${profile} / account ${maskSecret(identity.account)} / region ${region} (from ${source})`);

  const stacks = await aws.stacks();
  const existing = await stacks.describe(settings.stackName);
  if (existing && existing.status !== 'DELETE_COMPLETE') {
    throw new UsageError(
      'StackExists',
      `a stack named ${settings.stackName} already exists in ${region} (${existing.status}); nothing was created`,
      isCluster(existing) ? `see it with "elasticrtc show --stack-name ${settings.stackName}", or choose another --stack-name` : 'choose another --stack-name',
    );
  }

  const token = `elasticrtc-create-${ctx.randomHex(12)}`;
  const started = ctx.clock.now();
  const stackId = await stacks.create({
    name: settings.stackName,
    templateBody: rendered.templateBody,
    parameters: rendered.parameters,
    tags: rendered.tags,
    token,
    timeoutMinutes: Math.ceil(timeoutMs / 60_000),
    terminationProtection: opts['termination-protection'] === true,
  });
  const format = outputFormat(opts);
  if (!opts.wait) {
    note(ctx.io, `creating cluster ${settings.stackName}; follow it with: ${followCommand(settings.stackName, region)}`);
    return printResult(ctx.io, format, { name: settings.stackName, region, stackId, status: 'CREATE_IN_PROGRESS' }, (d) => `${d.stackId}\t${d.status}`);
  }

  const labels = resourceLabels(rendered.template);
  const spec = {
    stacks,
    stackId,
    stackName: settings.stackName,
    region,
    kind: 'create' as const,
    cursor: { token, since: started, seen: new Set<string>() },
    labels,
    total: Object.keys(rendered.template.Resources).length,
    timeoutMs,
    cancel: {
      label: `cancel: stop the creation and delete the new stack ${settings.stackName}`,
      run: async (): Promise<never> => {
        const deleteToken = `elasticrtc-delete-${ctx.randomHex(12)}`;
        await stacks.delete(stackId, deleteToken);
        const deletion = await followOperation(ctx, { ...spec, kind: 'delete', cursor: { token: deleteToken, since: ctx.clock.now(), seen: new Set() }, cancel: undefined });
        if (deletion.outcome !== 'succeeded') throw operationFailure(deletion, { ...spec, kind: 'delete' }, `run "elasticrtc delete --stack-name ${settings.stackName} --region ${region}" to finish`);
        throw new InterruptedError(`creation of ${settings.stackName} cancelled: its stack was deleted`, ExitCode.Interrupted);
      },
    },
  };
  const result = await followOperation(ctx, spec);
  if (result.outcome !== 'succeeded') {
    throw operationFailure(result, spec, result.outcome === 'rolled-back'
      ? `nothing is left running; remove the rolled-back stack with "elasticrtc delete --stack-name ${settings.stackName} --region ${region}" before reusing the name`
      : `some resources could not be removed; see the events above, then run "elasticrtc delete --stack-name ${settings.stackName} --region ${region}"`, RESOURCE_FLAGS);
  }
  const stack = await stacks.describe(stackId);
  if (!stack) throw new UsageError('StackVanished', `stack ${settings.stackName} disappeared after its creation`);
  const report = await gatherReport(aws, stack);
  note(ctx.io, `cluster ${settings.stackName} is ready`);
  await printResult(ctx.io, format, report, renderReport);
}
