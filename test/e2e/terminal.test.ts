import { describe, expect, it, type TestContext } from 'vitest';
import { startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv } from '../support/cli.js';
import { KEYS, TerminalSession } from '../support/pty.js';

// The tests of this file run at the same time (`concurrent`): most of their time is the CLI's
// real-time polling of slow stack operations. Each has a fake AWS of its own, as they count requests.

/**
 * A test's own fake AWS, whose operations take long enough to interrupt, and its terminal sessions;
 * all of them closed when the test ends.
 */
async function terminalBench({ onTestFinished }: TestContext) {
  const fake = await startFakeAws({ stepMs: 250 });
  const sessions: TerminalSession[] = [];
  onTestFinished(async () => {
    for (const s of sessions) s.kill();
    await fake.close();
  });
  const terminalEnv = () => endpointEnv(fake.url, { CI: undefined });
  const open = (args: string[], env = terminalEnv()): TerminalSession => {
    const s = new TerminalSession(args, env);
    sessions.push(s);
    return s;
  };
  return { fake, open };
}

async function createThenCtrlC(open: (args: string[]) => TerminalSession, name: string): Promise<TerminalSession> {
  const session = open(['create', '--stack-name', name, '--region', 'eu-west-1']);
  await session.waitFor('✔ network created');
  session.type(KEYS.ctrlC);
  await session.waitFor('what now with the create of');
  return session;
}

describe('at a terminal', { concurrent: true }, () => {
  it('shows a spinner with N/M resources and permanent lines for settled resources', async (context) => {
    const { open } = await terminalBench(context);
    const session = open(['create', '--stack-name', 'spin', '--region', 'eu-west-1']);
    await session.waitFor(/creating .* — \d+\/\d+ resources/);
    const { exitCode } = await session.exited;
    expect(exitCode).toBe(0);
    expect(session.plain()).toContain('✔ load balancer created');
    expect(session.plain()).toContain('Cluster spin (eu-west-1)');
    expect(session.screen).toContain('\u001b['); // a real terminal gets colour and cursor control
  }, 40_000);

  it('Ctrl-C, then detach: exit 130, the creation goes on, the follow command is printed', async (context) => {
    const { fake, open } = await terminalBench(context);
    const s = await createThenCtrlC(open, 'detached');
    s.type(KEYS.enter); // the first choice: detach
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(130);
    expect(s.plain()).toContain('elasticrtc show --stack-name detached --region eu-west-1 --wait');
    expect(fake.stack('detached')?.status).toMatch(/^CREATE_/);
    expect(fake.count({ action: 'DeleteStack' })).toBe(0);
  }, 40_000);

  it('Ctrl-C, then cancel: the new stack is deleted and nothing is left', async (context) => {
    const { fake, open } = await terminalBench(context);
    const s = await createThenCtrlC(open, 'cancelled');
    s.type(KEYS.down);
    s.type(KEYS.enter);
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(130);
    expect(s.plain()).toContain('creation of cancelled cancelled: its stack was deleted');
    expect(fake.stack('cancelled')?.status).toBe('DELETE_COMPLETE');
  }, 60_000);

  it('Ctrl-C, then keep waiting: the create is followed to its end', async (context) => {
    const { open } = await terminalBench(context);
    const s = await createThenCtrlC(open, 'patient');
    s.type(KEYS.down + KEYS.down);
    s.type(KEYS.enter);
    const { exitCode } = await s.exited;
    expect(exitCode).toBe(0);
    expect(s.plain()).toContain('cluster patient is ready');
  }, 60_000);

  it('update shows the preview and asks; declining exits 3, removes the change set and changes nothing', async (context) => {
    const { fake, open } = await terminalBench(context);
    const create = open(['create', '--stack-name', 'asked', '--region', 'eu-west-1']);
    expect((await create.exited).exitCode).toBe(0);
    fake.resetRequests();
    const session = open(['update', '--stack-name', 'asked', '--region', 'eu-west-1', '--aws-instance-type', 'c7i.xlarge']);
    await session.waitFor('to cluster asked in account ');
    expect(session.plain()).toContain('NodeLaunchTemplate');
    session.type(`n${KEYS.enter}`);
    expect((await session.exited).exitCode).toBe(3);
    expect(session.plain()).toContain('the change set was removed');
    expect(fake.count({ action: 'ExecuteChangeSet' })).toBe(0);
    expect(fake.count({ action: 'DeleteChangeSet' })).toBe(1);
    expect(fake.stack('asked')?.parameters.InstanceType).toBe('c7i.large');
  }, 60_000);

  it('delete asks for the name: a wrong name aborts with 3, the right one deletes', async (context) => {
    const { fake, open } = await terminalBench(context);
    const create = open(['create', '--stack-name', 'typed', '--region', 'eu-west-1', '--no-wait']);
    expect((await create.exited).exitCode).toBe(0);

    fake.resetRequests();
    let session = open(['delete', '--stack-name', 'typed', '--region', 'eu-west-1']);
    await session.waitFor('Type its name to confirm');
    session.type(`wrong${KEYS.enter}`);
    expect((await session.exited).exitCode).toBe(3);
    expect(fake.count({ action: 'DeleteStack' })).toBe(0);

    session = open(['delete', '--stack-name', 'typed', '--region', 'eu-west-1']);
    await session.waitFor('Type its name to confirm');
    session.type(`typed${KEYS.enter}`);
    expect((await session.exited).exitCode).toBe(0);
    expect(fake.stack('typed')?.status).toBe('DELETE_COMPLETE');
  }, 60_000);
});

