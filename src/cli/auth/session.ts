import type { AwsClients, AwsTarget } from '../../aws/clients.js';
import { isRegionName } from '../../cluster/naming.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import type { GlobalOptions } from '../global-options.js';

/** Where the region came from, for the identity line. */
export type RegionSource = '--region' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile';

/**
 * The region: `--region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the profile's region.
 * Never a silent default: no region is a usage error naming what to set.
 */
export async function resolveRegion(ctx: CliContext, o: GlobalOptions): Promise<{ region: string; source: RegionSource }> {
  const check = (region: string, source: RegionSource) => {
    if (!isRegionName(region)) {
      throw new UsageError('InvalidRegion', `${source === '--region' ? '--region' : source} ${region}: expected an AWS region name such as eu-west-1`);
    }
    return { region, source };
  };
  if (o.region !== undefined) return check(o.region, '--region');
  if (ctx.env.AWS_REGION) return check(ctx.env.AWS_REGION, 'AWS_REGION');
  if (ctx.env.AWS_DEFAULT_REGION) return check(ctx.env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION');
  const profile = o.profile ?? ctx.env.AWS_PROFILE ?? 'default';
  const { profileRegion } = await import('../../aws/sdk.js');
  const fromProfile = await profileRegion(profile, ctx.env).catch(() => undefined);
  if (fromProfile) return check(fromProfile, 'profile');
  throw new UsageError(
    'MissingRegion',
    'no AWS region given: elasticrtc never picks one for you',
    'pass --region (e.g. --region eu-west-1), set AWS_REGION, or set a region in your AWS profile',
  );
}

/** Checks the credential flags: a key id needs its secret and the other way round. */
export function credentialFlags(o: GlobalOptions): AwsTarget['credentials'] {
  const id = o['aws-access-key-id'];
  const secret = o['aws-secret-access-key'];
  if (id === undefined && secret === undefined) {
    if (o['aws-session-token'] !== undefined) {
      throw new UsageError('MissingCredentialFlag', '--aws-session-token needs --aws-access-key-id and --aws-secret-access-key');
    }
    return undefined;
  }
  if (!id) throw new UsageError('MissingCredentialFlag', '--aws-secret-access-key needs --aws-access-key-id');
  if (!secret) throw new UsageError('MissingCredentialFlag', `--aws-access-key-id ${maskSecret(id)} needs --aws-secret-access-key`);
  return { accessKeyId: id, secretAccessKey: secret, ...(o['aws-session-token'] ? { sessionToken: o['aws-session-token'] } : {}) };
}

/** Shows only the last four characters of a secret: `****************WXYZ`. */
export function maskSecret(value: string): string {
  return value.length <= 4 ? '****' : `${'*'.repeat(Math.min(16, value.length - 4))}${value.slice(-4)}`;
}

/**
 * The AWS clients for a command: region, credentials and debug logging resolved from the global options.
 * `identity` is the line shown before any change; `callerArn` the ARN STS gave (its partition names ARNs).
 */
export async function openAws(ctx: CliContext, o: GlobalOptions): Promise<{ aws: AwsClients; region: string; source: RegionSource; identity: string; callerArn: string }> {
  const opened = await openAwsUnchecked(ctx, o);
  // Credentials are checked with STS first (and asked for, when none are found and someone can answer).
  const { ensureCredentials, identityLine } = await import('./credentials.js');
  const id = await ensureCredentials(ctx, opened.aws.target, { profile: o.profile, keyFlag: o['aws-access-key-id'] !== undefined });
  const aws = id.target === opened.aws.target ? opened.aws : ctx.aws(id.target);
  TARGETS.set(ctx, { account: id.account, region: opened.region });
  return { ...opened, aws, identity: identityLine(id, opened.source), callerArn: id.arn };
}

/** The account and region the last {@link openAws} of a command acts in, for its confirmations. */
const TARGETS = new WeakMap<CliContext, { account: string; region: string }>();

/**
 * Where a confirmation acts, for its question: `in account 123456789012, eu-west-1` (the account in full:
 * people confirm it). Empty before {@link openAws} checked the credentials.
 */
export function actingIn(ctx: CliContext): string {
  const t = TARGETS.get(ctx);
  return t ? `in account ${t.account}, ${t.region}` : '';
}

async function openAwsUnchecked(ctx: CliContext, o: GlobalOptions): Promise<{ aws: AwsClients; region: string; source: RegionSource }> {
  const credentials = credentialFlags(o);
  const { region, source } = await resolveRegion(ctx, o);
  const debug = o.debug ? (line: string) => ctx.io.err.write(`debug: ${line}\n`) : undefined;
  const target: AwsTarget = {
    region,
    env: ctx.env,
    now: () => ctx.clock.now(),
    ...(o.profile !== undefined ? { profile: o.profile } : {}),
    ...(credentials ? { credentials } : {}),
    ...(debug ? { debug } : {}),
  };
  return { aws: ctx.aws(target), region, source };
}
