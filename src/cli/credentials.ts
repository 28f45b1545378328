/**
 * Credentials before any change: who the tool acts as, checked with STS; and, when no keys exist at all
 * and someone is at the terminal, typing them in and saving them as a profile. Key values never reach
 * any output: only their masked form (`****************WXYZ`).
 */
import { chmod, mkdir, readFile, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { AwsTarget } from '../aws/config.js';
import { isAwsFailure, type AwsFailure } from '../aws/errors.js';
import type { CliContext } from './context.js';
import { checkProfileName, hasProfile, profileKeyId, upsertProfile, type ProfileKeys } from './credentials-file.js';
import { CredentialsError } from './errors.js';
import { note, warn } from './output.js';
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

/** The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE` (a leading `~` expanded), else `~/.aws/credentials`. */
export function credentialsFilePath(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const file = env.AWS_SHARED_CREDENTIALS_FILE;
  if (!file) return join(home, '.aws', 'credentials');
  return /^~(?=$|[\\/])/.test(file) ? join(home, file.slice(1)) : file;
}

/** The path for messages, with the home folder shown as `~`. */
function shown(file: string, env: Readonly<Record<string, string | undefined>>): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  return file.startsWith(`${home}/`) || file.startsWith(`${home}\\`) ? `~${file.slice(home.length)}` : file;
}

const readText = (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });

/** The key id behind a source, masked, when it can be known without AWS; '' when it cannot. */
async function maskedKey(ctx: CliContext, source: Source): Promise<string> {
  if (source.kind === 'flags' || source.kind === 'env') return ` ${maskSecret(source.keyId)}`;
  if (source.kind !== 'profile' && source.kind !== 'default') return '';
  const text = await readText(credentialsFilePath(ctx.env)).catch(() => '');
  const id = profileKeyId(text, source.kind === 'profile' ? source.name : 'default');
  return id ? ` ${maskSecret(id)}` : '';
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
const isExpired = (e: AwsFailure): boolean => EXPIRED.has(e.code) || /\bexpired\b/i.test(e.message);
const nothingFound = (e: AwsFailure): boolean => e.code === 'CredentialsProviderError' || /could not load credentials/i.test(e.message);

/** The AWS config file: `AWS_CONFIG_FILE` (a leading `~` expanded), else `~/.aws/config`. */
function configFilePath(env: Readonly<Record<string, string | undefined>>): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const file = env.AWS_CONFIG_FILE;
  if (!file) return join(home, '.aws', 'config');
  return /^~(?=$|[\\/])/.test(file) ? join(home, file.slice(1)) : file;
}

/** Whether the profile signs in with IAM Identity Center: `sso_session` or `sso_start_url` in its config section. */
async function isSsoProfile(ctx: CliContext, name: string): Promise<boolean> {
  const text = await readText(configFilePath(ctx.env)).catch(() => '');
  let inProfile = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const header = (section[1] ?? '').replace(/\s+/g, ' ');
      inProfile = header === `profile ${name}` || (name === 'default' && header === 'default');
      continue;
    }
    if (inProfile && /^sso_(session|start_url)\s*=/.test(line)) return true;
  }
  return false;
}

