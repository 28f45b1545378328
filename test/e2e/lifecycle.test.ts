import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
});
afterAll(() => fake.close());

const base = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];

describe('the lifecycle of a cluster, against an AWS-compatible endpoint', () => {
  it('create → list → show → delete, each printing exactly one JSON object', async () => {
    const env = endpointEnv(fake.url);
    const created = await runCli(['create', '--stack-name', 'demo', '--min-capacity', '1', '--max-capacity', '3', '--desired-capacity', '2', ...base], env);
    expect(created.stderr).toContain('cluster demo is ready');
    expect(created.code).toBe(0);
    const report = onlyJson(created.stdout);
    expect(report).toMatchObject({ name: 'demo', status: 'CREATE_COMPLETE', version: '7.3.0', capacity: { min: 1, max: 3, desired: 2 } });
    expect(report.instances).toHaveLength(2);
    expect(String(report.clusterUrl)).toMatch(/^ws:\/\/[^/]+\/\*{8}$/); // the api key is a secret: masked

    const stack = fake.stack('demo');
    expect(stack?.tags).toMatchObject({ 'elasticrtc:cluster': 'demo', 'elasticrtc:kms-version': '7.3.0' });
    expect(stack?.clientRequestToken).toMatch(/^elasticrtc-create-[0-9a-f]{24}$/);
    expect(stack?.timeoutInMinutes).toBe(60);

    const listed = await runCli(['list', ...base], env);
    expect(listed.code).toBe(0);
    expect(onlyJson(listed.stdout).clusters).toEqual([expect.objectContaining({ name: 'demo', status: 'CREATE_COMPLETE', nodes: { desired: 2, min: 1, max: 3 } })]);

    fake.resetRequests();
    const shown = await runCli(['show', '--stack-name', 'demo', ...base], env);
    expect(shown.code).toBe(0);
    expect(onlyJson(shown.stdout)).toMatchObject({ name: 'demo', status: 'CREATE_COMPLETE' });
    expect(fake.count()).toBeLessThanOrEqual(6);

    const deleted = await runCli(['delete', '--stack-name', 'demo', '--yes', ...base], env);
    expect(deleted.code).toBe(0);
    const doc = onlyJson(deleted.stdout);
    expect(doc).toMatchObject({ name: 'demo', status: 'DELETE_COMPLETE' });
    expect(deleted.stderr).toMatch(/the bucket \S+ is kept/);
    expect(fake.stack('demo')?.status).toBe('DELETE_COMPLETE');

    const after = await runCli(['list', ...base], env);
    expect(onlyJson(after.stdout).clusters).toEqual([]);
  });

  it('prints plain, escape-free progress lines when not on a terminal', async () => {
    const env = endpointEnv(fake.url, { CI: undefined });
    const r = await runCli(['create', '--stack-name', 'plain', '--region', 'eu-west-1'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z load balancer \(LoadBalancer\) created/m);
    expect(r.stdout).toContain('Cluster plain (eu-west-1)');
    await runCli(['delete', '--stack-name', 'plain', '--yes', '--region', 'eu-west-1'], env);
  });

  it('--debug logs each AWS call and never a key', async () => {
    const env = endpointEnv(fake.url);
    const r = await runCli(['create', '--stack-name', 'debugged', '--debug', ...base], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^debug: aws sts:GetCallerIdentity ok \(\d+ ms\)$/m);
    expect(r.stderr).toMatch(/^debug: aws cloudformation:CreateStack ok/m);
    for (const secret of [env.AWS_SECRET_ACCESS_KEY, env.AWS_ACCESS_KEY_ID]) {
      expect(r.stderr + r.stdout).not.toContain(secret);
    }
  });

  it('version lists releases and own images in the region', async () => {
    fake.addImage({ name: 'my-kms', tags: { 'elasticrtc:kms-version': '7.3.1' } });
    const r = await runCli(['version', ...base], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    const versions = onlyJson(r.stdout).versions as { version: string; default: boolean }[];
    expect(versions[0]?.version).toBe('7.3.1');
    expect(versions.find((v) => v.default)?.version).toBe('7.3.0');
  });

  it('--no-wait returns once the stack is accepted', async () => {
    const r = await runCli(['create', '--stack-name', 'nowait', '--no-wait', ...base], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout)).toMatchObject({ name: 'nowait', status: 'CREATE_IN_PROGRESS' });
    expect(r.stderr).toContain('elasticrtc show --stack-name nowait --region eu-west-1 --wait');
    const waited = await runCli(['show', '--stack-name', 'nowait', '--wait', ...base], endpointEnv(fake.url));
    expect(waited.code).toBe(0);
    expect(onlyJson(waited.stdout)).toMatchObject({ status: 'CREATE_COMPLETE' });
  });
});

describe('a delete that stopped following, finished by running delete again', () => {
  // The fake's clock can be held still (the deletion makes no progress), moved on, or let run again.
  let frozen: number | undefined;
  let offset = 0;
  let slow: FakeAws;
  beforeAll(async () => {
    slow = await startFakeAws({ stepMs: 50, now: () => frozen ?? Date.now() - offset });
  });
  afterAll(() => slow.close());
  const liveSecret = (name: string) => slow.secrets().some((s) => s.name === `elasticrtc/${name}` && !s.deleted);

  it('a stack already gone: delete removes the leftover secret and says so; then there is no cluster', async () => {
    const env = endpointEnv(slow.url);
    expect((await runCli(['create', '--stack-name', 'gone', ...base], env)).code).toBe(0);
    expect(liveSecret('gone')).toBe(true);
    frozen = Date.now() - offset;
    const stopped = await runCli(['delete', '--stack-name', 'gone', '--yes', '--timeout', '2s', ...base], env);
    expect(stopped.code).toBe(7);
    // the command printed finishes the job (a `show --wait` fails once the stack is gone)
    expect(stopped.stderr).toContain('elasticrtc delete --stack-name gone --region eu-west-1');
    expect(stopped.stderr).not.toContain('show --stack-name gone');
    frozen += 3_600_000; // the deletion ends while nobody follows
    expect(slow.stack('gone')?.status).toBe('DELETE_COMPLETE');
    expect(liveSecret('gone')).toBe(true);

    const again = await runCli(['delete', '--stack-name', 'gone', '--yes', ...base], env);
    expect(again.stderr).toContain('removed the secret elasticrtc/gone');
    expect(again.code).toBe(0);
    expect(onlyJson(again.stdout)).toMatchObject({ name: 'gone', status: 'DELETE_COMPLETE', removed: { secret: 'elasticrtc/gone', certificates: [] } });
    expect(liveSecret('gone')).toBe(false);

    const third = await runCli(['delete', '--stack-name', 'gone', '--yes', ...base], env);
    expect(third.code).toBe(2);
    expect(third.stderr).toContain('no cluster named gone');
    offset = Date.now() - frozen;
    frozen = undefined;
  });

  it('a deletion still running: delete follows it (no second DeleteStack) and removes the secret', async () => {
    const env = endpointEnv(slow.url);
    expect((await runCli(['create', '--stack-name', 'halted', ...base], env)).code).toBe(0);
    frozen = Date.now() - offset;
    const stopped = await runCli(['delete', '--stack-name', 'halted', '--yes', '--timeout', '2s', ...base], env);
    expect(stopped.code).toBe(7);
    offset = Date.now() - frozen; // time runs again from where it stopped
    frozen = undefined;
    slow.resetRequests();
    const again = await runCli(['delete', '--stack-name', 'halted', '--yes', ...base], env);
    expect(again.code).toBe(0);
    expect(slow.count({ action: 'DeleteStack' })).toBe(0);
    expect(slow.stack('halted')?.status).toBe('DELETE_COMPLETE');
    expect(liveSecret('halted')).toBe(false);
  }, 60_000);
});
