import { CloudFormationClient, DeleteStackCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';

let fake: FakeAws;
let bare: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
  bare = await startFakeAws({ stepMs: 5, eventTokens: false });
});
afterAll(async () => {
  await fake.close();
  await bare.close();
});

const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];
const scalable = ['--min-capacity', '1', '--max-capacity', '3', '--desired-capacity', '1'];

interface Operation {
  kind: string;
  status: string;
  outcome: string;
  started: string;
  ended: string | null;
  durationSeconds: number | null;
  clientRequestToken: string | null;
  cause: { logicalId: string; resource: string; type: string; status: string; reason: string | null; time: string } | null;
}

const cfnOf = (f: FakeAws) => new CloudFormationClient({ region: 'eu-west-1', endpoint: f.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } });

/** Waits (real time: the fake plays operations on the real clock) until the stack leaves *_IN_PROGRESS. */
async function settled(f: FakeAws, name: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const status = f.stack(name)?.status ?? '';
    if (!status.endsWith('_IN_PROGRESS')) return status;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${name} still in progress`);
}

/** An update made behind the tool's back (another operator, the console): only the desired capacity changes. */
async function updateDesired(f: FakeAws, name: string, desired: number): Promise<string> {
  const cfn = cfnOf(f);
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
  const Parameters = (stack?.Parameters ?? []).map((p) => (p.ParameterKey === 'DesiredCapacity' ? { ParameterKey: 'DesiredCapacity', ParameterValue: String(desired) } : { ParameterKey: p.ParameterKey, UsePreviousValue: true }));
  await cfn.send(new UpdateStackCommand({ StackName: name, UsePreviousTemplate: true, Parameters, Capabilities: ['CAPABILITY_NAMED_IAM'] }));
  return settled(f, name);
}

const operationsOf = async (f: FakeAws, name: string, extra: string[] = json) => {
  const r = await runCli(['show', '--stack-name', name, '--events', ...extra], endpointEnv(f.url));
  return { ...r, doc: extra.includes('json') && r.code === 0 ? onlyJson(r.stdout) : undefined };
};

describe('show --events', () => {
  it('lists a cluster’s operations newest first, with the root cause of each failure', async () => {
    const created = await runCli(['create', '--stack-name', 'hist', ...scalable, ...json], endpointEnv(fake.url));
    expect(created.code).toBe(0);
    fake.scenario.failNextUpdate('NodeGroup', 'You have requested more instances (40) than your current instance limit of 32 allows');
    expect(await updateDesired(fake, 'hist', 3)).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(await updateDesired(fake, 'hist', 2)).toBe('UPDATE_COMPLETE');

    const { code, doc } = await operationsOf(fake, 'hist');
    expect(code).toBe(0);
    expect(doc).toMatchObject({ name: 'hist', region: 'eu-west-1', status: 'UPDATE_COMPLETE', truncated: false });
    const ops = doc?.operations as Operation[];
    expect(ops.map((o) => [o.kind, o.status, o.outcome])).toEqual([
      ['update', 'UPDATE_COMPLETE', 'succeeded'],
      ['update', 'UPDATE_ROLLBACK_COMPLETE', 'rolled-back'],
      ['create', 'CREATE_COMPLETE', 'succeeded'],
    ]);
    expect(ops[1]?.cause).toMatchObject({ logicalId: 'NodeGroup', resource: 'media server nodes', status: 'UPDATE_FAILED', reason: 'You have requested more instances (40) than your current instance limit of 32 allows' });
    expect(ops[0]?.cause).toBeNull();
    expect(ops[2]?.clientRequestToken).toMatch(/^elasticrtc-create-/);
    for (const o of ops) {
      expect(Date.parse(o.ended ?? '')).toBeGreaterThanOrEqual(Date.parse(o.started));
      expect(o.durationSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(Date.parse(ops[0]?.started ?? '')).toBeGreaterThan(Date.parse(ops[1]?.started ?? ''));

    // For people: a table on stdout, tab-separated without a terminal, the cause in the last column.
    const text = await operationsOf(fake, 'hist', ['--region', 'eu-west-1', '--non-interactive']);
    expect(text.code).toBe(0);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('STARTED\tKIND\tSTATUS\tDURATION\tCAUSE');
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\tupdate\tUPDATE_ROLLBACK_COMPLETE\t\d+s\tmedia server nodes \(NodeGroup\) UPDATE_FAILED: You have requested more instances/);
    expect(lines).toHaveLength(4);

    const yaml = await operationsOf(fake, 'hist', ['--region', 'eu-west-1', '--non-interactive', '-o', 'yaml']);
    expect(yaml.stdout).toMatch(/^operations:\n {2}- kind: update\n/m);
  });

  it('names the failed resource of a rolled-back create (also without event tokens) and the one that blocks a failed delete', async () => {
    for (const f of [fake, bare]) {
      f.scenario.failNextCreate('LoadBalancer', 'Not enough IP space available in subnet');
      expect((await runCli(['create', '--stack-name', 'broken', ...json], endpointEnv(f.url))).code).toBe(5);
      const broken = (await operationsOf(f, 'broken')).doc?.operations as Operation[];
      expect(broken.map((o) => [o.kind, o.status, o.outcome, o.cause?.logicalId, o.cause?.reason])).toEqual([
        ['create', 'ROLLBACK_COMPLETE', 'rolled-back', 'LoadBalancer', 'Not enough IP space available in subnet'],
      ]);
      expect(broken[0]?.clientRequestToken).toEqual(f === bare ? null : expect.stringMatching(/^elasticrtc-create-/));
    }

    expect((await runCli(['create', '--stack-name', 'stuck', ...json], endpointEnv(fake.url))).code).toBe(0);
    fake.scenario.failNextDelete('Vpc', 'The vpc has dependencies and cannot be deleted');
    await cfnOf(fake).send(new DeleteStackCommand({ StackName: 'stuck' }));
    expect(await settled(fake, 'stuck')).toBe('DELETE_FAILED');
    const stuck = (await operationsOf(fake, 'stuck')).doc?.operations as Operation[];
    expect(stuck.map((o) => [o.kind, o.status, o.outcome, o.cause?.logicalId, o.cause?.reason])).toEqual([
      ['delete', 'DELETE_FAILED', 'needs-action', 'Vpc', 'The vpc has dependencies and cannot be deleted'],
      ['create', 'CREATE_COMPLETE', 'succeeded', undefined, undefined],
    ]);
  });

  it('reads events only as far back as the 10 latest operations, and says older ones exist', async () => {
    const created = await runCli(['create', '--stack-name', 'busy', ...scalable, ...json], endpointEnv(fake.url));
    expect(created.code).toBe(0);
    for (let i = 0; i < 12; i++) expect(await updateDesired(fake, 'busy', 2 + (i % 2))).toBe('UPDATE_COMPLETE');
    const events = fake.stack('busy')?.events.length ?? 0;
    expect(events).toBeGreaterThan(100); // more than one page of DescribeStackEvents
    fake.resetRequests();
    const { code, doc } = await operationsOf(fake, 'busy');
    expect(code).toBe(0);
    const ops = doc?.operations as Operation[];
    expect(ops).toHaveLength(10);
    expect(ops.every((o) => o.kind === 'update' && o.status === 'UPDATE_COMPLETE')).toBe(true);
    expect(doc?.truncated).toBe(true);
    expect(fake.count({ action: 'DescribeStackEvents' })).toBe(1);

    const text = await operationsOf(fake, 'busy', ['--region', 'eu-west-1', '--non-interactive']);
    expect(text.stderr).toContain('the 10 latest operations of busy; all its events: aws cloudformation describe-stack-events --stack-name busy --region eu-west-1');
  });
});
