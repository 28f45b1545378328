import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv } from '../support/cli.js';
import { KEYS, TerminalSession } from '../support/pty.js';

let fake: FakeAws;
let session: TerminalSession | undefined;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 250 });
});
afterEach(() => session?.kill());
afterAll(() => fake.close());

const terminalEnv = () => endpointEnv(fake.url, { CI: undefined });

async function createThenCtrlC(name: string): Promise<TerminalSession> {
  session = new TerminalSession(['create', '--stack-name', name, '--region', 'eu-west-1'], terminalEnv());
  await session.waitFor('✔ network created');
  session.type(KEYS.ctrlC);
  await session.waitFor('what now with the create of');
  return session;
}

describe('at a terminal', () => {
  it('shows a spinner with N/M resources and permanent lines for settled resources', async () => {
    session = new TerminalSession(['create', '--stack-name', 'spin', '--region', 'eu-west-1'], terminalEnv());
    await session.waitFor(/creating .* — \d+\/\d+ resources/);
    const { exitCode } = await session.exited;
    expect(exitCode).toBe(0);
    expect(session.plain()).toContain('✔ load balancer created');
    expect(session.plain()).toContain('Cluster spin (eu-west-1)');
    expect(session.screen).toContain('\u001b['); // a real terminal gets colour and cursor control
  }, 40_000);

  it('Ctrl-C, then detach: exit 130, the creation goes on, the follow command is printed', async () => {
    const s = await createThenCtrlC('detached');
    s.type(KEYS.enter); // the first choice: detach
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(130);
    expect(s.plain()).toContain('elasticrtc show --stack-name detached --region eu-west-1 --wait');
    expect(fake.stack('detached')?.status).toMatch(/^CREATE_/);
    expect(fake.count({ action: 'DeleteStack' })).toBe(0);
  }, 40_000);

  it('Ctrl-C, then cancel: the new stack is deleted and nothing is left', async () => {
    const s = await createThenCtrlC('cancelled');
    s.type(KEYS.down);
    s.type(KEYS.enter);
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(130);
    expect(s.plain()).toContain('creation of cancelled cancelled: its stack was deleted');
    expect(fake.stack('cancelled')?.status).toBe('DELETE_COMPLETE');
  }, 60_000);

  it('Ctrl-C, then keep waiting: the create is followed to its end', async () => {
    const s = await createThenCtrlC('patient');
    s.type(KEYS.down + KEYS.down);
    s.type(KEYS.enter);
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(0);
    expect(s.plain()).toContain('cluster patient is ready');
  }, 60_000);

  it('update shows the preview and asks; declining exits 3, removes the change set and changes nothing', async () => {
    const create = new TerminalSession(['create', '--stack-name', 'asked', '--region', 'eu-west-1'], terminalEnv());
    expect((await create.exited).exitCode).toBe(0);
    fake.resetRequests();
    session = new TerminalSession(['update', '--stack-name', 'asked', '--region', 'eu-west-1', '--aws-instance-type', 'c7i.xlarge'], terminalEnv());
    await session.waitFor('to cluster asked in account ');
    expect(session.plain()).toContain('NodeLaunchTemplate');
    session.type(`n${KEYS.enter}`);
    expect((await session.exited).exitCode).toBe(3);
    expect(session.plain()).toContain('the change set was removed');
    expect(fake.count({ action: 'ExecuteChangeSet' })).toBe(0);
    expect(fake.count({ action: 'DeleteChangeSet' })).toBe(1);
    expect(fake.stack('asked')?.parameters.InstanceType).toBe('c7i.large');
  }, 60_000);

  it('delete asks for the name: a wrong name aborts with 3, the right one deletes', async () => {
    const create = new TerminalSession(['create', '--stack-name', 'typed', '--region', 'eu-west-1', '--no-wait'], terminalEnv());
    expect((await create.exited).exitCode).toBe(0);

    fake.resetRequests();
    session = new TerminalSession(['delete', '--stack-name', 'typed', '--region', 'eu-west-1'], terminalEnv());
    await session.waitFor('Type its name to confirm');
    session.type(`wrong${KEYS.enter}`);
    expect((await session.exited).exitCode).toBe(3);
    expect(fake.count({ action: 'DeleteStack' })).toBe(0);

    session = new TerminalSession(['delete', '--stack-name', 'typed', '--region', 'eu-west-1'], terminalEnv());
    await session.waitFor('Type its name to confirm');
    session.type(`typed${KEYS.enter}`);
    expect((await session.exited).exitCode).toBe(0);
    expect(fake.stack('typed')?.status).toBe('DELETE_COMPLETE');
  }, 60_000);
});

describe('credentials at a terminal', () => {
  it('asks for keys when none are found, hides the secret, and saves a 0600 profile keeping the others', async () => {
    const { mkdtempSync, readFileSync, statSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const home = mkdtempSync(join(tmpdir(), 'elasticrtc-keys-'));
    const credentials = join(home, 'credentials');
    const other = '# team keys\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = otherSecretOtherSecretOtherSecret0000000\n';
    writeFileSync(credentials, other, { mode: 0o644 });
    const env = endpointEnv(fake.url, { CI: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, HOME: home, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(home, 'config') });
    const secret = 'typedSecretTypedSecretTypedSecret0123456';
    session = new TerminalSession(['list', '--region', 'eu-west-1'], env);
    await session.waitFor('AWS access key id');
    session.type(`AKIATYPEDTYPEDTYPED1${KEYS.enter}`);
    await session.waitFor('AWS secret access key');
    session.type(`${secret}${KEYS.enter}`);
    await session.waitFor('Save these keys');
    session.type(KEYS.enter);
    await session.waitFor('Profile name');
    session.type(KEYS.enter);
    const { exitCode } = await session.exited;
    expect(exitCode).toBe(0);
    expect(session.screen).not.toContain(secret);
    const saved = readFileSync(credentials, 'utf8');
    expect(saved.startsWith(other)).toBe(true);
    expect(saved).toContain('[elasticrtc]');
    expect(saved).toContain(secret);
    expect(statSync(credentials).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('without a terminal, nothing found is exit 4 naming the flags and variables', async () => {
    const { runCli } = await import('../support/cli.js');
    const r = await runCli(['list', '--region', 'eu-west-1'], endpointEnv(fake.url, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(r.code).toBe(4);
    for (const name of ['--aws-access-key-id', 'AWS_ACCESS_KEY_ID', '--profile', 'AWS_PROFILE']) expect(r.stderr).toContain(name);
  });
});

describe('Ctrl-C at a question', () => {
  it('ends the run as an interruption (130), with nothing deleted', async () => {
    const create = new TerminalSession(['create', '--stack-name', 'kept', '--region', 'eu-west-1', '--no-wait'], terminalEnv());
    expect((await create.exited).exitCode).toBe(0);
    fake.resetRequests();
    session = new TerminalSession(['delete', '--stack-name', 'kept', '--region', 'eu-west-1'], terminalEnv());
    await session.waitFor('Type its name to confirm');
    session.type(KEYS.ctrlC);
    expect((await session.exited).exitCode).toBe(130);
    expect(session.plain()).toContain('interrupted at a question');
    expect(fake.count({ action: 'DeleteStack' })).toBe(0);
  }, 30_000);
});