describe('credentials at a terminal', { concurrent: true }, () => {
  it('asks for keys when none are found, hides the secret, and saves a 0600 profile keeping the others', async (context) => {
    const { fake, open } = await terminalBench(context);
    const { mkdtempSync, readFileSync, statSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const home = mkdtempSync(join(tmpdir(), 'elasticrtc-keys-'));
    const credentials = join(home, 'credentials');
    const other = '# team keys\n[other]\naws_access_key_id = AKIAOTHEROTHEROTHER1\naws_secret_access_key = otherSecretOtherSecretOtherSecret0000000\n';
    writeFileSync(credentials, other, { mode: 0o644 });
    const env = endpointEnv(fake.url, { CI: undefined, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, HOME: home, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: join(home, 'config') });
    const secret = 'typedSecretTypedSecretTypedSecret0123456';
    const session = open(['list', '--region', 'eu-west-1'], env);
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

  it('without a terminal, nothing found is exit 4 naming the flags and variables', async (context) => {
    const { fake } = await terminalBench(context);
    const { runCli } = await import('../support/cli.js');
    const r = await runCli(['list', '--region', 'eu-west-1'], endpointEnv(fake.url, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(r.code).toBe(4);
    for (const name of ['--aws-access-key-id', 'AWS_ACCESS_KEY_ID', '--profile', 'AWS_PROFILE']) expect(r.stderr).toContain(name);
  });
});

describe('Ctrl-C at a question', { concurrent: true }, () => {
  it('ends the run as an interruption (130), with nothing deleted', async (context) => {
    const { fake, open } = await terminalBench(context);
    const create = open(['create', '--stack-name', 'kept', '--region', 'eu-west-1', '--no-wait']);
    expect((await create.exited).exitCode).toBe(0);
    fake.resetRequests();
    const session = open(['delete', '--stack-name', 'kept', '--region', 'eu-west-1']);
    await session.waitFor('Type its name to confirm');
    session.type(KEYS.ctrlC);
    expect((await session.exited).exitCode).toBe(130);
    expect(session.plain()).toContain('interrupted at a question');
    expect(fake.count({ action: 'DeleteStack' })).toBe(0);
  }, 30_000);
});