/** The SSO profile behind a source whose credentials were not found: it needs `aws sso login`, not `aws configure`. */
async function ssoProfileOf(ctx: CliContext, source: Source, e: AwsFailure): Promise<string | undefined> {
  if (source.kind !== 'profile' && source.kind !== 'default') return undefined;
  const name = source.kind === 'profile' ? source.name : 'default';
  return /\bsso\b/i.test(e.message) || (await isSsoProfile(ctx, name)) ? name : undefined;
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

function missingError(ctx: CliContext, cause?: unknown): CredentialsError {
  const half = ctx.env.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : ctx.env.AWS_SECRET_ACCESS_KEY ? 'AWS_ACCESS_KEY_ID' : undefined;
  const why = half ? `${half} is not set, so the environment keys are incomplete` : 'none in flags, environment, profiles or instance metadata, and no one can type them here';
  return new CredentialsError(
    'MissingCredentials',
    `no AWS credentials found: ${why}`,
    'pass --aws-access-key-id and --aws-secret-access-key, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile with --profile or AWS_PROFILE, or run "aws sso login"; "elasticrtc iam-policy" prints the permissions the keys need',
    cause === undefined ? undefined : { cause },
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

const EXPLANATION = `No AWS credentials were found.
elasticrtc acts in your AWS account as an IAM identity, and looks for its keys in this order:
  --aws-access-key-id and --aws-secret-access-key
  --profile NAME or AWS_PROFILE=NAME: a profile made with "aws configure" (or "aws configure sso",
    then "aws sso login")
  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment
  the default profile in ~/.aws/credentials and ~/.aws/config
No keys yet? In the IAM console, create a user, attach the policy printed by "elasticrtc iam-policy",
and create an access key for it (the user's "Security credentials" tab).
You can type the keys now; the secret key is masked as you type.
`;

const checkKeyId = (v: string): true | string =>
  /^(AKIA|ASIA)[A-Z0-9]{16}$/.test(v) ? true : 'access key id: expected 20 capital letters and digits starting with AKIA (ASIA for temporary keys)';

async function askKeyId(ctx: CliContext): Promise<string> {
  for (;;) {
    const value = (await ctx.prompter.input('AWS access key id:', { validate: (v) => checkKeyId(v.trim()) })).trim();
    const check = checkKeyId(value);
    if (check === true) return value;
    note(ctx.io, check); // never echoes the value: it may be a secret pasted in the wrong place
  }
}

async function askHidden(ctx: CliContext, message: string, what: string): Promise<string> {
  for (;;) {
    const value = (await ctx.prompter.password(message)).trim();
    if (value !== '' && !/\s/.test(value)) return value;
    note(ctx.io, `${what}: it cannot be empty or contain spaces`);
  }
}

/** Asks for keys, checks them with STS, and offers to save them. */
async function askForKeys(ctx: CliContext, target: AwsTarget): Promise<ResolvedIdentity> {
  ctx.io.err.write(EXPLANATION);
  const accessKeyId = await askKeyId(ctx);
  const secretAccessKey = await askHidden(ctx, 'AWS secret access key:', 'secret access key');
  const sessionToken = accessKeyId.startsWith('ASIA') ? await askHidden(ctx, 'AWS session token (temporary keys need one):', 'session token') : undefined;
  const keys: NonNullable<AwsTarget['credentials']> = { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
  const typed: AwsTarget = { ...target, credentials: keys };
  const who = await (await ctx.aws(typed).identity()).whoAmI().catch((error: unknown) => {
    if (!isAwsFailure(error) || error.kind !== 'credentials') throw error;
    const why = isExpired(error) ? 'the temporary keys have expired' : 'the key does not exist or is inactive, or the secret key does not match';
    throw new CredentialsError(error.code, `STS rejected the access key ${maskSecret(accessKeyId)} (${error.code}): ${why}`, 'check the key in the IAM console (the user\'s "Security credentials" tab) and run the command again', { cause: error });
  });
  note(ctx.io, `the keys belong to account ${maskSecret(who.account)}`);
  const saved = await offerToSave(ctx, keys);
  return { target: typed, account: who.account, arn: who.arn, profileLine: saved ? `keys typed at the prompt (saved as profile ${saved})` : 'keys typed at the prompt' };
}

/** Offers to save the keys as a profile; returns its name, or undefined when not saved. */
async function offerToSave(ctx: CliContext, keys: ProfileKeys): Promise<string | undefined> {
  const file = credentialsFilePath(ctx.env);
  const where = shown(file, ctx.env);
  if (!(await ctx.prompter.confirm(`Save these keys as a profile in ${where}?`, true))) return undefined;
  const existing = await readText(file).catch(() => '');
  let name: string;
  for (;;) {
    name = (await ctx.prompter.input('Profile name (Enter for elasticrtc):', { validate: (v) => (v.trim() === '' ? true : checkProfileName(v.trim())) })).trim() || 'elasticrtc';
    const check = checkProfileName(name);
    if (check !== true) {
      note(ctx.io, check);
      continue;
    }
    if (!hasProfile(existing, name) || (await ctx.prompter.confirm(`Profile ${name} already exists in ${where}. Replace its keys?`, false))) break;
  }
  try {
    await writeProfile(ctx, file, name, keys);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    warn(ctx.io, `could not save profile ${name} in ${where}: ${why}; the keys are used for this run only`);
    return undefined;
  }
  const use = name === 'default' ? 'it is used whenever no other credentials are set' : `next time pass --profile ${name} or set AWS_PROFILE=${name}`;
  note(ctx.io, `saved profile ${name} in ${where} (readable only by you); ${use}`);
  return name;
}

/** Writes the profile through a private temporary file renamed over the original (through a symlink to its target). */
async function writeProfile(ctx: CliContext, file: string, name: string, keys: ProfileKeys): Promise<void> {
  const real = await realpath(file).catch(() => file);
  const dir = dirname(real);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const next = upsertProfile(await readText(real), name, keys);
  const temp = join(dir, `.${basename(real)}.${ctx.randomHex(6)}.tmp`);
  try {
    await writeFile(temp, next, { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600);
    await rename(temp, real);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
