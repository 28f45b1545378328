import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSigned } from '../fake-aws/certs.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
});
afterAll(() => fake.close());

const base = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];

// The describe blocks of this file run at the same time (`concurrent`), each against a fake AWS of
// its own (the first block alone uses `fake`); the tests of a block build on each other and run in
// order (`it.sequential`). Most of their time is the CLI's real-time polling, so running the blocks
// side by side is what keeps this file short.

describe('the lifecycle of a cluster, against an AWS-compatible endpoint', { concurrent: true }, () => {
  it.sequential('create → list → show → delete, each printing exactly one JSON object', async () => {
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

  it.sequential('prints plain, escape-free progress lines when not on a terminal', async () => {
    const env = endpointEnv(fake.url, { CI: undefined });
    const r = await runCli(['create', '--stack-name', 'plain', '--region', 'eu-west-1'], env);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z load balancer \(LoadBalancer\) created/m);
    expect(r.stdout).toContain('Cluster plain (eu-west-1)');
    await runCli(['delete', '--stack-name', 'plain', '--yes', '--region', 'eu-west-1'], env);
  });

  it.sequential('--debug logs each AWS call and never a key', async () => {
    const env = endpointEnv(fake.url);
    const r = await runCli(['create', '--stack-name', 'debugged', '--debug', ...base], env);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^debug: aws sts:GetCallerIdentity ok \(\d+ ms\)$/m);
    expect(r.stderr).toMatch(/^debug: aws cloudformation:CreateStack ok/m);
    for (const secret of [env.AWS_SECRET_ACCESS_KEY, env.AWS_ACCESS_KEY_ID]) {
      expect(r.stderr + r.stdout).not.toContain(secret);
    }
  });

  it.sequential('version lists releases and own images in the region', async () => {
    fake.addImage({ name: 'my-kms', tags: { 'elasticrtc:kms-version': '7.3.1' } });
    const r = await runCli(['version', ...base], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    const versions = onlyJson(r.stdout).versions as { version: string; default: boolean }[];
    expect(versions[0]?.version).toBe('7.3.1');
    expect(versions.find((v) => v.default)?.version).toBe('7.3.0');
  });

  it.sequential('--no-wait returns once the stack is accepted', async () => {
    const r = await runCli(['create', '--stack-name', 'nowait', '--no-wait', ...base], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout)).toMatchObject({ name: 'nowait', status: 'CREATE_IN_PROGRESS' });
    expect(r.stderr).toContain('elasticrtc show --stack-name nowait --region eu-west-1 --wait');
    const waited = await runCli(['show', '--stack-name', 'nowait', '--wait', ...base], endpointEnv(fake.url));
    expect(waited.code).toBe(0);
    expect(onlyJson(waited.stdout)).toMatchObject({ status: 'CREATE_COMPLETE' });
  });
});

