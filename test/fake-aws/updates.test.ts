import {
  CancelUpdateStackCommand,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  ListChangeSetsCommand,
  UpdateStackCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLUSTER_YAML, rejection, setup } from './helpers.js';

type Env = Awaited<ReturnType<typeof setup>>;
let env: Env;
beforeEach(async () => {
  env = await setup();
  await env.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: CLUSTER_YAML, Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'k' }], ClientRequestToken: 'c1' }));
  env.clock.advance(10_000);
});
afterEach(async () => {
  await env.close();
});

const params = (extra: Parameter[]): Parameter[] => [{ ParameterKey: 'ApiKey', UsePreviousValue: true }, ...extra];

/** Events since the last `UPDATE_IN_PROGRESS` (inclusive), oldest first. */
async function updateTimeline(): Promise<string[]> {
  const events = ((await env.cfn.send(new DescribeStackEventsCommand({ StackName: 'demo' }))).StackEvents ?? []).reverse();
  const from = events.findLastIndex((e) => e.LogicalResourceId === 'demo' && e.ResourceStatus === 'UPDATE_IN_PROGRESS');
  expect(from).toBeGreaterThanOrEqual(0);
  return events.slice(from).map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
}

const runningTypes = async (): Promise<string[]> => {
  const out = await env.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceType ?? '');
};

