import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AwsClients, AwsTarget } from '../../src/aws/clients.js';
import { AwsFailure } from '../../src/aws/errors.js';
import type { Identity } from '../../src/aws/sts.js';
import { ensureCredentials, identityLine, type ResolvedIdentity } from '../../src/cli/auth/credentials.js';
import { CliError, CredentialsError, ExitCode } from '../../src/cli/errors.js';
import { testContext, type Answer, type TestContextOptions } from '../support/context.js';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const ME: Identity = { account: '123456789012', arn: 'arn:aws:iam::123456789012:user/tester' };
const NOTHING = () => new AwsFailure('credentials', 'CredentialsProviderError', 'Could not load credentials from any providers', 'sts:GetCallerIdentity');
const REJECTED = () => new AwsFailure('credentials', 'InvalidClientTokenId', 'The security token included in the request is invalid.', 'sts:GetCallerIdentity');
const EXPIRED = () => new AwsFailure('credentials', 'ExpiredToken', 'The security token included in the request is expired', 'sts:GetCallerIdentity');

/** A `ctx.aws` whose STS answers with `answer(target)`; records every target it was given. */
function fakeAws(answer: (target: AwsTarget) => Identity | Error) {
  const targets: AwsTarget[] = [];
  const aws = (target: AwsTarget): AwsClients => {
    targets.push(target);
    const whoAmI = async () => {
      const r = answer(target);
      if (r instanceof Error) throw r;
      return r;
    };
    return { target, identity: async () => ({ whoAmI }) } as unknown as AwsClients;
  };
  return { aws, targets };
}

/** STS with nothing found by the default chain, accepting typed keys unless they are `rejected`. */
const noneButTyped = (rejected?: () => Error) => fakeAws((t) => (t.credentials ? (rejected?.() ?? ME) : NOTHING()));

const home = () => mkdtempSync(join(tmpdir(), 'elasticrtc-cred-'));
const target = (extra: Partial<AwsTarget> = {}): AwsTarget => ({ region: 'eu-west-1', env: {}, now: () => 0, ...extra });

function setup(o: TestContextOptions & { answers?: Answer[] }) {
  const t = testContext(o);
  /** Nothing secret ever reaches stdout, stderr, or an error. */
  const expectNoSecrets = (error?: unknown, secrets = [SECRET, KEY_ID]) => {
    const e = error instanceof CliError ? `${e2s(error)}` : '';
    for (const s of secrets) {
      expect(t.out()).not.toContain(s);
      expect(t.err()).not.toContain(s);
      expect(e).not.toContain(s);
    }
  };
  return { ...t, expectNoSecrets };
}
const e2s = (e: CliError) => `${e.message}\n${e.hint ?? ''}`;

async function failure(p: Promise<unknown>): Promise<CliError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CliError);
  return error as CliError;
}

