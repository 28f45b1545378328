import { CreateStackCommand, DeleteStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, UpdateTerminationProtectionCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { CLUSTER_YAML, rejection, useFake } from './helpers.js';

const env = useFake();

const create = (extra: Partial<ConstructorParameters<typeof CreateStackCommand>[0]> = {}) =>
  env.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: CLUSTER_YAML, Parameters: [{ ParameterKey: 'ApiKey', ParameterValue: 'k' }], ...extra }));

/** Resource events oldest first, as `LogicalId STATUS`. */
async function timeline(nameOrId: string): Promise<string[]> {
  const out = await env.cfn.send(new DescribeStackEventsCommand({ StackName: nameOrId }));
  return (out.StackEvents ?? []).reverse().map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`);
}

const status = async (nameOrId: string) => (await env.cfn.send(new DescribeStacksCommand({ StackName: nameOrId }))).Stacks?.[0];

describe('failed creates', () => {
  it('rolls back the created resources in reverse order and ends ROLLBACK_COMPLETE', async () => {
    env.fake.scenario.failNextCreate('LaunchTemplate', 'Instance type not supported');
    await create();
    env.clock.advance(10_000);
    expect(await timeline('demo')).toEqual([
      'demo CREATE_IN_PROGRESS',
      'Vpc CREATE_IN_PROGRESS', 'Vpc CREATE_COMPLETE',
      'Subnet CREATE_IN_PROGRESS', 'Subnet CREATE_COMPLETE',
      'SecurityGroup CREATE_IN_PROGRESS', 'SecurityGroup CREATE_COMPLETE',
      'Bucket CREATE_IN_PROGRESS', 'Bucket CREATE_COMPLETE',
      'LaunchTemplate CREATE_IN_PROGRESS', 'LaunchTemplate CREATE_FAILED',
      'demo ROLLBACK_IN_PROGRESS',
      'LaunchTemplate DELETE_IN_PROGRESS', 'LaunchTemplate DELETE_COMPLETE',
      'Bucket DELETE_SKIPPED',
      'SecurityGroup DELETE_IN_PROGRESS', 'SecurityGroup DELETE_COMPLETE',
      'Subnet DELETE_IN_PROGRESS', 'Subnet DELETE_COMPLETE',
      'Vpc DELETE_IN_PROGRESS', 'Vpc DELETE_COMPLETE',
      'demo ROLLBACK_COMPLETE',
    ]);
    const events = (await env.cfn.send(new DescribeStackEventsCommand({ StackName: 'demo' }))).StackEvents ?? [];
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')?.ResourceStatusReason).toBe('Instance type not supported');
    expect(events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')?.ResourceStatusReason).toBe(
      'The following resource(s) failed to create: [LaunchTemplate]. Rollback requested by user.',
    );
    expect((await status('demo'))?.StackStatus).toBe('ROLLBACK_COMPLETE');
    expect((await status('demo'))?.Outputs).toBeUndefined();
    // The scenario is used once: the next create succeeds.
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    env.clock.advance(10_000);
    await create();
    env.clock.advance(10_000);
    expect((await status('demo'))?.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('ends ROLLBACK_FAILED when the rollback of a resource fails', async () => {
    env.fake.scenario.failNextCreate('NodeGroup');
    env.fake.scenario.failNextRollback('SecurityGroup');
    await create();
    env.clock.advance(10_000);
    const events = await timeline('demo');
    expect(events.slice(-4)).toEqual(['Bucket DELETE_SKIPPED', 'SecurityGroup DELETE_IN_PROGRESS', 'SecurityGroup DELETE_FAILED', 'demo ROLLBACK_FAILED']);
    expect(env.fake.stack('demo')?.status).toBe('ROLLBACK_FAILED');
  });

  it('deletes the stack instead with OnFailure=DELETE', async () => {
    env.fake.scenario.failNextCreate('Subnet');
    const { StackId } = await create({ OnFailure: 'DELETE' });
    env.clock.advance(10_000);
    expect(await timeline(StackId ?? '')).toEqual([
      'demo CREATE_IN_PROGRESS',
      'Vpc CREATE_IN_PROGRESS', 'Vpc CREATE_COMPLETE',
      'Subnet CREATE_IN_PROGRESS', 'Subnet CREATE_FAILED',
      'demo DELETE_IN_PROGRESS',
      'Subnet DELETE_IN_PROGRESS', 'Subnet DELETE_COMPLETE',
      'Vpc DELETE_IN_PROGRESS', 'Vpc DELETE_COMPLETE',
      'demo DELETE_COMPLETE',
    ]);
  });
});

describe('DeleteStack', () => {
  it('deletes in reverse order, skips retained resources and forgets the name', async () => {
    const { StackId } = await create({ ClientRequestToken: 'c1' });
    env.clock.advance(10_000);
    expect(env.fake.instanceCount()).toBe(2);
    const t = env.clock.ms;
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo', ClientRequestToken: 'd1' }));
    expect((await status('demo'))?.StackStatus).toBe('DELETE_IN_PROGRESS');
    env.clock.advance(10_000);
    const events = await timeline(StackId ?? '');
    expect(events.slice(16)).toEqual([
      'demo DELETE_IN_PROGRESS',
      'LoadBalancer DELETE_IN_PROGRESS', 'LoadBalancer DELETE_COMPLETE',
      'NodeGroup DELETE_IN_PROGRESS', 'NodeGroup DELETE_COMPLETE',
      'LaunchTemplate DELETE_IN_PROGRESS', 'LaunchTemplate DELETE_COMPLETE',
      'Bucket DELETE_SKIPPED',
      'SecurityGroup DELETE_IN_PROGRESS', 'SecurityGroup DELETE_COMPLETE',
      'Subnet DELETE_IN_PROGRESS', 'Subnet DELETE_COMPLETE',
      'Vpc DELETE_IN_PROGRESS', 'Vpc DELETE_COMPLETE',
      'demo DELETE_COMPLETE',
    ]);
    const raw = (await env.cfn.send(new DescribeStackEventsCommand({ StackName: StackId }))).StackEvents ?? [];
    expect(raw.filter((e) => e.ClientRequestToken === 'd1')).toHaveLength(15);
    expect(env.fake.instanceCount()).toBe(0);

    const byName = await rejection(status('demo'));
    expect(byName.name).toBe('ValidationError');
    expect(byName.message).toBe('Stack with id demo does not exist');
    expect((await rejection(timeline('demo'))).message).toBe('Stack [demo] does not exist');
    const byId = await status(StackId ?? '');
    expect(byId).toMatchObject({ StackStatus: 'DELETE_COMPLETE', DeletionTime: new Date(t), LastUpdatedTime: new Date(t) });
    // Deleting again (or an unknown stack) is a no-op, like AWS.
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    await env.cfn.send(new DeleteStackCommand({ StackName: StackId }));
  });

  it('ends DELETE_FAILED at the failing resource and can be retried', async () => {
    await create();
    env.clock.advance(10_000);
    env.fake.scenario.failNextDelete('SecurityGroup', 'resource sg-1 has a dependent object');
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    env.clock.advance(10_000);
    const stack = await status('demo');
    expect(stack?.StackStatus).toBe('DELETE_FAILED');
    expect(stack?.StackStatusReason).toBe('The following resource(s) failed to delete: [SecurityGroup]. ');
    expect((await timeline('demo')).slice(-3)).toEqual(['SecurityGroup DELETE_IN_PROGRESS', 'SecurityGroup DELETE_FAILED', 'demo DELETE_FAILED']);
    expect(env.fake.stack('demo')?.resources.filter((r) => r.status !== 'DELETE_COMPLETE').map((r) => `${r.logicalId} ${r.status}`)).toEqual([
      'Vpc CREATE_COMPLETE', 'Subnet CREATE_COMPLETE', 'SecurityGroup DELETE_FAILED', 'Bucket DELETE_SKIPPED',
    ]);
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    env.clock.advance(10_000);
    expect((await timeline(env.fake.stack('demo')?.id ?? '')).slice(-8)).toEqual([
      'demo DELETE_IN_PROGRESS',
      'SecurityGroup DELETE_IN_PROGRESS', 'SecurityGroup DELETE_COMPLETE',
      'Subnet DELETE_IN_PROGRESS', 'Subnet DELETE_COMPLETE',
      'Vpc DELETE_IN_PROGRESS', 'Vpc DELETE_COMPLETE',
      'demo DELETE_COMPLETE',
    ]);
    expect(env.fake.stack('demo')?.status).toBe('DELETE_COMPLETE');
  });

  it('refuses while termination protection is on', async () => {
    await create({ EnableTerminationProtection: true });
    env.clock.advance(10_000);
    const e = await rejection(env.cfn.send(new DeleteStackCommand({ StackName: 'demo' })));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toBe('Stack [demo] cannot be deleted while TerminationProtection is enabled');
    await env.cfn.send(new UpdateTerminationProtectionCommand({ StackName: 'demo', EnableTerminationProtection: false }));
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    expect(env.fake.stack('demo')?.status).toBe('DELETE_IN_PROGRESS');
  });

  it('stops a create in progress where it is and deletes what exists', async () => {
    await create();
    env.clock.advance(3 * env.step);
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    env.clock.advance(10_000);
    expect(await timeline(env.fake.stack('demo')?.id ?? '')).toEqual([
      'demo CREATE_IN_PROGRESS',
      'Vpc CREATE_IN_PROGRESS', 'Vpc CREATE_COMPLETE',
      'Subnet CREATE_IN_PROGRESS',
      'demo DELETE_IN_PROGRESS',
      'Subnet DELETE_IN_PROGRESS', 'Subnet DELETE_COMPLETE',
      'Vpc DELETE_IN_PROGRESS', 'Vpc DELETE_COMPLETE',
      'demo DELETE_COMPLETE',
    ]);
    expect(env.fake.instanceCount()).toBe(0);
  });
});
