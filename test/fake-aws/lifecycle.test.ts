import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeLifecycleHooksCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentClients, queryCode } from './agent-clients.js';
import { rejection, useFake } from './helpers.js';

const env = useFake();
let sqs: SQSClient;
beforeEach(() => {
  sqs = agentClients(env.fake.url).sqs;
});
afterEach(() => sqs.destroy());

/** The drain set-up of the cluster template: a group, a queue and a termination hook notifying it. */
const TEMPLATE = JSON.stringify({
  Resources: {
    LifecycleQueue: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 3600 } },
    NodeGroup: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        AutoScalingGroupName: { 'Fn::Sub': '${AWS::StackName}-nodes' },
        MinSize: '1',
        MaxSize: '3',
        DesiredCapacity: '2',
        Tags: [{ Key: 'elasticrtc:role', Value: 'media-server', PropagateAtLaunch: true }],
      },
    },
    NodeTerminationHook: {
      Type: 'AWS::AutoScaling::LifecycleHook',
      Properties: {
        AutoScalingGroupName: { Ref: 'NodeGroup' },
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        HeartbeatTimeout: 300,
        DefaultResult: 'CONTINUE',
        NotificationTargetARN: { 'Fn::GetAtt': ['LifecycleQueue', 'Arn'] },
        RoleARN: 'arn:aws:iam::123456789012:role/hook',
      },
    },
  },
  Outputs: { QueueUrl: { Value: { Ref: 'LifecycleQueue' } }, QueueArn: { Value: { 'Fn::GetAtt': ['LifecycleQueue', 'Arn'] } } },
});

const GROUP = 'demo-nodes';

async function createCluster() {
  await env.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: TEMPLATE }));
  env.clock.advance(60_000);
  const stack = env.fake.stack('demo');
  expect(stack?.status).toBe('CREATE_COMPLETE');
  const hook = stack?.resources.find((r) => r.logicalId === 'NodeTerminationHook')?.physicalId ?? '';
  return { queueUrl: stack?.outputs.QueueUrl ?? '', queueArn: stack?.outputs.QueueArn ?? '', hook };
}

const running = async (): Promise<{ id: string; ip: string }[]> => {
  const filters = [{ Name: 'tag:aws:autoscaling:groupName', Values: [GROUP] }, { Name: 'instance-state-name', Values: ['running'] }];
  const out = await env.ec2.send(new DescribeInstancesCommand({ Filters: filters }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => ({ id: i.InstanceId ?? '', ip: i.PrivateIpAddress ?? '' }));
};

const lifecycleState = async (id: string): Promise<string | undefined> =>
  (await env.asg.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [id] }))).AutoScalingInstances?.[0]?.LifecycleState;

const action = (hook: string, id: string) => ({ AutoScalingGroupName: GROUP, LifecycleHookName: hook, InstanceId: id });