describe('ensureCredentials: credentials found', () => {
  const found = async (env: Record<string, string>, t: Partial<AwsTarget> = {}, o: { profile?: string; keyFlag?: boolean } = {}) => {
    const { aws } = fakeAws(() => ME);
    const s = setup({ env, aws, tty: true });
    const id = await ensureCredentials(s.ctx, target(t), o);
    expect(s.prompter.asked).toEqual([]);
    return id;
  };

  it('checks them with STS and names where they come from, without prompting', async () => {
    expect(await found({})).toMatchObject({ account: ME.account, arn: ME.arn, profileLine: 'profile default' });
    expect((await found({}, { credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } }, { keyFlag: true })).profileLine).toBe('keys from --aws-access-key-id');
    expect((await found({ AWS_PROFILE: 'ignored' }, { profile: 'work' }, { profile: 'work' })).profileLine).toBe('profile work (--profile)');
    expect((await found({ AWS_PROFILE: 'work' })).profileLine).toBe('profile work (AWS_PROFILE)');
    expect((await found({ AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET })).profileLine).toBe('environment keys (AWS_ACCESS_KEY_ID)');
    expect((await found({ AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/creds' })).profileLine).toBe('container role (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI)');
  });

  it('names AWS_PROFILE over environment keys, as the SDK chooses', async () => {
    expect((await found({ AWS_PROFILE: 'work', AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET })).profileLine).toBe('profile work (AWS_PROFILE)');
  });

  it('prints the identity line with the account masked', () => {
    const id: ResolvedIdentity = { target: target(), account: ME.account, arn: ME.arn, profileLine: 'profile default (AWS_PROFILE)' };
    expect(identityLine(id, '--region')).toBe('deploying as profile default (AWS_PROFILE) / account ********9012 / region eu-west-1 (from --region)');
  });
});

describe('ensureCredentials: failures that never prompt', () => {
  it('with nothing found and no one to answer: exit 4 naming the flags, variables and aws sso login', async () => {
    const { aws } = fakeAws(NOTHING);
    const s = setup({ aws, tty: false });
    const e = await failure(ensureCredentials(s.ctx, target()));
    expect(e).toBeInstanceOf(CredentialsError);
    expect(e.exitCode).toBe(ExitCode.Credentials);
    expect(e.code).toBe('MissingCredentials');
    expect(e.message).toMatch(/^no AWS credentials found: /);
    for (const name of ['--aws-access-key-id', '--aws-secret-access-key', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', '--profile', 'AWS_PROFILE', 'aws sso login']) expect(e.hint).toContain(name);
    expect(s.prompter.asked).toEqual([]);
  });

  it('says which half of the environment keys is missing', async () => {
    const s = setup({ aws: fakeAws(NOTHING).aws, env: { AWS_ACCESS_KEY_ID: KEY_ID } });
    const e = await failure(ensureCredentials(s.ctx, target()));
    expect(e.message).toBe('no AWS credentials found: AWS_SECRET_ACCESS_KEY is not set, so the environment keys are incomplete');
    s.expectNoSecrets(e);
  });

  it('does not prompt for a named profile that has no keys, even at a terminal', async () => {
    const s = setup({ aws: fakeAws(NOTHING).aws, tty: true, env: { AWS_PROFILE: 'work' } });
    const e = await failure(ensureCredentials(s.ctx, target()));
    expect(e.exitCode).toBe(4);
    expect(e.message).toMatch(/^profile work \(AWS_PROFILE\) gave no credentials: /);
    expect(e.hint).toContain('aws configure --profile work');
    expect(s.prompter.asked).toEqual([]);
  });

  it('rejected flag keys: exit 4 with the key id masked, no prompt', async () => {
    const s = setup({ aws: fakeAws(REJECTED).aws, tty: true });
    const e = await failure(ensureCredentials(s.ctx, target({ credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET } }), { keyFlag: true }));
    expect(e.exitCode).toBe(4);
    expect(e.code).toBe('InvalidClientTokenId');
    expect(e.message).toContain('AWS rejected the access key ****************MPLE (keys from --aws-access-key-id): InvalidClientTokenId');
    expect(s.prompter.asked).toEqual([]);
    s.expectNoSecrets(e);
  });

  it('a rejected profile names its key id, masked, from the credentials file', async () => {
    const h = home();
    mkdirSync(join(h, '.aws'));
    writeFileSync(join(h, '.aws', 'credentials'), `[work]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);
    const s = setup({ aws: fakeAws(REJECTED).aws, tty: true, env: { HOME: h } });
    const e = await failure(ensureCredentials(s.ctx, target({ profile: 'work' }), { profile: 'work' }));
    expect(e.message).toContain('access key ****************MPLE (profile work (--profile))');
    s.expectNoSecrets(e);
  });

  it('an expired session: exit 4 saying so and how to refresh it', async () => {
    const s = setup({ aws: fakeAws(EXPIRED).aws, tty: true, env: { AWS_PROFILE: 'sso' } });
    const e = await failure(ensureCredentials(s.ctx, target()));
    expect(e.exitCode).toBe(4);
    expect(e.code).toBe('ExpiredToken');
    expect(e.message).toMatch(/^the AWS session of profile sso \(AWS_PROFILE\) has expired: /);
    expect(e.hint).toContain('aws sso login --profile sso');
    const env = setup({ aws: fakeAws(EXPIRED).aws, env: { AWS_ACCESS_KEY_ID: 'ASIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET } });
    const e2 = await failure(ensureCredentials(env.ctx, target()));
    expect(e2.hint).toMatch(/new temporary keys .*AWS_SESSION_TOKEN/);
    env.expectNoSecrets(e2, [SECRET, 'ASIAIOSFODNN7EXAMPLE']);
  });

  it('an SSO profile never logged in: exit 4 with "aws sso login --profile X", not "aws configure sso"', async () => {
    const h = home();
    mkdirSync(join(h, '.aws'));
    writeFileSync(join(h, '.aws', 'config'), `[profile other]\nregion = eu-west-1\n\n[profile corp]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Deployer\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n`);
    const s = setup({ aws: fakeAws(NOTHING).aws, tty: true, env: { HOME: h } });
    const e = await failure(ensureCredentials(s.ctx, target({ profile: 'corp' }), { profile: 'corp' }));
    expect(e.exitCode).toBe(4);
    expect(e.hint).toContain('aws sso login --profile corp');
    expect(e.hint).not.toContain('aws configure');
    expect(s.prompter.asked).toEqual([]);
    // The SDK's own words for a missing SSO token say so, whatever the config file.
    const ssoToken = new AwsFailure('credentials', 'CredentialsProviderError', "The SSO session token associated with profile=work was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile.", 'sts:GetCallerIdentity');
    const s2 = setup({ aws: fakeAws(() => ssoToken).aws, tty: true, env: { HOME: home(), AWS_PROFILE: 'work' } });
    const e2 = await failure(ensureCredentials(s2.ctx, target()));
    expect(e2.hint).toContain('aws sso login --profile work');
    // A default SSO profile is logged in, never replaced by typed keys.
    const s3 = setup({ aws: fakeAws(() => ssoToken).aws, tty: true, env: { HOME: home() } });
    const e3 = await failure(ensureCredentials(s3.ctx, target()));
    expect(e3.hint).toContain('"aws sso login"');
    expect(s3.prompter.asked).toEqual([]);
    // A profile that is not SSO keeps the configure hint.
    const s4 = setup({ aws: fakeAws(NOTHING).aws, tty: true, env: { HOME: h } });
    const e4 = await failure(ensureCredentials(s4.ctx, target({ profile: 'other' }), { profile: 'other' }));
    expect(e4.hint).toContain('aws configure --profile other');
  });

  it('passes other AWS failures through unchanged', async () => {
    const down = new AwsFailure('transient', 'ECONNREFUSED', 'connect ECONNREFUSED', 'sts:GetCallerIdentity');
    const s = setup({ aws: fakeAws(() => down).aws, tty: true });
    await expect(ensureCredentials(s.ctx, target())).rejects.toBe(down);
  });
});

describe('ensureCredentials: typing keys at a terminal', () => {
  const typing = (extra: Answer[]): Answer[] => [
    { kind: 'input', match: /^AWS access key id:$/, value: KEY_ID },
    { kind: 'password', match: /^AWS secret access key:$/, value: SECRET },
    ...extra,
  ];

  it('explains, asks, checks with STS, and saves a 0600 profile beside the others', async () => {
    const h = home();
    mkdirSync(join(h, '.aws'));
    const before = '# mine\n[default]\naws_access_key_id = AKIAOTHER00000000001\naws_secret_access_key = other\n';
    writeFileSync(join(h, '.aws', 'credentials'), before, { mode: 0o644 });
    chmodSync(join(h, '.aws', 'credentials'), 0o644);
    const { aws, targets } = noneButTyped();
    const s = setup({
      aws,
      tty: true,
      env: { HOME: h },
      answers: [
        { kind: 'input', match: /access key id/, value: 'not-a-key' },
        ...typing([
          { kind: 'confirm', match: /^Save these keys as a profile in ~\/\.aws\/credentials\?$/, value: true },
          { kind: 'input', match: /^Profile name/, value: '' },
        ]),
      ],
    });
    const id = await ensureCredentials(s.ctx, target());
    expect(id.target.credentials).toEqual({ accessKeyId: KEY_ID, secretAccessKey: SECRET });
    expect(id).toMatchObject({ account: ME.account, profileLine: 'keys typed at the prompt (saved as profile elasticrtc)' });
    expect(targets.at(-1)?.credentials?.accessKeyId).toBe(KEY_ID);
    expect(s.prompter.asked).toEqual(['AWS access key id:', 'AWS access key id:', 'AWS secret access key:', 'Save these keys as a profile in ~/.aws/credentials?', 'Profile name (Enter for elasticrtc):']);

    const file = join(h, '.aws', 'credentials');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${before}\n[elasticrtc]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);
    const err = s.err();
    for (const words of ['aws configure', 'aws sso login', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'IAM console', 'elasticrtc iam-policy']) expect(err).toContain(words);
    expect(err).toContain('access key id: expected 20 capital letters');
    expect(err).not.toContain('not-a-key');
    expect(err).toContain('saved profile elasticrtc in ~/.aws/credentials');
    expect(err).toContain('--profile elasticrtc or set AWS_PROFILE=elasticrtc');
    s.expectNoSecrets();
  });

  it('creates ~/.aws with mode 0700 when it is missing', async () => {
    const h = home();
    const s = setup({ aws: noneButTyped().aws, tty: true, env: { HOME: h }, answers: typing([{ kind: 'confirm', value: true }, { kind: 'input', value: 'deploy.prod' }]) });
    expect((await ensureCredentials(s.ctx, target())).profileLine).toBe('keys typed at the prompt (saved as profile deploy.prod)');
    expect(statSync(join(h, '.aws')).mode & 0o777).toBe(0o700);
    expect(statSync(join(h, '.aws', 'credentials')).mode & 0o777).toBe(0o600);
  });

  it('asks before replacing an existing profile, and asks for another name when told no', async () => {
    const h = home();
    const file = join(h, 'creds');
    writeFileSync(file, '[elasticrtc]\naws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = old\n');
    const s = setup({
      aws: noneButTyped().aws,
      tty: true,
      env: { HOME: h, AWS_SHARED_CREDENTIALS_FILE: file },
      answers: typing([
        { kind: 'confirm', match: /in ~\/creds\?$/, value: true },
        { kind: 'input', value: 'elasticrtc' },
        { kind: 'confirm', match: /^Profile elasticrtc already exists in .*Replace its keys\?$/, value: false },
        { kind: 'input', value: 'bad name' },
        { kind: 'input', value: 'second' },
      ]),
    });
    await ensureCredentials(s.ctx, target());
    expect(readFileSync(file, 'utf8')).toBe(`[elasticrtc]\naws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = old\n\n[second]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);
    expect(s.err()).toContain('profile name "bad name": use only letters');
  });

  it('replaces an existing profile when confirmed, through a symlink', async () => {
    const h = home();
    const real = join(h, 'real-credentials');
    writeFileSync(real, '[elasticrtc]\naws_access_key_id = AKIAOLD0000000000001\naws_secret_access_key = old\naws_session_token = stale\n[keep]\nregion = x\n');
    mkdirSync(join(h, '.aws'));
    symlinkSync(real, join(h, '.aws', 'credentials'));
    const s = setup({
      aws: noneButTyped().aws,
      tty: true,
      env: { HOME: h },
      answers: typing([{ kind: 'confirm', value: true }, { kind: 'input', value: '' }, { kind: 'confirm', match: /Replace its keys/, value: true }]),
    });
    await ensureCredentials(s.ctx, target());
    expect(readFileSync(real, 'utf8')).toBe(`[elasticrtc]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n[keep]\nregion = x\n`);
    expect(statSync(real).mode & 0o777).toBe(0o600);
  });

  it('asks for a session token with temporary keys, and writes nothing when saving is declined', async () => {
    const h = home();
    const temp = 'ASIAIOSFODNN7EXAMPLE';
    const s = setup({
      aws: noneButTyped().aws,
      tty: true,
      env: { HOME: h },
      answers: [
        { kind: 'input', value: temp },
        { kind: 'password', value: SECRET },
        { kind: 'password', match: /^AWS session token/, value: 'tokenValue' },
        { kind: 'confirm', value: false },
      ],
    });
    const id = await ensureCredentials(s.ctx, target());
    expect(id.target.credentials).toEqual({ accessKeyId: temp, secretAccessKey: SECRET, sessionToken: 'tokenValue' });
    expect(id.profileLine).toBe('keys typed at the prompt');
    expect(existsSync(join(h, '.aws'))).toBe(false);
    s.expectNoSecrets(undefined, [SECRET, temp, 'tokenValue']);
  });

  it('re-asks an empty secret', async () => {
    const s = setup({ aws: noneButTyped().aws, tty: true, env: { HOME: home() }, answers: [{ kind: 'input', value: KEY_ID }, { kind: 'password', value: '  ' }, { kind: 'password', value: SECRET }, { kind: 'confirm', value: false }] });
    await ensureCredentials(s.ctx, target());
    expect(s.err()).toContain('secret access key: it cannot be empty');
  });

  it('typed keys that STS rejects: exit 4 with the key masked, nothing saved', async () => {
    const h = home();
    const s = setup({ aws: noneButTyped(REJECTED).aws, tty: true, env: { HOME: h }, answers: typing([]) });
    const e = await failure(ensureCredentials(s.ctx, target()));
    expect(e).toBeInstanceOf(CredentialsError);
    expect(e.exitCode).toBe(4);
    expect(e.message).toMatch(/^STS rejected the access key \*{16}MPLE \(InvalidClientTokenId\): /);
    expect(s.prompter.asked).toEqual(['AWS access key id:', 'AWS secret access key:']);
    expect(existsSync(join(h, '.aws'))).toBe(false);
    s.expectNoSecrets(e);
  });

  it('warns and goes on with the keys when the file cannot be written', async () => {
    const h = home();
    writeFileSync(join(h, '.aws'), 'a file where the folder should be');
    const s = setup({ aws: noneButTyped().aws, tty: true, env: { HOME: h }, answers: typing([{ kind: 'confirm', value: true }, { kind: 'input', value: '' }]) });
    const id = await ensureCredentials(s.ctx, target());
    expect(id.profileLine).toBe('keys typed at the prompt');
    expect(s.err()).toMatch(/warning: could not save profile elasticrtc in ~\/\.aws\/credentials: .*; the keys are used for this run only/);
    s.expectNoSecrets();
  });
});
