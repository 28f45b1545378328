/**
 * `ensureCredentials` with the real AWS SDK and its real default credential chain, against the fake AWS
 * endpoint. The chain reads `process.env`, so each test empties it of credentials and points the shared
 * files at a fresh folder: "nothing found" is then what the SDK itself decides.
 */
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AwsTarget } from '../../src/aws/clients.js';
import { ensureCredentials } from '../../src/cli/auth/credentials.js';
import { CliError } from '../../src/cli/errors.js';
import { emptyHome } from '../support/cli.js';
import { testContext, type Answer } from '../support/context.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const CLEARED = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CREDENTIAL_EXPIRATION',
] as const;

let fake: FakeAws;
let home: string;
const saved = new Map<string, string | undefined>();

beforeAll(async () => {
  fake = await startFakeAws();
});
afterAll(() => fake.close());

beforeEach(() => {
  home = emptyHome();
  for (const name of CLEARED) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'credentials');
  process.env.AWS_CONFIG_FILE = join(home, 'config');
  fake.resetRequests();
});
afterEach(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  fake.faults.clear();
});

/** A context whose environment matches `process.env`, talking to the fake. */
function setup(o: { tty: boolean; answers?: Answer[]; env?: Record<string, string> }) {
  const t = testContext({
    tty: o.tty,
    ...(o.answers ? { answers: o.answers } : {}),
    env: {
      AWS_ENDPOINT_URL: fake.url,
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
      AWS_CONFIG_FILE: join(home, 'config'),
      ...o.env,
    },
  });
  for (const [name, value] of Object.entries(o.env ?? {})) process.env[name] = value;
  const debug: string[] = [];
  const target: AwsTarget = { region: 'eu-west-1', env: t.ctx.env, now: () => t.clock.now(), debug: (line) => void debug.push(line) };
  /** Nothing secret in stdout, stderr, debug lines, or the error. */
  const expectNoSecrets = (error?: unknown) => {
    const e = error instanceof CliError ? `${error.message} ${error.hint ?? ''}` : '';
    for (const text of [t.out(), t.err(), debug.join('\n'), e]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(KEY_ID);
    }
  };
  return { ...t, target, debug, expectNoSecrets };
}

const typed: Answer[] = [
  { kind: 'input', match: /access key id/, value: KEY_ID },
  { kind: 'password', match: /secret access key/, value: SECRET },
];

const rejection = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as CliError,
  );

describe('ensureCredentials against the fake AWS endpoint', () => {
  it('nothing found, no terminal: exit 4 without a single request to AWS', async () => {
    const s = setup({ tty: false });
    const e = await rejection(ensureCredentials(s.ctx, s.target));
    expect(e).toBeInstanceOf(CliError);
    expect(e).toMatchObject({ code: 'MissingCredentials', exitCode: 4 });
    expect(s.prompter.asked).toEqual([]);
    expect(fake.count()).toBe(0);
  });

  it('nothing found at a terminal: typed keys checked with STS, saved as a profile the SDK then uses', async () => {
    writeFileSync(join(home, 'credentials'), '[other]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = x\n');
    // The other profile is not the default one, so the chain still finds nothing.
    const s = setup({ tty: true, answers: [...typed, { kind: 'confirm', value: true }, { kind: 'input', value: 'deployer' }] });
    const id = await ensureCredentials(s.ctx, s.target);
    expect(id).toMatchObject({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/tester', profileLine: 'keys typed at the prompt (saved as profile deployer)' });
    expect(fake.count({ service: 'sts', action: 'GetCallerIdentity' })).toBe(1);
    const file = join(home, 'credentials');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`[other]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = x\n\n[deployer]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);
    expect(s.debug.some((l) => l.startsWith('aws sts:GetCallerIdentity ok'))).toBe(true);
    s.expectNoSecrets();

    // Next run: --profile deployer, read by the SDK from the saved file. The SDK caches each shared file
    // for the life of the process, so the file is copied to a path it has not read yet, as a new run sees it.
    const nextHome = emptyHome();
    copyFileSync(file, join(nextHome, 'credentials'));
    const next = setup({ tty: false, env: { HOME: nextHome, AWS_SHARED_CREDENTIALS_FILE: join(nextHome, 'credentials'), AWS_CONFIG_FILE: join(nextHome, 'config') } });
    const again = await ensureCredentials(next.ctx, { ...next.target, profile: 'deployer' }, { profile: 'deployer' });
    expect(again).toMatchObject({ account: '123456789012', profileLine: 'profile deployer (--profile)' });
    expect(fake.count({ service: 'sts', action: 'GetCallerIdentity' })).toBe(2);
    // And it is the typed key the SDK signed with: rejecting it fails that profile, named masked.
    fake.faults.rejectCredentials(KEY_ID);
    const e = await rejection(ensureCredentials(next.ctx, { ...next.target, profile: 'deployer' }, { profile: 'deployer' }));
    expect(e.message).toContain('AWS rejected the access key ****************MPLE (profile deployer (--profile))');
    next.expectNoSecrets(e);
  });

  it('typed keys that STS rejects: exit 4, the key masked, nothing saved', async () => {
    fake.faults.rejectCredentials(KEY_ID);
    const s = setup({ tty: true, answers: typed });
    const e = await rejection(ensureCredentials(s.ctx, s.target));
    expect(e).toMatchObject({ code: 'InvalidClientTokenId', exitCode: 4 });
    expect(e.message).toContain('STS rejected the access key ****************MPLE');
    expect(() => statSync(join(home, 'credentials'))).toThrow();
    s.expectNoSecrets(e);
  });

  it('rejected environment keys: exit 4 without prompting, even at a terminal', async () => {
    fake.faults.rejectCredentials(KEY_ID);
    const s = setup({ tty: true, env: { AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET } });
    const e = await rejection(ensureCredentials(s.ctx, s.target));
    expect(e).toMatchObject({ code: 'InvalidClientTokenId', exitCode: 4 });
    expect(e.message).toContain('****************MPLE (environment keys (AWS_ACCESS_KEY_ID))');
    expect(s.prompter.asked).toEqual([]);
    s.expectNoSecrets(e);
  });

  it('an expired session token in the flags: exit 4 saying it expired', async () => {
    fake.faults.rejectCredentials(KEY_ID, 'ExpiredToken');
    const s = setup({ tty: true });
    const e = await rejection(ensureCredentials(s.ctx, { ...s.target, credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: 'tok' } }, { keyFlag: true }));
    expect(e).toMatchObject({ code: 'ExpiredToken', exitCode: 4 });
    expect(e.message).toMatch(/^the AWS session of keys from --aws-access-key-id \(key \*{16}MPLE\) has expired/);
    expect(e.hint).toContain('--aws-session-token');
    s.expectNoSecrets(e);
  });
});
