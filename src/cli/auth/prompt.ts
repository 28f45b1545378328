/**
 * Typing keys at the terminal, when none are configured and someone can answer: checked with STS, then,
 * if wanted, saved as a profile. The secret key and session token are masked as they are typed.
 */
import type { AwsTarget } from '../../aws/config.js';
import { isAwsFailure } from '../../aws/errors.js';
import type { CliContext } from '../context.js';
import { CredentialsError } from '../errors.js';
import { note, warn } from '../output.js';
import type { ResolvedIdentity } from './credentials.js';
import { isExpired } from './failures.js';
import { credentialsFilePath, readText, shown, writeProfile } from './files.js';
import { checkProfileName, hasProfile, type ProfileKeys } from './profile-file.js';
import { maskSecret } from './session.js';

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
export async function askForKeys(ctx: CliContext, target: AwsTarget): Promise<ResolvedIdentity> {
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
    await writeProfile(file, name, keys, (n) => ctx.randomHex(n));
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    warn(ctx.io, `could not save profile ${name} in ${where}: ${why}; the keys are used for this run only`);
    return undefined;
  }
  const use = name === 'default' ? 'it is used whenever no other credentials are set' : `next time pass --profile ${name} or set AWS_PROFILE=${name}`;
  note(ctx.io, `saved profile ${name} in ${where} (readable only by you); ${use}`);
  return name;
}

