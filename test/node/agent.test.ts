/**
 * The node agent against the fake AWS (CloudWatch, SQS, Auto Scaling, EC2) and a fake KMS: the load
 * metric the alarms watch, the drain of a terminating node (one CONTINUE, after the last release, or
 * at the limit), lifecycle messages for other nodes handed over, test notifications deleted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAutoScalingGroupsCommand, AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/node/agent/agent.js';
import { LOAD_METRIC, sdkAgentCloud } from '../../src/node/agent/cloud.js';
import type { Clock } from '../../src/node/context.js';
import { groupNodes } from '../../src/node/controller/discovery.js';
import { Imds } from '../../src/node/imds.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { type FakeImds, startFakeImds } from '../support/fake-imds.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { connectKurento, type KurentoClientInstance } from '../support/kurento.js';
import { testSecret } from '../support/node-inputs.js';

const secret = testSecret();
const clock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
const TEMPLATE = JSON.stringify({
  Resources: {
    LifecycleQueue: { Type: 'AWS::SQS::Queue', Properties: {} },
    NodeGroup: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { AutoScalingGroupName: { 'Fn::Sub': '${AWS::StackName}-nodes' }, MinSize: '1', MaxSize: '5', DesiredCapacity: '4' } },
    NodeTerminationHook: {
      Type: 'AWS::AutoScaling::LifecycleHook',
      Properties: { AutoScalingGroupName: { Ref: 'NodeGroup' }, LifecycleHookName: { 'Fn::Sub': '${AWS::StackName}-drain' }, LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', HeartbeatTimeout: 600, DefaultResult: 'CONTINUE', NotificationTargetARN: { 'Fn::GetAtt': ['LifecycleQueue', 'Arn'] }, RoleARN: 'arn:aws:iam::123456789012:role/hook' },
    },
  },
  Outputs: { QueueUrl: { Value: { Ref: 'LifecycleQueue' } } },
});

let aws: FakeAws;
let kms: FakeKms;
let queueUrl = '';
let instances: string[] = [];
const agents: Agent[] = [];
const clients: KurentoClientInstance[] = [];

beforeAll(async () => {
  aws = await startFakeAws({ stepMs: 1 });
  for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_EC2_METADATA_DISABLED']) delete process.env[k];
  Object.assign(process.env, { AWS_ENDPOINT_URL: aws.url, AWS_ACCESS_KEY_ID: 'AKIDNODEROLE', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'eu-west-1' });
  const cfn = new CloudFormationClient({ region: 'eu-west-1' });
  await cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: TEMPLATE }));
  await new Promise((r) => setTimeout(r, 50));
  queueUrl = aws.stack('demo')?.outputs.QueueUrl ?? '';
  const groups = await new AutoScalingClient({ region: 'eu-west-1' }).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['demo-nodes'] }));
  instances = (groups.AutoScalingGroups?.[0]?.Instances ?? []).map((i) => i.InstanceId ?? '');
});

afterAll(async () => {
  await aws.close();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const a of agents.splice(0)) await a.stop();
  await kms?.close();
});

async function agentFor(instanceId: string, options: { heartbeatTimeoutS?: number; lifecycleState?: () => Promise<string>; log?: (line: string) => void } = {}) {
  kms = await startFakeKms({ path: secret.apiKey });
  const agent = new Agent({
    host: '127.0.0.1',
    port: 0,
    kmsUrl: kms.url,
    cluster: 'demo',
    group: 'demo-nodes',
    hook: 'demo-drain',
    instanceId,
    heartbeatTimeoutS: options.heartbeatTimeoutS ?? 3,
    costMap: { WebRtcEndpoint: 1, RecorderEndpoint: 0.5 },
    queueUrl,
    cloud: sdkAgentCloud('eu-west-1'),
    clock,
    drainPollMs: 50,
    ...(options.lifecycleState ? { lifecycleState: options.lifecycleState } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  agents.push(agent);
  await agent.start();
  return agent;
}

async function kurento(): Promise<KurentoClientInstance> {
  const c = await connectKurento(kms.url);
  clients.push(c);
  return c;
}

const completions = () => aws.requests.filter((r) => r.action === 'CompleteLifecycleAction');

describe('the load metric', () => {
  it('publishes ElasticRTC/Load for the cluster: Σ cost / CPUs, in percent', async () => {
    const agent = await agentFor(instances[0] ?? '');
    const c = await kurento();
    const p = await c.create('MediaPipeline');
    await p.create('WebRtcEndpoint');
    await p.create('WebRtcEndpoint');
    await p.create('RecorderEndpoint', { uri: 'file:///tmp/x.webm' });
    await expect.poll(() => agent.status().pipelines).toBe(1);
    await expect.poll(() => agent.status().load).toBe(1.25); // (1 + 1 + 0.5) / 2 CPUs
    const before = aws.metrics('ElasticRTC').length;
    expect(await agent.publish()).toBe(1.25);
    expect(aws.metrics('ElasticRTC').slice(before)).toEqual([expect.objectContaining({ namespace: 'ElasticRTC', name: 'Load', dimensions: { Cluster: 'demo' }, value: 1.25, unit: 'Percent', accessKeyId: 'AKIDNODEROLE' })]);
  });

  it('is the metric the scaling alarms watch (namespace, name, dimension, unit)', () => {
    const template = parse(readFileSync('templates/cluster.yaml', 'utf8')) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
    for (const alarm of ['LoadHighAlarm', 'LoadLowAlarm']) {
      const p = template.Resources[alarm]?.Properties ?? {};
      expect(p.Namespace).toBe(LOAD_METRIC.namespace);
      expect(p.MetricName).toBe(LOAD_METRIC.name);
      expect(p.Dimensions).toEqual([{ Name: LOAD_METRIC.dimension, Value: { Ref: 'AWS::StackName' } }]);
      // An alarm without a unit matches data of any unit; with one, it must be the agent's.
      expect(p.Unit === undefined || p.Unit === LOAD_METRIC.unit).toBe(true);
    }
    // The agent's dimension value is the env file's STACK_NAME, which the template sets to the stack's name.
    const userData = JSON.stringify(template.Resources.NodeLaunchTemplate);
    expect(userData).toContain('STACK_NAME=${AWS::StackName}');
  });
});

describe('the drain of a terminating node', () => {
  it('holds the lifecycle action with heartbeats and completes it once, right after the last release', async () => {
    const id = instances[0] ?? '';
    const agent = await agentFor(id, { heartbeatTimeoutS: 3 });
    const c = await kurento();
    const pipeline = await c.create('MediaPipeline');
    const before = completions().length;
    aws.startTermination('demo-nodes', id, { hookName: 'demo-drain' });
    await agent.pollQueue(1);
    expect(agent.state).toBe('DRAINING');
    await new Promise((r) => setTimeout(r, 1_300));
    expect(completions().length).toBe(before);
    const released = Date.now();
    await pipeline.release();
    await expect.poll(() => completions().length, { timeout: 3_000 }).toBe(before + 1);
    const action = aws.lifecycleActions().find((a) => a.instanceId === id);
    expect(action).toMatchObject({ hook: 'demo-drain', result: 'CONTINUE' });
    expect(action?.heartbeats).toBeGreaterThanOrEqual(1);
    expect(action?.completedAt ?? 0).toBeGreaterThanOrEqual(released);
    await new Promise((r) => setTimeout(r, 300));
    expect(completions().length).toBe(before + 1);
    expect(aws.queue(queueUrl).messages.filter((m) => m.body.includes(id))).toEqual([]);
  });

  it('completes at the heartbeat limit when pipelines stay, never before', async () => {
    const id = instances[1] ?? '';
    const agent = await agentFor(id, { heartbeatTimeoutS: 1 });
    const c = await kurento();
    await c.create('MediaPipeline');
    const before = completions().length;
    aws.startTermination('demo-nodes', id, { hookName: 'demo-drain' });
    const started = Date.now();
    await agent.pollQueue(1);
    const end = await agent.beginDrain('test');
    expect(end).toBe('limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(completions().length).toBe(before + 1);
    expect(agent.status()).toMatchObject({ state: 'DRAINING', drain: { end: 'limit' } });
  });

  it('drains on its own lifecycle state in IMDS (Terminated)', async () => {
    const imds = await startFakeImds();
    try {
      const metadata = new Imds({ endpoint: imds.url });
      const agent = await agentFor('i-0000000000000000a', { lifecycleState: () => metadata.get('autoscaling/target-lifecycle-state') });
      await agent.pollLifecycle();
      expect(agent.state).toBe('SERVING'); // InService
      imds.set('autoscaling/target-lifecycle-state', 'Terminated');
      await agent.pollLifecycle();
      expect(agent.state).toBe('DRAINING');
    } finally {
      await imds.close();
    }
  });

  it('deletes the hook\'s test notification and starts no drain', async () => {
    const agent = await agentFor('i-0000000000000000b');
    aws.sendTestNotification(queueUrl, 'demo-nodes');
    await agent.pollQueue(1);
    expect(agent.state).toBe('SERVING');
    expect(aws.queue(queueUrl).messages).toEqual([]);
  });

  it('hands another node\'s message to that node\'s agent, which drains', async () => {
    const [mine, theirs] = [instances[2] ?? '', instances[3] ?? ''];
    kms = await startFakeKms({ path: secret.apiKey });
    const options = { host: '127.0.0.1', port: 0, kmsUrl: kms.url, cluster: 'demo', group: 'demo-nodes', hook: 'demo-drain', heartbeatTimeoutS: 5, costMap: {}, queueUrl, cloud: sdkAgentCloud('eu-west-1'), clock, drainPollMs: 50 };
    const owner = new Agent({ ...options, instanceId: theirs });
    agents.push(owner);
    await owner.start();
    const receiver = new Agent({ ...options, instanceId: mine, agentUrl: () => `http://127.0.0.1:${owner.port}` });
    agents.push(receiver);
    await receiver.start();
    aws.startTermination('demo-nodes', theirs, { hookName: 'demo-drain' });
    await receiver.pollQueue(1);
    expect(receiver.state).toBe('SERVING');
    expect(owner.state).toBe('DRAINING');
    expect(aws.queue(queueUrl).messages).toEqual([]);
  });
});

describe('the controllers\' view of the group', () => {
  it('finds the running nodes of the autoscaling group with their private addresses', async () => {
    const found = await groupNodes('eu-west-1', 'demo-nodes', secret.apiKey);
    // instances[2] was never terminated; the others may have been by the drain tests above.
    expect(found.map((n) => n.id)).toContain(instances[2]);
    for (const n of found) expect(instances).toContain(n.id);
    for (const n of found) {
      expect(n.kmsUrl).toMatch(new RegExp(`^ws://\\d+\\.\\d+\\.\\d+\\.\\d+:8889/${secret.apiKey}$`));
      expect(n.statusUrl).toMatch(/^http:\/\/\d+\.\d+\.\d+\.\d+:8890\/status$/);
    }
  });
});

describe('elasticrtc-node agent --once', () => {
  let imds: FakeImds;
  beforeAll(async () => {
    imds = await startFakeImds({ instanceId: instances[0] ?? 'i-1' });
  });
  afterAll(async () => imds.close());

  it('publishes one data point and exits', async () => {
    kms = await startFakeKms({ path: secret.apiKey });
    const dir = mkdtempSync(join(tmpdir(), 'agent-'));
    writeFileSync(join(dir, 'secret.json'), JSON.stringify(secret));
    writeFileSync(join(dir, 'node.env'), `STACK_NAME=demo\nREGION=eu-west-1\nKMS_PORT=${kms.port}\n`);
    const before = aws.metrics('ElasticRTC').length;
    const child = spawn(process.execPath, ['bin/elasticrtc-node.js', 'agent', '--once', '--listen', '127.0.0.1:0', '--env', join(dir, 'node.env'), '--secret-file', join(dir, 'secret.json')], {
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: aws.url, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
    });
    const r = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (d) => (r.stdout += String(d)));
    child.stderr.on('data', (d) => (r.stderr += String(d)));
    r.status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('ElasticRTC/Load Cluster=demo: 0\n');
    expect(aws.metrics('ElasticRTC').slice(before)).toEqual([expect.objectContaining({ name: 'Load', dimensions: { Cluster: 'demo' }, value: 0, accessKeyId: imds.credentials().accessKeyId })]);
  });
});

describe('a drain asked for by hand (the inspector), with no termination under way', () => {
  it('ends once the last pipeline goes, says there was no lifecycle action, and the agent keeps serving', async () => {
    const id = instances[1] ?? '';
    const logged: string[] = [];
    const agent = await agentFor(id, { heartbeatTimeoutS: 3, log: (l) => logged.push(l) });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown) => unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      const c = await kurento();
      const pipeline = await c.create('MediaPipeline');
      const res = await fetch(`http://127.0.0.1:${agent.port}/drain`, { method: 'POST', body: JSON.stringify({ EC2InstanceId: id }) });
      expect(res.status).toBe(202);
      expect(agent.state).toBe('DRAINING');
      await pipeline.release();
      const end = await agent.beginDrain('again');
      expect(end).toBeDefined();
      expect(logged.some((l) => l.includes('no lifecycle action to complete'))).toBe(true);
      expect(unhandled).toEqual([]);
      expect((await fetch(`http://127.0.0.1:${agent.port}/status`)).status).toBe(200);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
