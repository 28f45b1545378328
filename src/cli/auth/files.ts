/**
 * The shared AWS files as the SDK finds them (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`, else
 * `~/.aws/…`), read and written: where credentials may already be configured, and the profile a user
 * saves at the prompt (a private file, replaced whole).
 */
import { chmod, mkdir, readFile, realpath, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { hasCredentialSection, isSsoSection, upsertProfile, type ProfileKeys } from './profile-file.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE` (a leading `~` expanded), else `~/.aws/credentials`. */
export function credentialsFilePath(env: Env): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const file = env.AWS_SHARED_CREDENTIALS_FILE;
  if (!file) return join(home, '.aws', 'credentials');
  return /^~(?=$|[\\/])/.test(file) ? join(home, file.slice(1)) : file;
}

/** The path for messages, with the home folder shown as `~`. */
export function shown(file: string, env: Env): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  return file.startsWith(`${home}/`) || file.startsWith(`${home}\\`) ? `~${file.slice(home.length)}` : file;
}

export const readText = (file: string): Promise<string> =>
  readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });

/** The AWS config file: `AWS_CONFIG_FILE` (a leading `~` expanded), else `~/.aws/config`. */
export function configFilePath(env: Env): string {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const file = env.AWS_CONFIG_FILE;
  if (!file) return join(home, '.aws', 'config');
  return /^~(?=$|[\\/])/.test(file) ? join(home, file.slice(1)) : file;
}

/** Whether the profile signs in with IAM Identity Center (`sso_session` or `sso_start_url` in its config section). */
export async function isSsoProfile(env: Env, name: string): Promise<boolean> {
  return isSsoSection(await readText(configFilePath(env)).catch(() => ''), name);
}

/** The credential flags given, if any. */
export interface CredentialFlags {
  'aws-access-key-id'?: string | undefined;
  'aws-secret-access-key'?: string | undefined;
  profile?: string | undefined;
}

/**
 * Whether AWS credentials are configured where the SDK looks, told without any AWS call or network:
 * credential flags, a named profile (`--profile`, `AWS_PROFILE`), environment keys (half of them too: the
 * error then names the missing half), a container or web-identity role, or a default profile with
 * credentials in the shared files. An EC2 instance role cannot be told offline and counts as none.
 */
export async function credentialsConfigured(env: Env, o: CredentialFlags): Promise<boolean> {
  if (o['aws-access-key-id'] !== undefined || o['aws-secret-access-key'] !== undefined || o.profile !== undefined) return true;
  const variables = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];
  if (variables.some((v) => env[v])) return true;
  const read = (file: string) => readText(file).catch(() => '');
  return hasCredentialSection(await read(credentialsFilePath(env)), ['default']) || hasCredentialSection(await read(configFilePath(env)), ['default', 'profile default']);
}

/** Writes the profile through a private temporary file renamed over the original (through a symlink to its target). */
export async function writeProfile(file: string, name: string, keys: ProfileKeys, randomHex: (bytes: number) => string): Promise<void> {
  const real = await realpath(file).catch(() => file);
  const dir = dirname(real);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const next = upsertProfile(await readText(real), name, keys);
  const temp = join(dir, `.${basename(real)}.${randomHex(6)}.tmp`);
  try {
    await writeFile(temp, next, { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600);
    await rename(temp, real);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