describe('Auto Scaling lifecycle hooks from a stack', () => {
  it('makes a queue (Ref: its URL on the fake) and a hook that DescribeLifecycleHooks lists', async () => {
    const { queueUrl, queueArn, hook } = await createCluster();
    expect(queueUrl).toMatch(new RegExp(`^${env.fake.url.replace(/\./g, '\\.')}/123456789012/demo-LifecycleQueue-[A-Z0-9]{12}$`));
    expect(queueArn).toBe(`arn:aws:sqs:eu-west-1:123456789012:${queueUrl.split('/').pop()}`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: queueUrl.split('/').pop() }))).QueueUrl).toBe(queueUrl);
    const hooks = (await env.asg.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: GROUP }))).LifecycleHooks;
    expect(hooks).toEqual([
      {
        LifecycleHookName: hook,
        AutoScalingGroupName: GROUP,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        NotificationTargetARN: queueArn,
        RoleARN: 'arn:aws:iam::123456789012:role/hook',
        HeartbeatTimeout: 300,
        GlobalTimeout: 30_000,
        DefaultResult: 'CONTINUE',
      },
    ]);
    const unknown = await rejection(env.asg.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'nope' })));
    expect([unknown.name, unknown.message]).toEqual(['ValidationError', 'Group nope not found']);
  });

  it('lists the group\'s running instances with their private IPs through EC2 filters', async () => {
    await createCluster();
    const nodes = await running();
    expect(nodes).toHaveLength(2);
    for (const n of nodes) expect(n.ip).toMatch(/^10\.0\.\d+\.\d+$/);
  });

  it('drains one instance: notification on the queue, heartbeat, completion, termination', async () => {
    const { queueUrl, hook } = await createCluster();
    const [victim, survivor] = await running();
    const token = env.fake.startTermination(GROUP, victim?.id ?? '');

    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    const body: unknown = JSON.parse(received.Messages?.[0]?.Body ?? '{}');
    expect(body).toEqual({
      Origin: 'AutoScalingGroup',
      Destination: 'EC2',
      Service: 'AWS Auto Scaling',
      Time: new Date(env.clock.ms).toISOString(),
      AccountId: '123456789012',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      LifecycleActionToken: token,
      EC2InstanceId: victim?.id,
      LifecycleHookName: hook,
      AutoScalingGroupName: GROUP,
    });
    expect(Object.keys(body as object)).toEqual(['Origin', 'Destination', 'Service', 'Time', 'AccountId', 'LifecycleTransition', 'RequestId', 'LifecycleActionToken', 'EC2InstanceId', 'LifecycleHookName', 'AutoScalingGroupName']);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: received.Messages?.[0]?.ReceiptHandle }));

    expect(await lifecycleState(victim?.id ?? '')).toBe('Terminating:Wait');
    const group = (await env.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [GROUP] }))).AutoScalingGroups?.[0];
    expect(group?.DesiredCapacity).toBe(1);
    expect(group?.Instances?.map((i) => [i.InstanceId, i.LifecycleState])).toEqual([
      [victim?.id, 'Terminating:Wait'],
      [survivor?.id, 'InService'],
    ]);

    env.clock.advance(200_000);
    await env.asg.send(new RecordLifecycleActionHeartbeatCommand(action(hook, victim?.id ?? '')));
    env.clock.advance(200_000); // past the first deadline (300 s), within the new one
    expect(await lifecycleState(victim?.id ?? '')).toBe('Terminating:Wait');
    expect(env.fake.lifecycleActions()).toEqual([
      { group: GROUP, instanceId: victim?.id, hook, token, startedAt: env.clock.ms - 400_000, heartbeats: 1, deadline: env.clock.ms + 100_000, timedOut: false },
    ]);

    await env.asg.send(new CompleteLifecycleActionCommand({ ...action(hook, victim?.id ?? ''), LifecycleActionResult: 'CONTINUE' }));
    expect(env.fake.lifecycleActions()[0]).toMatchObject({ result: 'CONTINUE', completedAt: env.clock.ms, timedOut: false });
    expect(await lifecycleState(victim?.id ?? '')).toBe('Terminating:Proceed');
    env.clock.advance(env.step);
    expect(await lifecycleState(victim?.id ?? '')).toBeUndefined();
    expect((await running()).map((n) => n.id)).toEqual([survivor?.id]);
    expect(env.fake.instanceCount()).toBe(1);

    const again = await rejection(env.asg.send(new CompleteLifecycleActionCommand({ ...action(hook, victim?.id ?? ''), LifecycleActionResult: 'CONTINUE' })));
    expect([again.name, again.message, again.$metadata?.httpStatusCode]).toEqual(['ValidationError', `No active Lifecycle Action found with instance ID ${victim?.id}`, 400]);
    const byToken = await rejection(
      env.asg.send(new RecordLifecycleActionHeartbeatCommand({ AutoScalingGroupName: GROUP, LifecycleHookName: hook, LifecycleActionToken: token })),
    );
    expect(byToken.message).toBe(`No active Lifecycle Action found with token ${token}`);
  });

  it('ends the wait with the default result after the heartbeat timeout', async () => {
    const { hook } = await createCluster();
    const [victim] = await running();
    env.fake.startTermination(GROUP, victim?.id ?? '', { heartbeatTimeoutS: 60, token: 'tok-1' });
    env.clock.advance(60_000);
    expect(env.fake.lifecycleActions()[0]).toMatchObject({ token: 'tok-1', result: 'CONTINUE', timedOut: true, heartbeats: 0 });
    expect(env.fake.lifecycleActions()[0]?.completedAt).toBeUndefined();
    expect(await lifecycleState(victim?.id ?? '')).toBe('Terminating:Proceed');
    const late = await rejection(env.asg.send(new RecordLifecycleActionHeartbeatCommand(action(hook, victim?.id ?? ''))));
    expect(late.message).toBe(`No active Lifecycle Action found with instance ID ${victim?.id}`);
  });

  it('sends test notifications, and the queue and hook go with the stack', async () => {
    const { queueUrl } = await createCluster();
    env.fake.sendTestNotification(queueUrl, GROUP);
    const body: unknown = JSON.parse((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages?.[0]?.Body ?? '{}');
    expect(body).toEqual({
      AccountId: '123456789012',
      RequestId: expect.any(String),
      AutoScalingGroupARN: expect.stringMatching(/^arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/demo-nodes$/),
      AutoScalingGroupName: GROUP,
      Service: 'AWS Auto Scaling',
      Event: 'autoscaling:TEST_NOTIFICATION',
      Time: new Date(env.clock.ms).toISOString(),
    });
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    env.clock.advance(60_000);
    const gone = await rejection(sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl })));
    expect(queryCode(gone)).toBe('AWS.SimpleQueueService.NonExistentQueue');
    expect(() => env.fake.queue(queueUrl)).toThrow(/no queue/);
  });

  it('works with a seeded stack\'s group and addLifecycleHook; SDK clients configured by AWS_ENDPOINT_URL stay on the fake', async () => {
    env.fake.addStack({ name: 'seeded', instances: 1 });
    const group = env.fake.stack('seeded')?.resources.find((r) => r.type === 'AWS::AutoScaling::AutoScalingGroup')?.physicalId ?? '';
    const url = env.fake.addQueue('drain');
    env.fake.addLifecycleHook(group, { name: 'drain', notificationTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:drain' });
    const instance = (await env.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }))).AutoScalingGroups?.[0]?.Instances?.[0]?.InstanceId ?? '';
    env.fake.startTermination(group, instance);
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = env.fake.url;
    const viaEnv = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDENV', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      const out = await viaEnv.send(new ReceiveMessageCommand({ QueueUrl: url }));
      expect(JSON.parse(out.Messages?.[0]?.Body ?? '{}')).toMatchObject({ EC2InstanceId: instance, LifecycleHookName: 'drain', AutoScalingGroupName: group });
      expect(env.fake.requests.filter((r) => r.accessKeyId === 'AKIDENV').map((r) => r.action)).toEqual(['ReceiveMessage']);
    } finally {
      viaEnv.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
    const completed = await env.asg.send(new CompleteLifecycleActionCommand({ AutoScalingGroupName: group, LifecycleHookName: 'drain', InstanceId: instance, LifecycleActionResult: 'ABANDON' }));
    expect(completed.$metadata.httpStatusCode).toBe(200);
    expect(env.fake.lifecycleActions()[0]).toMatchObject({ result: 'ABANDON', hook: 'drain' });
  });
});
