/**
 * Credentials before any change: where the SDK will take them from (told without AWS), who the tool
 * acts as (checked with STS), and what to do when that fails: a login, other keys, or, when none exist
 * at all and someone is at the terminal, typing them in (prompt.ts). Key values never reach any
 * output: only their masked form (`****************WXYZ`).
 */
import type { AwsTarget } from '../../aws/config.js';
import { isAwsFailure, type AwsFailure } from '../../aws/errors.js';
import type { CliContext } from '../context.js';
import { CredentialsError } from '../errors.js';
import { isExpired, missingError, nothingFound } from './failures.js';
import { credentialsFilePath, isSsoProfile, readText } from './files.js';
import { profileKeyId } from './profile-file.js';
import { askForKeys } from './prompt.js';
import { maskSecret } from './session.js';

/** The checked identity, and the target to use from now on. */
export interface ResolvedIdentity {
  target: AwsTarget;
  account: string;
  arn: string;
  /** Where the credentials come from, e.g. `profile work (AWS_PROFILE)`, `keys from --aws-access-key-id`. */
  profileLine: string;
}

/** Where the SDK will take credentials from, derived without any AWS call. */
type Source =
  | { kind: 'flags'; keyId: string; label: string }
  | { kind: 'profile'; name: string; via: '--profile' | 'AWS_PROFILE' }
  | { kind: 'env'; keyId: string }
  | { kind: 'container'; variable: string }
  | { kind: 'default' };

/**
 * Follows the SDK's order: keys given to the client, then a named profile (`--profile`, else
 * `AWS_PROFILE`, which the SDK prefers to environment keys), then `AWS_ACCESS_KEY_ID` with
 * `AWS_SECRET_ACCESS_KEY`, then a container role, else the default profile. An EC2 instance role or SSO
 * behind the default profile still shows as "profile default": telling them apart needs more calls.
 */
function credentialSource(ctx: CliContext, target: AwsTarget, o: EnsureOptions): Source {
  if (target.credentials) return { kind: 'flags', keyId: target.credentials.accessKeyId, label: o.keyFlag === false ? 'keys given to elasticrtc' : 'keys from --aws-access-key-id' };
  const named = o.profile ?? target.profile;
  if (named) return { kind: 'profile', name: named, via: '--profile' };
  if (ctx.env.AWS_PROFILE) return { kind: 'profile', name: ctx.env.AWS_PROFILE, via: 'AWS_PROFILE' };
  if (ctx.env.AWS_ACCESS_KEY_ID && ctx.env.AWS_SECRET_ACCESS_KEY) return { kind: 'env', keyId: ctx.env.AWS_ACCESS_KEY_ID };
  const variable = ['AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'].find((v) => ctx.env[v]);
  return variable ? { kind: 'container', variable } : { kind: 'default' };
}

function describe(source: Source): string {
  switch (source.kind) {
    case 'flags':
      return source.label;
    case 'profile':
      return `profile ${source.name} (${source.via})`;
    case 'env':
      return 'environment keys (AWS_ACCESS_KEY_ID)';
    case 'container':
      return `container role (${source.variable})`;
    case 'default':
      return 'profile default';
  }
}

/** The key id behind a source, masked, when it can be known without AWS; '' when it cannot. */
async function maskedKey(ctx: CliContext, source: Source): Promise<string> {
  if (source.kind === 'flags' || source.kind === 'env') return ` ${maskSecret(source.keyId)}`;
  if (source.kind !== 'profile' && source.kind !== 'default') return '';
  const text = await readText(credentialsFilePath(ctx.env)).catch(() => '');
  const id = profileKeyId(text, source.kind === 'profile' ? source.name : 'default');
  return id ? ` ${maskSecret(id)}` : '';
}

