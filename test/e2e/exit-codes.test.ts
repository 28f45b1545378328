import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';
import { blockFakeAws } from './block-fake-aws.js';

// The describe blocks of this file run at the same time (`concurrent`), each against a fake AWS of
// its own: they count requests and inject faults, so they cannot share one. The tests of a block run
// in order (`it.sequential`). Most of their time is the CLI's real-time polling, so running the blocks
// side by side is what keeps this file short.
const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];

describe('exit codes, end to end', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  afterEach(() => {
    fake.faults.clear();
  });

  it.sequential.each([
    [['create', '--stack-name', '1bad'], '--stack-name 1bad'],
    [['create', '--stack-name', 'ok', '--min-capacity', '5', '--max-capacity', '3'], '--min-capacity 5: is above --max-capacity 3'],
    [['create', '--stack-name', 'ok', '--min-capacity', '2'], '--min-capacity 2: needs --max-capacity'],
    [['create', '--stack-name', 'ok', '--version', 'latest'], '--version latest'],
    [['create', '--stack-name', 'ok', '--aws-instance-type', 'huge'], '--aws-instance-type huge'],
    [['create', '--stack-name', 'ok', '--api-origin', '10.0.0.1/8'], '--api-origin 10.0.0.1/8'],
    [['create', '--stack-name', 'ok', '--timeout', 'forever'], '--timeout forever'],
    [['create', '--stack-name', 'ok', '--tags', 'elasticrtc:x=1'], '--tags elasticrtc:x'],
    [['create', '--stack-name', 'ok', '--desired-capacity', 'many'], '--desired-capacity many'],
    [['show'], '--stack-name is required'],
    [['delete', '--stack-name', 'x_y', '--yes'], '--stack-name x_y'],
    [['delete', '--stack-name', 'demo'], '--yes'],
    [['list', '--aws-secret-access-key', 'abc'], '--aws-secret-access-key needs --aws-access-key-id'],
    [['list', '--region', 'mars-1'], '--region mars-1'],
  ])('2: %j, naming the value, with zero requests to AWS', async (args, message) => {
    fake.resetRequests();
    const r = await runCli([...args, ...json.filter((a, i) => !(args.includes('--region') && (a === '--region' || json[i - 1] === '--region')))], endpointEnv(fake.url));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(onlyJson(r.stdout).error).toMatchObject({ exitCode: 2 });
    expect(fake.count()).toBe(0);
  });

  it.sequential('2: a well-formed version that is neither a release nor an own image: read-only look-ups, nothing created', async () => {
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'ok', '--version', '5.0.0', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--version 5.0.0: is not a deployable Kurento version; expected one of 7.3.0');
    expect(fake.requests.map((q) => q.action)).toEqual(['GetCallerIdentity', 'DescribeImages']);
  });

  it.sequential('2: a dry run never calls AWS, even without credentials', async () => {
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'dry', '--region', 'eu-west-1', '--dry-run'], endpointEnv(fake.url, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Resources.NodeLaunchTemplate.Type).toBe('AWS::EC2::LaunchTemplate');
    expect(fake.count()).toBe(0);
  });

  it.sequential('1: AWS failing every retry', async () => {
    fake.faults.serverError(100, { action: 'DescribeStacks' });
    const r = await runCli(['list', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(1);
    expect(onlyJson(r.stdout).error).toMatchObject({ code: 'InternalFailure' });
    expect(fake.count({ action: 'DescribeStacks' })).toBe(5); // the SDK's standard retries, then a clear error
  });

  it.sequential('4: no credentials anywhere, nothing sent', async () => {
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'nokeys', ...json], endpointEnv(fake.url, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('AWS_ACCESS_KEY_ID');
    expect(r.stderr).toContain('--profile');
    expect(fake.count()).toBe(0);
  });

  it.sequential('4: credentials rejected by STS, nothing created', async () => {
    fake.faults.rejectCredentials('AKIAREVOKEDKEY000000');
    const r = await runCli(['create', '--stack-name', 'revoked', ...json], endpointEnv(fake.url, { AWS_ACCESS_KEY_ID: 'AKIAREVOKEDKEY000000' }));
    expect(r.code).toBe(4);
    expect(fake.count({ action: 'CreateStack' })).toBe(0);
    expect(r.stderr + r.stdout).not.toContain('AKIAREVOKEDKEY000000');
  });

  it.sequential('4: access denied', async () => {
    fake.faults.denyAccess('CreateStack');
    const r = await runCli(['create', '--stack-name', 'denied', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('access denied for cloudformation:CreateStack');
  });

  it.sequential('5: a create that rolls back, root cause first', async () => {
    fake.scenario.failNextCreate('LoadBalancer', 'Not enough IP space available in subnet');
    const r = await runCli(['create', '--stack-name', 'rollback', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(5);
    const error = onlyJson(r.stdout).error as { message: string; hint: string };
    expect(error.message).toBe('the create of rollback failed (ROLLBACK_COMPLETE): load balancer (LoadBalancer) failed: Not enough IP space available in subnet');
    expect(error.hint).toContain('elasticrtc delete --stack-name rollback');
    expect(fake.stack('rollback')?.status).toBe('ROLLBACK_COMPLETE');
    const cleanup = await runCli(['delete', '--stack-name', 'rollback', '--yes', ...json], endpointEnv(fake.url));
    expect(cleanup.code).toBe(0);
  });

  it.sequential('6: a delete that fails names the resource that blocks', async () => {
    const env = endpointEnv(fake.url);
    expect((await runCli(['create', '--stack-name', 'stuck', ...json], env)).code).toBe(0);
    fake.scenario.failNextDelete('Vpc', 'The vpc has dependencies and cannot be deleted');
    const r = await runCli(['delete', '--stack-name', 'stuck', '--yes', ...json], env);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('network (Vpc) could not be deleted: The vpc has dependencies and cannot be deleted');
    expect(onlyJson(r.stdout).error).toMatchObject({ code: 'DELETE_FAILED', exitCode: 6 });
  });

  it.sequential('6: a rollback that fails needs manual action', async () => {
    fake.scenario.failNextCreate('NodeGroup');
    fake.scenario.failNextRollback('Vpc');
    const r = await runCli(['create', '--stack-name', 'rbfail', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('media server nodes (NodeGroup) failed');
  });
});

describe('slow operations and interruptions, end to end', { concurrent: true }, () => {
  let slow: FakeAws;
  beforeAll(async () => {
    slow = await startFakeAws({ stepMs: 400 });
  });
  afterAll(() => slow.close());

  it.sequential('7: the client times out, saying the operation still runs and how to follow it', async () => {
    const r = await runCli(['create', '--stack-name', 'slow', '--timeout', '3s', ...json], endpointEnv(slow.url));
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('still running');
    expect(r.stderr).toContain('elasticrtc show --stack-name slow --region eu-west-1 --wait');
    expect(slow.stack('slow')?.timeoutInMinutes).toBe(1);
  });

  it.sequential('4: a session that expires while following says so; the operation goes on', async () => {
    let sent = false;
    const key = 'ASIAEXPIRINGSESSION1';
    const r = await runCli(['create', '--stack-name', 'expiring', ...json], endpointEnv(slow.url, { AWS_ACCESS_KEY_ID: key, AWS_SESSION_TOKEN: 'token' }), {
      onStderr: (text) => {
        if (!sent && text.includes(') created')) {
          sent = true;
          slow.faults.rejectCredentials(key, 'ExpiredToken');
        }
      },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the AWS session expired');
    expect(slow.stack('expiring')?.status).toMatch(/^CREATE_/);
  });

  it.sequential.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s without a terminal detaches with %d and prints the follow command', async (signal, code) => {
    let sent = false;
    const r = await runCli(['create', '--stack-name', `sig${code}`, '--region', 'eu-west-1'], endpointEnv(slow.url), {
      onStderr: (text, child) => {
        if (!sent && text.includes(') created')) {
          sent = true;
          child.kill(signal);
        }
      },
    });
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`elasticrtc show --stack-name sig${code} --region eu-west-1 --wait`);
    expect(slow.stack(`sig${code}`)?.status).toMatch(/CREATE_(IN_PROGRESS|COMPLETE)/);
  });
});

describe('AWS faults, end to end', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  afterEach(() => {
    fake.faults.clear();
  });

  it.sequential('a throttling storm delays but does not fail the operation', async () => {
    fake.faults.throttle(2, { action: 'DescribeStackEvents' }); // backs off 4 s, then 8 s
    const r = await runCli(['create', '--stack-name', 'storm', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('AWS is throttling requests');
    expect(onlyJson(r.stdout)).toMatchObject({ status: 'CREATE_COMPLETE' });
  }, 60_000);

  it.sequential('dropped connections are retried without creating twice', async () => {
    fake.faults.drop(2, { action: 'CreateStack' });
    fake.faults.drop(1, { action: 'DescribeStackEvents' });
    const r = await runCli(['create', '--stack-name', 'dropped', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    expect(fake.count({ action: 'CreateStack' })).toBeGreaterThanOrEqual(3);
    expect(onlyJson(r.stdout)).toMatchObject({ name: 'dropped', status: 'CREATE_COMPLETE' });
  });
});

describe('an endpoint that does not stamp ClientRequestToken on events (LocalStack-style)', { concurrent: true }, () => {
  let bare: FakeAws;
  beforeAll(async () => {
    bare = await startFakeAws({ stepMs: 5, eventTokens: false });
  });
  afterAll(() => bare.close());

  it.sequential('0: create ends when the stack does, not at the timeout', async () => {
    const r = await runCli(['create', '--stack-name', 'untokened', '--timeout', '20s', ...json], endpointEnv(bare.url));
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout)).toMatchObject({ name: 'untokened', status: 'CREATE_COMPLETE' });
  });

  it.sequential('5: a rollback is reported as such, root cause first', async () => {
    bare.scenario.failNextCreate('LoadBalancer', 'Not enough IP space available in subnet');
    const r = await runCli(['create', '--stack-name', 'untokenedrb', '--timeout', '20s', ...json], endpointEnv(bare.url));
    expect(r.code).toBe(5);
    expect((onlyJson(r.stdout).error as { message: string }).message).toContain('load balancer (LoadBalancer) failed: Not enough IP space available in subnet');
  });

  it.sequential('0: delete ends when the stack is gone', async () => {
    const r = await runCli(['delete', '--stack-name', 'untokened', '--yes', '--timeout', '20s', ...json], endpointEnv(bare.url));
    expect(r.code).toBe(0);
    expect(bare.stack('untokened')?.status).toBe('DELETE_COMPLETE');
  });
});
