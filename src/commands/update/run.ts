import type { CliContext } from '../../cli/context.js';
import { parseTimeout } from '../../cli/duration.js';
import { UsageError } from '../../cli/errors.js';
import { outputFormat } from '../../cli/global-options.js';
import { warn } from '../../cli/output.js';
import { openAws } from '../../cli/auth/session.js';
import { settingsOf } from '../../cluster/render.js';
import { FIXED_ON_UPDATE, SETTINGS } from '../../cluster/setting-table.js';
import { checkUpdateFlags, mergeUpdateSettings, settingChanges } from '../../cluster/update-settings.js';
import { KMS_VERSION_TAG } from '../../cluster/versions.js';
import { findCluster, requireStackName } from '../../deploy/cluster.js';
import { followCommand } from '../../deploy/operation.js';
import { deployCluster } from '../../deploy/pipeline.js';
import { invalidSettings, validateSettings } from '../../deploy/validate.js';
import { mergeConfig } from '../../cli/config-file.js';
import { DEFAULT_TIMEOUT } from '../shared/options.js';
import type { UpdateOptions } from './command.js';


/**
 * Updates a cluster: its current settings (kept in its template) with the changed flags on top, then the
 * deploy pipeline create uses, its submission a change set shown as a table and confirmed before it is
 * executed and followed to its end. No change ⇒ "up to date", exit 0; declined ⇒ the change set is
 * removed, exit 3. `--dry-run` shows the change set and deletes it: exit 0, no confirmation needed, and
 * nothing else written to AWS.
 */
export async function runUpdate(ctx: CliContext, opts: UpdateOptions): Promise<void> {
  const name = requireStackName(opts['stack-name']);
  const dryRun = opts['dry-run'] === true;
  const given = await mergeConfig(opts.config, { ...opts, config: undefined, 'stack-name': undefined, 'dry-run': undefined, wait: undefined, timeout: undefined, yes: undefined });
  const timeoutMs = parseTimeout(opts.timeout ?? DEFAULT_TIMEOUT);
  const flags = checkUpdateFlags(given);
  if (!flags.ok) throw invalidSettings(flags.problems, 'update');
  if (!dryRun && !opts.yes && !ctx.io.canPrompt) {
    throw new UsageError('ConfirmationRequired', `updating cluster ${name} needs a confirmation and nobody can answer here`, 'pass --yes to apply the update without asking, or --dry-run to only see the changes');
  }
  const { aws, region, identity, callerArn } = await openAws(ctx, { ...opts, region: opts.region ?? (typeof given.region === 'string' ? given.region : undefined) });
  const stacks = await aws.stacks();
  const stack = await findCluster(stacks, name, region);
  if (!/_COMPLETE$/.test(stack.status) || stack.status === 'ROLLBACK_COMPLETE') {
    throw new UsageError('NotUpdatable', `cluster ${name} is ${stack.status} and cannot be updated now`, stack.status.endsWith('_IN_PROGRESS') ? `wait for it: ${followCommand(name, region)}` : `delete it: elasticrtc delete --stack-name ${name}`);
  }
  const current = settingsOf(await stacks.template(stack.id));
  if (!current) throw new UsageError('UnknownSettings', `cluster ${name} was created by an elasticrtc too old to record its settings; it cannot be updated in place`);
  for (const [flag, why] of Object.entries(FIXED_ON_UPDATE)) {
    // A file printed by `create --dry-run -o yaml` repeats these unchanged: only a change is refused.
    if (given[flag] !== undefined && String(given[flag]).toLowerCase() !== String(current[flag] ?? '').toLowerCase()) {
      throw new UsageError('FixedSetting', `--${flag} cannot be changed by an update`, why);
    }
  }
  const withUrls = refuseArchiveChanges(current, given);
  if (withUrls.length > 0) warn(ctx.io, `${withUrls.join(' and ')}: the URLs are kept as created (in the cluster secret); an update does not apply the file’s`);
  const raw = { ...mergeUpdateSettings(current, given, stack.parameters.CertificateArn), 'stack-name': name };
  // What changes, and from where: a flag, the config file, or the value moving with others.
  const fromFlags = new Set(Object.keys(SETTINGS).filter((k) => (opts as Record<string, unknown>)[k] !== undefined));
  const changes = settingChanges(current, raw, (k) => (fromFlags.has(k) ? `--${k}` : given[k] !== undefined ? `${opts.config ?? 'the config file'}` : undefined));
  if (changes.length > 0) {
    const width = Math.max(...changes.map((c) => c.setting.length));
    const secret = (k: string) => (SETTINGS as Record<string, { secret?: boolean }>)[k]?.secret === true;
    ctx.io.err.write(`Settings that change:\n${changes.map((c) => `  ${c.setting.padEnd(width)}  ${secret(c.setting) ? '(not shown)' : `${c.from ?? '(none)'} → ${c.to}`}  (${c.source})`).join('\n')}\n`);
  }
  const validated = await validateSettings(ctx, 'update', raw, region, async () => (await aws.compute()).ownImages(KMS_VERSION_TAG));
  await deployCluster(ctx, { ...validated, target: { kind: 'update', stack, dryRun, yes: opts.yes === true }, session: { aws, region, identity, callerArn }, timeoutMs, wait: opts.wait !== false, format: outputFormat(opts) });
}

/**
 * The archive's streams and the cameras live in the cluster secret, written once at create: an update keeps
 * them and their apps. A file that repeats them (names and settings) is accepted; any URL in it is not
 * applied: the keys holding URLs are returned, for a warning.
 */
function refuseArchiveChanges(current: Record<string, unknown>, given: Record<string, unknown>): string[] {
  const list = (v: unknown) => (Array.isArray(v) ? v : [v]).map((x) => (x ?? {}) as Record<string, unknown>);
  const appsOf = (v: unknown) => String(v ?? '').split(',').map((x) => x.trim().toLowerCase());
  const fixed = [
    { key: 'streams', apps: ['audio-archive'], what: 'the audio archive’s streams', shape: (o: Record<string, unknown>) => [o.name, Number(o['segment-seconds'] ?? 300)] },
    { key: 'cameras', apps: ['kvs-relay', 'cameras'], what: 'the cameras', shape: (o: Record<string, unknown>) => [o.name, Number(o['retention-days'] ?? 7)] },
  ];
  const urls: string[] = [];
  for (const f of fixed) {
    const why = `${f.what} (their URLs are in the cluster secret) are set at create; create a new cluster to change them`;
    const shape = (v: unknown) => JSON.stringify(list(v).map(f.shape));
    if (given[f.key] !== undefined && shape(given[f.key]) !== shape(current[f.key] ?? [])) throw new UsageError('FixedSetting', `${f.key} cannot be changed by an update`, why);
    if (given['enable-app'] !== undefined) {
      for (const app of f.apps) {
        const had = appsOf(current['enable-app']).includes(app);
        if (appsOf(given['enable-app']).includes(app) !== had) throw new UsageError('FixedSetting', `--enable-app ${String(given['enable-app'])} cannot ${had ? 'remove' : 'add'} ${app} in an update`, why);
      }
    }
    if (given[f.key] !== undefined && list(given[f.key]).some((o) => o.url !== undefined)) urls.push(f.key);
  }
  return urls;
}
