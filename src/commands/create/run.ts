import type { AwsClients } from '../../aws/clients.js';
import type { CliContext } from '../../cli/context.js';
import { invalidSettings } from '../../deploy/validate.js';
import { parseTimeout } from '../../cli/duration.js';
import { outputFormat } from '../../cli/global-options.js';
import { note, printResult, warn } from '../../cli/output.js';
import { openAws, resolveRegion } from '../../cli/auth/session.js';
import { DRY_RUN_SECRET_ARN, type RenderedStack, renderCluster, templateSizeProblem } from '../../cluster/render.js';
import { settingsToFlags } from '../../cluster/settings-file.js';
import { type ClusterSettings, OPEN_TO_WORLD } from '../../cluster/settings.js';
import { KMS_VERSION_TAG } from '../../cluster/versions.js';
import { dryRunDnsName } from '../../deploy/dry-run.js';
import { currentRuntime } from '../../deploy/node-runtime.js';
import { deployCluster } from '../../deploy/pipeline.js';
import { validateSettings } from '../../deploy/validate.js';
import { certificateNames } from '../../deploy/preflight.js';
import { TOOL_VERSION } from '../../version.js';
import { DEFAULT_TIMEOUT } from '../shared/options.js';
import type { CreateOptions } from './command.js';
import { mergeConfig } from '../../cli/config-file.js';

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

/**
 * Validates everything, then either renders the template (`--dry-run`: read-only look-ups only where a
 * flag needs them and credentials allow) or runs the deploy pipeline: preflight, secret and certificate,
 * the stack created and followed to the end, the report.
 */
export async function runCreate(ctx: CliContext, opts: CreateOptions): Promise<void> {
  const raw = await mergeConfig(opts.config, { ...opts, config: undefined });
  const regionOption = opts.region ?? (typeof raw.region === 'string' ? raw.region : undefined);
  const { region } = await resolveRegion(ctx, { ...opts, region: regionOption });
  let session: Awaited<ReturnType<typeof openAws>> | undefined;
  const open = async () => (session ??= await openAws(ctx, { ...opts, region: regionOption }));
  const clients = async (): Promise<AwsClients> => (await open()).aws;

  const timeoutMs = parseTimeout(raw.timeout ?? DEFAULT_TIMEOUT);
  const validated = await validateSettings(ctx, 'create', raw, region, async () => (await (await clients()).compute()).ownImages(KMS_VERSION_TAG));
  const s = validated.settings;
  warnings(ctx, s);

  if (opts['dry-run']) {
    const dnsName = await dryRunDnsName(ctx, opts, s, certificateNames(s, validated.certificate), clients);
    const certificateArn = s.tls.kind === 'acm' ? s.tls.arn : validated.certificate ? `arn:aws:acm:${region}:ACCOUNT:certificate/(imported at create time)` : undefined;
    const rendered = renderCluster(s, { toolVersion: TOOL_VERSION, secretArn: DRY_RUN_SECRET_ARN, runtime: await currentRuntime(ctx), ...(certificateArn ? { certificateArn } : {}), ...(dnsName ? { dnsName } : {}), ...(validated.imageId ? { ownImageId: validated.imageId } : {}) });
    const tooLarge = templateSizeProblem(rendered);
    if (tooLarge) throw invalidSettings([tooLarge], 'create');
    return printDryRun(ctx, opts, s, rendered);
  }

  const { aws, identity, callerArn } = await open();
  const terminationProtection = opts['termination-protection'] === true || ['true', true].includes(raw['termination-protection'] as string | boolean);
  await deployCluster(ctx, { ...validated, target: { kind: 'create', terminationProtection }, session: { aws, region, identity, callerArn }, timeoutMs, wait: opts.wait !== false, format: outputFormat(opts) });
}