describe('UpdateStack', () => {
  it('updates the launch template in place and rolls the Auto Scaling group', async () => {
    const before = env.fake.stack('demo')?.resources.find((r) => r.logicalId === 'LaunchTemplate')?.physicalId;
    expect(await runningTypes()).toEqual(['c5.xlarge', 'c5.xlarge']);
    await env.cfn.send(new UpdateStackCommand({ StackName: 'demo', UsePreviousTemplate: true, Parameters: params([{ ParameterKey: 'InstanceType', ParameterValue: 'c5.2xlarge' }]), ClientRequestToken: 'u1' }));
    expect(env.fake.stack('demo')?.status).toBe('UPDATE_IN_PROGRESS');
    env.clock.advance(10_000);
    expect(await updateTimeline()).toEqual([
      'demo UPDATE_IN_PROGRESS',
      'LaunchTemplate UPDATE_IN_PROGRESS', 'LaunchTemplate UPDATE_COMPLETE',
      'NodeGroup UPDATE_IN_PROGRESS', 'NodeGroup UPDATE_COMPLETE',
      'demo UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'demo UPDATE_COMPLETE',
    ]);
    const stack = (await env.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks?.[0];
    expect(stack?.StackStatus).toBe('UPDATE_COMPLETE');
    expect(stack?.LastUpdatedTime).toBeInstanceOf(Date);
    expect(stack?.Parameters?.find((p) => p.ParameterKey === 'InstanceType')?.ParameterValue).toBe('c5.2xlarge');
    expect(stack?.Outputs?.find((o) => o.OutputKey === 'Summary')?.OutputValue).toBe('eu-west-1|c5.2xlarge|demo');
    expect(env.fake.stack('demo')?.resources.find((r) => r.logicalId === 'LaunchTemplate')?.physicalId).toBe(before);
    expect(await runningTypes()).toEqual(['c5.2xlarge', 'c5.2xlarge']);
    expect(env.fake.instanceCount()).toBe(2);
    const repeat = await rejection(env.cfn.send(new UpdateStackCommand({ StackName: 'demo', UsePreviousTemplate: true, Parameters: params([{ ParameterKey: 'InstanceType', UsePreviousValue: true }]) })));
    expect(repeat.message).toBe('No updates are to be performed.');
  });

  it('adds, replaces and removes resources', async () => {
    const vpc = env.fake.stack('demo')?.resources.find((r) => r.logicalId === 'Vpc')?.physicalId;
    const template = CLUSTER_YAML.replace('CidrBlock: 10.0.0.0/16', 'CidrBlock: 10.1.0.0/16').replace(/ {2}LoadBalancer:\n( {4}.*\n)+/, '  Logs:\n    Type: AWS::Logs::LogGroup\n').replace(/Outputs:[\s\S]*/, 'Outputs:\n  Vpc:\n    Value: { Ref: Vpc }\n');
    await env.cfn.send(new UpdateStackCommand({ StackName: 'demo', TemplateBody: template, Parameters: params([]) }));
    env.clock.advance(10_000);
    const timeline = await updateTimeline();
    expect(timeline.slice(0, 3)).toEqual(['demo UPDATE_IN_PROGRESS', 'Vpc UPDATE_IN_PROGRESS', 'Vpc UPDATE_COMPLETE']);
    expect(timeline).toContain('Logs CREATE_COMPLETE');
    expect(timeline.slice(-6)).toEqual(['demo UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'Vpc DELETE_IN_PROGRESS', 'Vpc DELETE_COMPLETE', 'LoadBalancer DELETE_IN_PROGRESS', 'LoadBalancer DELETE_COMPLETE', 'demo UPDATE_COMPLETE']);
    const stack = env.fake.stack('demo');
    const newVpc = stack?.resources.find((r) => r.logicalId === 'Vpc');
    expect(newVpc?.status).toBe('UPDATE_COMPLETE');
    expect(newVpc?.physicalId).not.toBe(vpc);
    expect(stack?.outputs).toEqual({ Vpc: newVpc?.physicalId });
    expect(stack?.resources.find((r) => r.logicalId === 'Logs')?.status).toBe('CREATE_COMPLETE');
  });

  it('rolls back a failing update', async () => {
    env.fake.scenario.failNextUpdate('NodeGroup', 'Group is not in service');
    await env.cfn.send(new UpdateStackCommand({ StackName: 'demo', UsePreviousTemplate: true, Parameters: params([{ ParameterKey: 'InstanceType', ParameterValue: 'm5.large' }]) }));
    env.clock.advance(10_000);
    expect(await updateTimeline()).toEqual([
      'demo UPDATE_IN_PROGRESS',
      'LaunchTemplate UPDATE_IN_PROGRESS', 'LaunchTemplate UPDATE_COMPLETE',
      'NodeGroup UPDATE_IN_PROGRESS', 'NodeGroup UPDATE_FAILED',
      'demo UPDATE_ROLLBACK_IN_PROGRESS',
      'NodeGroup UPDATE_IN_PROGRESS', 'NodeGroup UPDATE_COMPLETE',
      'LaunchTemplate UPDATE_IN_PROGRESS', 'LaunchTemplate UPDATE_COMPLETE',
      'demo UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'demo UPDATE_ROLLBACK_COMPLETE',
    ]);
    const stack = (await env.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks?.[0];
    expect(stack?.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(stack?.Parameters?.find((p) => p.ParameterKey === 'InstanceType')?.ParameterValue).toBe('c5.xlarge');
    expect(stack?.Outputs?.find((o) => o.OutputKey === 'Summary')?.OutputValue).toBe('eu-west-1|c5.xlarge|demo');
    expect(await runningTypes()).toEqual(['c5.xlarge', 'c5.xlarge']);
  });

  it('cancels an update in progress', async () => {
    await env.cfn.send(new UpdateStackCommand({ StackName: 'demo', UsePreviousTemplate: true, Parameters: params([{ ParameterKey: 'DesiredCapacity', ParameterValue: '4' }]) }));
    env.clock.advance(env.step);
    await env.cfn.send(new CancelUpdateStackCommand({ StackName: 'demo' }));
    env.clock.advance(10_000);
    expect(await updateTimeline()).toEqual([
      'demo UPDATE_IN_PROGRESS',
      'NodeGroup UPDATE_IN_PROGRESS',
      'demo UPDATE_ROLLBACK_IN_PROGRESS',
      'NodeGroup UPDATE_IN_PROGRESS', 'NodeGroup UPDATE_COMPLETE',
      'demo UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'demo UPDATE_ROLLBACK_COMPLETE',
    ]);
    expect(env.fake.instanceCount()).toBe(2);
    expect((await rejection(env.cfn.send(new CancelUpdateStackCommand({ StackName: 'demo' })))).name).toBe('ValidationError');
  });
});

describe('change sets', () => {
  it('describes the changes of an update and executes it', async () => {
    const { Id, StackId } = await env.cfn.send(
      new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'bigger', UsePreviousTemplate: true, Parameters: params([{ ParameterKey: 'InstanceType', ParameterValue: 'c5.4xlarge' }]) }),
    );
    expect(Id).toMatch(/^arn:aws:cloudformation:eu-west-1:123456789012:changeSet\/bigger\//);
    expect(StackId).toBe(env.fake.stack('demo')?.id);
    const pending = await env.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(pending).toMatchObject({ Status: 'CREATE_IN_PROGRESS', ExecutionStatus: 'UNAVAILABLE' });
    env.clock.advance(env.step);
    const ready = await env.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: 'bigger', StackName: 'demo' }));
    expect(ready).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE', ChangeSetName: 'bigger' });
    expect(ready.Changes?.map((c) => c.ResourceChange && [c.ResourceChange.Action, c.ResourceChange.LogicalResourceId, c.ResourceChange.ResourceType, c.ResourceChange.Replacement])).toEqual([
      ['Modify', 'LaunchTemplate', 'AWS::EC2::LaunchTemplate', 'False'],
      ['Modify', 'NodeGroup', 'AWS::AutoScaling::AutoScalingGroup', 'False'],
    ]);
    expect(ready.Changes?.[0]?.ResourceChange?.Details?.[0]?.Target?.Name).toBe('LaunchTemplateData');
    expect((await env.cfn.send(new ListChangeSetsCommand({ StackName: 'demo' }))).Summaries?.map((s) => s.ChangeSetName)).toEqual(['bigger']);

    await env.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id, ClientRequestToken: 'x1' }));
    expect((await env.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus).toBe('EXECUTE_IN_PROGRESS');
    env.clock.advance(10_000);
    expect((await env.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }))).ExecutionStatus).toBe('EXECUTE_COMPLETE');
    expect(env.fake.stack('demo')).toMatchObject({ status: 'UPDATE_COMPLETE', clientRequestToken: 'x1' });
    expect(await runningTypes()).toEqual(['c5.4xlarge', 'c5.4xlarge']);
    const again = await rejection(env.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id })));
    expect(again.name).toBe('InvalidChangeSetStatusException');
  });

  it('fails a change set without changes and can delete it', async () => {
    const { Id } = await env.cfn.send(new CreateChangeSetCommand({ StackName: 'demo', ChangeSetName: 'same', UsePreviousTemplate: true, Parameters: params([]) }));
    env.clock.advance(env.step);
    const cs = await env.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(cs).toMatchObject({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', Changes: [] });
    expect(cs.StatusReason).toMatch(/didn't contain changes/);
    await env.cfn.send(new DeleteChangeSetCommand({ ChangeSetName: Id }));
    const gone = await rejection(env.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id })));
    expect(gone.name).toBe('ChangeSetNotFoundException');
  });

  it('creates a stack through a CREATE change set', async () => {
    const { Id } = await env.cfn.send(
      new CreateChangeSetCommand({ StackName: 'fresh', ChangeSetName: 'init', ChangeSetType: 'CREATE', TemplateBody: CLUSTER_YAML, Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'k' }] }),
    );
    expect(env.fake.stack('fresh')?.status).toBe('REVIEW_IN_PROGRESS');
    env.clock.advance(env.step);
    const cs = await env.cfn.send(new DescribeChangeSetCommand({ ChangeSetName: Id }));
    expect(cs.Changes?.map((c) => `${c.ResourceChange?.Action} ${c.ResourceChange?.LogicalResourceId}`)).toEqual([
      'Add Vpc', 'Add Subnet', 'Add SecurityGroup', 'Add Bucket', 'Add LaunchTemplate', 'Add NodeGroup', 'Add LoadBalancer',
    ]);
    await env.cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: Id }));
    env.clock.advance(10_000);
    expect(env.fake.stack('fresh')?.status).toBe('CREATE_COMPLETE');
    expect(env.fake.stack('fresh')?.events.map((e) => e.status).slice(0, 2)).toEqual(['REVIEW_IN_PROGRESS', 'CREATE_IN_PROGRESS']);
    expect(env.fake.instanceCount()).toBe(4);
  });
});