/** The SSO profile behind a source whose credentials were not found: it needs `aws sso login`, not `aws configure`. */
async function ssoProfileOf(ctx: CliContext, source: Source, e: AwsFailure): Promise<string | undefined> {
  if (source.kind !== 'profile' && source.kind !== 'default') return undefined;
  const name = source.kind === 'profile' ? source.name : 'default';
  return /\bsso\b/i.test(e.message) || (await isSsoProfile(ctx.env, name)) ? name : undefined;
}

/** A credentials failure of the chosen source, as the error to show (never prompting). */
async function sourceError(ctx: CliContext, source: Source, e: AwsFailure): Promise<CredentialsError> {
  const what = describe(source);
  const key = await maskedKey(ctx, source);
  if (isExpired(e)) {
    const refresh =
      source.kind === 'profile' || source.kind === 'default'
        ? `run "aws sso login${source.kind === 'profile' ? ` --profile ${source.name}` : ''}", or put new temporary keys in the profile`
        : `get new temporary keys (with their session token${source.kind === 'flags' ? ', --aws-session-token' : ', AWS_SESSION_TOKEN'}) and run the command again`;
    return new CredentialsError(e.code, `the AWS session of ${what}${key ? ` (key${key})` : ''} has expired: temporary credentials last only hours`, refresh, { cause: e });
  }
  const sso = nothingFound(e) ? await ssoProfileOf(ctx, source, e) : undefined;
  if (sso !== undefined) {
    const login = `aws sso login${source.kind === 'profile' ? ` --profile ${sso}` : ''}`;
    return new CredentialsError('SsoLoginRequired', `${what} signs in with AWS IAM Identity Center (SSO) and has no valid SSO session: it was never logged in, or the login has ended`, `run "${login}", then run the command again`, { cause: e });
  }
  if (nothingFound(e) && source.kind === 'profile') {
    return new CredentialsError('MissingCredentials', `${what} gave no credentials: it is missing from the AWS config and credentials files or incomplete`, `run "aws configure --profile ${source.name}" or "aws configure sso --profile ${source.name}", or choose another profile`, { cause: e });
  }
  if (nothingFound(e)) return missingError(ctx, e);
  return new CredentialsError(
    e.code,
    `AWS rejected the access key${key} (${what}): ${e.code}, the key is deleted or inactive, or its secret key does not match`,
    'check the key in the IAM console (the user\'s "Security credentials" tab), or use other credentials',
    { cause: e },
  );
}

/** What the command knows about where its credentials come from. */
export interface EnsureOptions {
  /** `--profile`, when given (else `target.profile`). */
  profile?: string | undefined;
  /** Whether `target.credentials` came from `--aws-access-key-id` (the default when they are set). */
  keyFlag?: boolean;
}

/**
 * Checks the credentials with STS before any change; prompts for keys only when none are found and
 * someone can answer. Rejected or expired keys, or a named profile without keys, are a
 * {@link CredentialsError} (exit 4) and never a prompt.
 */
export async function ensureCredentials(ctx: CliContext, target: AwsTarget, o: EnsureOptions = {}): Promise<ResolvedIdentity> {
  const source = credentialSource(ctx, target, o);
  try {
    const who = await (await ctx.aws(target).identity()).whoAmI();
    return { target, account: who.account, arn: who.arn, profileLine: describe(source) };
  } catch (error) {
    if (!isAwsFailure(error) || error.kind !== 'credentials') throw error;
    // An SSO default profile is not a missing one: it needs a login, never typed keys.
    const canAsk = nothingFound(error) && !isExpired(error) && (source.kind === 'default' || source.kind === 'container') && (await ssoProfileOf(ctx, source, error)) === undefined;
    if (!canAsk) throw await sourceError(ctx, source, error);
    if (!ctx.io.canPrompt) throw missingError(ctx, error);
    return askForKeys(ctx, target);
  }
}

/** The identity line printed before any change: `deploying as <source> / account ********9012 / region eu-west-1 (from --region)`. */
export function identityLine(id: ResolvedIdentity, regionSource: string): string {
  return `deploying as ${id.profileLine} / account ${maskSecret(id.account)} / region ${id.target.region} (from ${regionSource})`;
}