describe('a delete that stopped following, finished by running delete again', { concurrent: true }, () => {
  // The fake's clock can be held still (the deletion makes no progress), moved on, or let run again.
  let frozen: number | undefined;
  let offset = 0;
  let slow: FakeAws;
  beforeAll(async () => {
    slow = await startFakeAws({ stepMs: 50, now: () => frozen ?? Date.now() - offset });
  });
  afterAll(() => slow.close());
  const liveSecret = (name: string) => slow.secrets().some((s) => s.name === `elasticrtc/${name}` && !s.deleted);

  it.sequential('a stack already gone: delete removes the leftover secret and says so; then there is no cluster', async () => {
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

  it.sequential('a deletion still running: delete follows it (no second DeleteStack) and removes the secret', async () => {
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

/** Certificate files for `name`, valid around the real clock the binary reads. */
const certificateDir = mkdtempSync(join(tmpdir(), 'elasticrtc-lifecycle-tls-'));
function certificateFiles(name: string): string[] {
  const pair = selfSigned({ commonName: name, notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 90 * 86_400_000) });
  const cert = join(certificateDir, `${name}.pem`);
  const key = join(certificateDir, `${name}.key`);
  writeFileSync(cert, pair.certificatePem);
  writeFileSync(key, pair.privateKeyPem);
  return ['--ssl-cert', cert, '--ssl-key', key];
}

describe.each([true, false])('delete --no-wait, then delete again (events stamped with ClientRequestToken: %s)', { concurrent: true }, (eventTokens) => {
  let frozen: number | undefined;
  let offset = 0;
  let aws: FakeAws;
  beforeAll(async () => {
    aws = await startFakeAws({ stepMs: 20, eventTokens, now: () => frozen ?? Date.now() - offset });
  });
  afterAll(() => aws.close());
  const live = (name: string) => ({
    secret: aws.secrets().some((s) => s.name === `elasticrtc/${name}` && !s.deleted),
    certificates: aws.certificates().filter((c) => c.tags['elasticrtc:cluster'] === name).length,
  });
  const freeze = () => void (frozen = Date.now() - offset);
  const thaw = () => {
    offset = Date.now() - (frozen ?? Date.now());
    frozen = undefined;
  };

  it.sequential('the stack gone by then: the second delete removes the imported certificate left behind', async () => {
    const env = endpointEnv(aws.url);
    expect((await runCli(['create', '--stack-name', 'detached', ...certificateFiles('detached.example.com'), ...base], env)).code).toBe(0);
    expect(live('detached')).toEqual({ secret: true, certificates: 1 });
    const detached = await runCli(['delete', '--stack-name', 'detached', '--yes', '--no-wait', ...base], env);
    expect(detached.code).toBe(0);
    expect(onlyJson(detached.stdout)).toMatchObject({ status: 'DELETE_IN_PROGRESS' });
    expect(detached.stderr).toContain('elasticrtc delete --stack-name detached --region eu-west-1');
    // The listener still uses the certificate until the stack is gone: it is left for later.
    expect(live('detached')).toEqual({ secret: false, certificates: 1 });
    freeze();
    frozen = (frozen ?? 0) + 3_600_000; // the deletion ends while nobody follows
    expect(aws.stack('detached')?.status).toBe('DELETE_COMPLETE');
    const again = await runCli(['delete', '--stack-name', 'detached', '--yes', ...base], env);
    thaw();
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/removed the certificate arn:aws:acm:/);
    expect(onlyJson(again.stdout)).toMatchObject({ name: 'detached', status: 'DELETE_COMPLETE', removed: { certificates: [expect.stringMatching(/^arn:aws:acm:/)] } });
    expect(live('detached')).toEqual({ secret: false, certificates: 0 });
  });

  it.sequential('the deletion still running: the second delete follows it to its end (no second DeleteStack), then removes the certificate', async () => {
    const env = endpointEnv(aws.url);
    expect((await runCli(['create', '--stack-name', 'running', ...certificateFiles('running.example.com'), ...base], env)).code).toBe(0);
    freeze(); // the deletion makes no progress until the second delete runs
    expect((await runCli(['delete', '--stack-name', 'running', '--yes', '--no-wait', ...base], env)).code).toBe(0);
    expect(aws.stack('running')?.status).toBe('DELETE_IN_PROGRESS');
    aws.resetRequests();
    // Time runs again once the second delete has found the deletion running: on a busy machine, a
    // deletion let go before the command starts can end before the command looks at the stack.
    const again = await runCli(['delete', '--stack-name', 'running', '--yes', ...base], env, {
      onStderr: (text) => {
        if (frozen !== undefined && text.includes('already being deleted')) thaw();
      },
    });
    expect(again.stderr).toContain('already being deleted');
    expect(again.stderr).toMatch(/cluster running \(running\) deleted/);
    expect(again.code).toBe(0);
    expect(aws.count({ action: 'DeleteStack' })).toBe(0);
    expect(aws.stack('running')?.status).toBe('DELETE_COMPLETE');
    expect(live('running')).toEqual({ secret: false, certificates: 0 });
  }, 60_000);
});

describe('create --dry-run checks the DNS name as create does', { concurrent: true }, () => {
  let aws: FakeAws;
  let zone: string;
  beforeAll(async () => {
    aws = await startFakeAws({ stepMs: 5 });
    zone = aws.addHostedZone({ name: 'example.com', records: [{ name: 'taken.example.com', type: 'A', value: '192.0.2.1' }, { name: 'www.example.com', type: 'A', value: '192.0.2.2' }] });
  });
  afterAll(() => aws.close());
  const dry = (name: string, args: string[], env = endpointEnv(aws.url)) => runCli(['create', '--stack-name', name, '--hosted-zone-id', zone, ...args, '--region', 'eu-west-1', '--non-interactive', '--dry-run'], env);

  it.sequential('an existing record of <stack-name>.<zone>: the same exit 2 as create, naming --stack-name; nothing written', async () => {
    aws.resetRequests();
    const r = await dry('taken', []);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--stack-name taken: hosted zone example.com (${zone}) already has a record taken.example.com`);
    expect(r.stderr).toContain('choose another --stack-name');
    expect(aws.requests.filter((q) => /^(Create|Put|Import|Delete)/.test(q.action))).toEqual([]);
    const real = await runCli(['create', '--stack-name', 'taken', '--hosted-zone-id', zone, ...base], endpointEnv(aws.url));
    expect(real.code).toBe(2);
    expect(real.stderr).toContain(`--stack-name taken: hosted zone example.com (${zone}) already has a record taken.example.com`);
    expect(aws.count({ action: 'CreateStack' })).toBe(0);
  });

  it.sequential('an existing record of the certificate’s name: exit 2 naming --ssl-cert, not --stack-name', async () => {
    const files = certificateFiles('www.example.com');
    const r = await dry('other', files);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--ssl-cert ${files[1]}: hosted zone example.com (${zone}) already has a record www.example.com`);
    expect(r.stderr).toContain('use a certificate for another name');
    expect(r.stderr).not.toContain('--stack-name');
  });

  it.sequential('a free name: the template with the record, exit 0', async () => {
    const r = await dry('free', []);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).Resources.DnsRecord).toBeDefined();
    expect(r.stderr).toContain('DnsName=free.example.com');
  });

  it.sequential('no credentials configured: offline, zero requests, a note saying what was not checked', async () => {
    aws.resetRequests();
    const r = await dry('taken', [], endpointEnv(aws.url, { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined }));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`no AWS credentials are configured, so this dry run did not read the hosted zone ${zone}`);
    expect(r.stderr).toContain(`DnsName=taken.(domain of ${zone})`);
    expect(aws.count()).toBe(0);
  });
});
