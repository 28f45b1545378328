import {
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  type StackEvent,
} from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { CLUSTER_RESOURCES, CLUSTER_YAML, rejection, useFake } from './helpers.js';

const env = useFake();

const create = (extra: Partial<ConstructorParameters<typeof CreateStackCommand>[0]> = {}) =>
  env.cfn.send(
    new CreateStackCommand({
      StackName: 'demo',
      TemplateBody: CLUSTER_YAML,
      Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 's3cret' }, { ParameterKey: 'InstanceType', ParameterValue: 'c5.2xlarge' }],
      Tags: [{ Key: 'elasticrtc:cluster', Value: 'demo' }],
      Capabilities: ['CAPABILITY_IAM'],
      ClientRequestToken: 'tok-create-1',
      TimeoutInMinutes: 30,
      EnableTerminationProtection: false,
      ...extra,
    }),
  );

async function allEvents(name: string): Promise<StackEvent[]> {
  const out = await env.cfn.send(new DescribeStackEventsCommand({ StackName: name }));
  return out.StackEvents ?? [];
}

describe('CreateStack', () => {
  it('runs the timeline lazily from the virtual clock and completes', async () => {
    const t0 = env.clock.ms;
    const { StackId } = await create();
    expect(StackId).toMatch(/^arn:aws:cloudformation:eu-west-1:123456789012:stack\/demo\/[0-9a-f-]{36}$/);
    const describe = async () => (await env.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks?.[0];
    expect((await describe())?.StackStatus).toBe('CREATE_IN_PROGRESS');
    const n = CLUSTER_RESOURCES.length;
    env.clock.advance((2 * n + 1) * env.step - 1);
    expect((await describe())?.StackStatus).toBe('CREATE_IN_PROGRESS');
    env.clock.advance(1);
    const stack = await describe();
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack?.CreationTime).toEqual(new Date(t0));
    expect(stack?.StackId).toBe(StackId);

    const events = await allEvents('demo');
    expect(events).toHaveLength(2 * n + 2);
    expect(events[0]).toMatchObject({ LogicalResourceId: 'demo', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'CREATE_COMPLETE', PhysicalResourceId: StackId });
    expect(events.at(-1)).toMatchObject({ ResourceStatus: 'CREATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated', Timestamp: new Date(t0) });
    const oldestFirst = [...events].reverse();
    CLUSTER_RESOURCES.forEach((id, i) => {
      expect(oldestFirst[2 * i + 1]).toMatchObject({ LogicalResourceId: id, ResourceStatus: 'CREATE_IN_PROGRESS', Timestamp: new Date(t0 + (2 * i + 1) * env.step) });
      expect(oldestFirst[2 * i + 2]).toMatchObject({ LogicalResourceId: id, ResourceStatus: 'CREATE_COMPLETE', Timestamp: new Date(t0 + (2 * i + 2) * env.step) });
    });
    for (const e of events) {
      expect(e).toMatchObject({ ClientRequestToken: 'tok-create-1', StackId, StackName: 'demo' });
      expect(e.PhysicalResourceId).toBeTruthy();
      expect(e.ResourceType).toBeTruthy();
    }
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
    expect(env.fake.stack('demo')?.events.map((e) => e.eventId)).toEqual(oldestFirst.map((e) => e.EventId));
    expect((await env.cfn.send(new GetTemplateCommand({ StackName: 'demo' }))).TemplateBody).toBe(CLUSTER_YAML);
  });

  it('reports parameters (defaults, NoEcho), tags, outputs and settings', async () => {
    await create();
    env.clock.advance(1000);
    const stack = (await env.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks?.[0];
    const params = Object.fromEntries((stack?.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(params).toEqual({ InstanceType: 'c5.2xlarge', DesiredCapacity: '2', UseTurn: 'false', ApiKey: '****', Subnets: 'a,b,c' });
    expect(stack?.Tags).toEqual([{ Key: 'elasticrtc:cluster', Value: 'demo' }]);
    expect(stack).toMatchObject({ TimeoutInMinutes: 30, EnableTerminationProtection: false, Capabilities: ['CAPABILITY_IAM'], Description: 'Kurento cluster (fake AWS test fixture)' });
    const outputs = Object.fromEntries((stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
    const resources = Object.fromEntries(env.fake.stack('demo')?.resources.map((r) => [r.logicalId, r.physicalId]) ?? []);
    expect(outputs.LoadBalancerDns).toMatch(/^demo-alb-\d{9}\.eu-west-1\.elb\.amazonaws\.com$/);
    expect(outputs.Url).toBe(`wss://${outputs.LoadBalancerDns}/kurento`);
    expect(outputs.BucketName).toBe(resources.Bucket);
    expect(outputs.GroupName).toBe(resources.NodeGroup);
    expect(outputs).toMatchObject({ Summary: 'eu-west-1|c5.2xlarge|demo', Zone: 'eu-west-1b', SecondSubnet: 'b', Mode: 'eu-plain', Sub2: 'hello, eu-west-1' });
    expect(outputs).not.toHaveProperty('TurnAddress');
    expect(stack?.Outputs?.find((o) => o.OutputKey === 'BucketName')?.ExportName).toBe('demo-bucket');
    expect(env.fake.stack('demo')).toMatchObject({ parameters: { ApiKey: 's3cret' }, clientRequestToken: 'tok-create-1', timeoutInMinutes: 30, terminationProtection: false });
  });

  it('gives realistic physical ids and skips resources whose condition is false', async () => {
    await create({ Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'k' }, { ParameterKey: 'UseTurn', ParameterValue: 'true' }] });
    env.clock.advance(1000);
    const out = await env.cfn.send(new DescribeStackResourcesCommand({ StackName: 'demo' }));
    const ids = Object.fromEntries((out.StackResources ?? []).map((r) => [r.LogicalResourceId, r.PhysicalResourceId]));
    expect(Object.keys(ids)).toEqual(['Vpc', 'Subnet', 'SecurityGroup', 'Bucket', 'LaunchTemplate', 'TurnServer', 'NodeGroup', 'LoadBalancer']);
    expect(ids.Vpc).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(ids.Subnet).toMatch(/^subnet-/);
    expect(ids.SecurityGroup).toMatch(/^sg-/);
    expect(ids.LaunchTemplate).toMatch(/^lt-/);
    expect(ids.NodeGroup).toMatch(/^demo-NodeGroup-[A-Z0-9]{12}$/);
    expect(ids.Bucket).toMatch(/^demo-bucket-[a-z0-9]{12}$/);
    expect(ids.LoadBalancer).toMatch(/^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer\/app\/demo-alb\/[0-9a-f]{16}$/);
    const stack = (await env.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks?.[0];
    expect(stack?.Outputs?.find((o) => o.OutputKey === 'TurnAddress')?.OutputValue).toBe(ids.TurnServer);
    expect(stack?.Outputs?.find((o) => o.OutputKey === 'Mode')?.OutputValue).toBe('other');
  });

  it('shows resources as of now while the create runs', async () => {
    await create();
    env.clock.advance(3 * env.step);
    const out = await env.cfn.send(new DescribeStackResourcesCommand({ StackName: 'demo' }));
    expect(out.StackResources?.map((r) => [r.LogicalResourceId, r.ResourceStatus])).toEqual([
      ['Vpc', 'CREATE_COMPLETE'],
      ['Subnet', 'CREATE_IN_PROGRESS'],
    ]);
    expect(out.StackResources?.[0]?.Timestamp).toEqual(new Date(env.clock.ms - env.step));
  });

  it('accepts JSON templates and returns the template body as sent', async () => {
    const body = JSON.stringify({ Parameters: { Size: { Type: 'String', Default: 'small' } }, Resources: { Queue: { Type: 'AWS::SQS::Queue' } }, Outputs: { Size: { Value: { Ref: 'Size' } } } });
    await env.cfn.send(new CreateStackCommand({ StackName: 'json', TemplateBody: body }));
    env.clock.advance(100);
    expect((await env.cfn.send(new GetTemplateCommand({ StackName: 'json' }))).TemplateBody).toBe(body);
    const stack = (await env.cfn.send(new DescribeStacksCommand({ StackName: 'json' }))).Stacks?.[0];
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack?.Outputs).toEqual([{ OutputKey: 'Size', OutputValue: 'small' }]);
  });

  it('rejects a taken name unless the same ClientRequestToken is retried', async () => {
    const { StackId } = await create();
    expect((await create()).StackId).toBe(StackId);
    const e = await rejection(create({ ClientRequestToken: 'another' }));
    expect(e.name).toBe('AlreadyExistsException');
    expect(e.message).toBe('Stack [demo] already exists');
    expect(env.fake.count({ action: 'CreateStack' })).toBe(3);
  });

  it('validates parameters, names and capabilities', async () => {
    const missing = await rejection(create({ Parameters: [] }));
    expect(missing.name).toBe('ValidationError');
    expect(missing.message).toBe('Parameters: [ApiKey] must have values');
    const unknown = await rejection(create({ Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'k' }, { ParameterKey: 'Nope', ParameterValue: 'x' }] }));
    expect(unknown.message).toBe('Parameters: [Nope] do not exist in the template');
    const allowed = await rejection(create({ Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'k' }, { ParameterKey: 'UseTurn', ParameterValue: 'maybe' }] }));
    expect(allowed.message).toBe("Parameter 'UseTurn' must be one of AllowedValues");
    expect((await rejection(create({ StackName: '1bad_name' }))).name).toBe('ValidationError');
    const iam = JSON.stringify({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'kms' } } } });
    const caps = await rejection(env.cfn.send(new CreateStackCommand({ StackName: 'iam', TemplateBody: iam, Capabilities: ['CAPABILITY_IAM'] })));
    expect(caps.name).toBe('InsufficientCapabilitiesException');
    expect(caps.message).toBe('Requires capabilities : [CAPABILITY_NAMED_IAM]');
    const bad = await rejection(env.cfn.send(new CreateStackCommand({ StackName: 'bad', TemplateBody: 'Resources: {}' })));
    expect(bad.message).toMatch(/^Template format error/);
  });
});
