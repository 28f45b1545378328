import { CreateStackCommand, DescribeStackEventsCommand, DescribeStackResourcesCommand, SignalResourceCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();

const signal = (stack: string, resource: string, uniqueId: string, status: 'SUCCESS' | 'FAILURE' = 'SUCCESS') =>
  env.cfn.send(new SignalResourceCommand({ StackName: stack, LogicalResourceId: resource, UniqueId: uniqueId, Status: status }));

const TEMPLATE = JSON.stringify({
  Resources: {
    Topic: { Type: 'AWS::SNS::Topic' },
    NodeGroup: { Type: 'AWS::SNS::Topic' },
    Queue: { Type: 'AWS::SQS::Queue' },
  },
});

describe('CloudFormation SignalResource', () => {
  it('accepts signals for a seeded stack in progress, records them and adds "Received … signal" events', async () => {
    const id = env.fake.addStack({
      name: 'demo',
      status: 'CREATE_IN_PROGRESS',
      resources: [{ logicalId: 'NodeGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'demo-NodeGroup-ABC' }],
    });
    env.clock.advance(1000);
    const out = await signal('demo', 'NodeGroup', 'i-0123456789abcdef0');
    expect(out.$metadata.httpStatusCode).toBe(200);
    env.clock.advance(5);
    await signal(id, 'NodeGroup', 'i-0fedcba9876543210 kms failed to start', 'FAILURE');
    const first = { stackName: 'demo', logicalResourceId: 'NodeGroup', uniqueId: 'i-0123456789abcdef0', status: 'SUCCESS', at: env.clock.ms - 5 };
    const second = { stackName: 'demo', logicalResourceId: 'NodeGroup', uniqueId: 'i-0fedcba9876543210 kms failed to start', status: 'FAILURE', at: env.clock.ms };
    expect(env.fake.signals()).toEqual([first, second]);
    expect(env.fake.signals('demo')).toEqual([first, second]);
    expect(env.fake.signals(id)).toHaveLength(2);
    expect(env.fake.signals('other')).toEqual([]);
    expect(env.fake.requests[0]).toMatchObject({ service: 'cloudformation', action: 'SignalResource', params: { StackName: 'demo', LogicalResourceId: 'NodeGroup', Status: 'SUCCESS' } });

    const events = (await env.cfn.send(new DescribeStackEventsCommand({ StackName: 'demo' }))).StackEvents ?? [];
    expect(events.slice(0, 2).map((e) => [e.LogicalResourceId, e.PhysicalResourceId, e.ResourceStatusReason])).toEqual([
      ['NodeGroup', 'demo-NodeGroup-ABC', 'Received FAILURE signal with UniqueId i-0fedcba9876543210 kms failed to start'],
      ['NodeGroup', 'demo-NodeGroup-ABC', 'Received SUCCESS signal with UniqueId i-0123456789abcdef0'],
    ]);
    expect(events[0]?.Timestamp).toEqual(new Date(env.clock.ms));
    expect(env.fake.stack('demo')?.status).toBe('CREATE_IN_PROGRESS');
  });

  it('adds the event with the resource\'s status while it is being created, and refuses signals once the stack is complete', async () => {
    const { StackId } = await env.cfn.send(new CreateStackCommand({ StackName: 'live', TemplateBody: TEMPLATE }));
    // NodeGroup (2nd resource) has no event yet: the signal is recorded, with no event.
    await signal('live', 'NodeGroup', 'i-early');
    expect(env.fake.stack('live')?.events.filter((e) => e.reason?.startsWith('Received'))).toEqual([]);
    env.clock.advance(3 * env.step); // NodeGroup CREATE_IN_PROGRESS
    await signal(StackId ?? '', 'NodeGroup', 'i-0aaaaaaaaaaaaaaaa');
    const received = env.fake.stack('live')?.events.find((e) => e.reason === 'Received SUCCESS signal with UniqueId i-0aaaaaaaaaaaaaaaa');
    expect(received).toMatchObject({ logicalId: 'NodeGroup', type: 'AWS::SNS::Topic', status: 'CREATE_IN_PROGRESS', timestamp: env.clock.ms });
    const resources = (await env.cfn.send(new DescribeStackResourcesCommand({ StackName: 'live', LogicalResourceId: 'NodeGroup' }))).StackResources ?? [];
    expect(resources[0]).toMatchObject({ ResourceStatus: 'CREATE_IN_PROGRESS', ResourceStatusReason: 'Received SUCCESS signal with UniqueId i-0aaaaaaaaaaaaaaaa' });
    env.clock.advance(env.step);
    expect(env.fake.stack('live')?.resources.find((r) => r.logicalId === 'NodeGroup')?.status).toBe('CREATE_COMPLETE');
    env.clock.advance(60_000);
    expect(env.fake.stack('live')?.status).toBe('CREATE_COMPLETE');
    const late = await rejection(signal('live', 'NodeGroup', 'i-late'));
    expect([late.name, late.message, late.$metadata?.httpStatusCode]).toEqual(['ValidationError', `Stack ${StackId} is in CREATE_COMPLETE state and cannot be signaled`, 400]);
    expect(env.fake.signals('live').map((s) => s.uniqueId)).toEqual(['i-early', 'i-0aaaaaaaaaaaaaaaa']);
  });

  it('answers ValidationError for a missing stack, a resource not in the template and bad input', async () => {
    env.fake.addStack({ name: 'demo', status: 'CREATE_IN_PROGRESS', resources: [{ logicalId: 'NodeGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'g' }] });
    const noStack = await rejection(signal('nope', 'NodeGroup', 'i-1'));
    expect([noStack.name, noStack.message, noStack.$metadata?.httpStatusCode]).toEqual(['ValidationError', 'Stack with id nope does not exist', 400]);
    const noResource = await rejection(signal('demo', 'Missing', 'i-1'));
    expect([noResource.name, noResource.message]).toEqual(['ValidationError', 'Resource Missing does not exist for stack demo']);
    const status = await rejection(env.cfn.send(new SignalResourceCommand({ StackName: 'demo', LogicalResourceId: 'NodeGroup', UniqueId: 'i-1', Status: 'MAYBE' as 'SUCCESS' })));
    expect(status.message).toMatch(/at 'status' failed to satisfy constraint: Member must satisfy enum value set: \[SUCCESS, FAILURE\]/);
    const long = await rejection(signal('demo', 'NodeGroup', 'x'.repeat(65)));
    expect(long.message).toMatch(/at 'uniqueId' failed to satisfy constraint: Member must have length less than or equal to 64/);
    expect(env.fake.signals()).toEqual([]);
  });
});
