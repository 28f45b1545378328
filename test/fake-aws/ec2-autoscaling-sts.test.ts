import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAvailabilityZonesCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeRegionsCommand, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { CLUSTER_YAML, rejection, useFake } from './helpers.js';

const env = useFake();

async function createCluster(desired: string): Promise<void> {
  await env.cfn.send(
    new CreateStackCommand({
      StackName: 'demo',
      TemplateBody: CLUSTER_YAML,
      Parameters: [
        { ParameterKey: 'ApiKey', ParameterValue: 'k' },
        { ParameterKey: 'DesiredCapacity', ParameterValue: desired },
        { ParameterKey: 'InstanceType', ParameterValue: 'c6i.large' },
      ],
    }),
  );
}

describe('instances of stack Auto Scaling groups', () => {
  it('launches DesiredCapacity instances when the group completes and finds them by filters', async () => {
    await createCluster('3');
    const groupCompletes = 12 * env.step; // NodeGroup is the 6th resource: CREATE_COMPLETE at t0 + 12 steps.
    env.clock.advance(groupCompletes - 1);
    expect(env.fake.instanceCount()).toBe(0);
    env.clock.advance(1);
    expect(env.fake.instanceCount()).toBe(3);
    const group = env.fake.stack('demo')?.resources.find((r) => r.logicalId === 'NodeGroup')?.physicalId ?? '';

    const out = await env.ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:aws:autoscaling:groupName', Values: [group] },
          { Name: 'instance-state-name', Values: ['running', 'pending'] },
        ],
      }),
    );
    const instances = (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(instances).toHaveLength(3);
    for (const i of instances) {
      expect(i.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
      expect(i.InstanceType).toBe('c6i.large');
      expect(i.PrivateIpAddress).toMatch(/^10\.0\.\d+\.\d+$/);
      expect(i.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      expect(i.State).toEqual({ Code: 16, Name: 'running' });
      expect(i.LaunchTime).toEqual(new Date(env.clock.ms));
      expect(i.Placement?.AvailabilityZone).toMatch(/^eu-west-1[abc]$/);
      expect(i.ImageId).toBe('ami-0abcdef1234567890');
      const tags = Object.fromEntries((i.Tags ?? []).map((t) => [t.Key, t.Value]));
      expect(tags).toMatchObject({ 'aws:autoscaling:groupName': group, 'aws:cloudformation:stack-name': 'demo', Name: 'demo-kms' });
    }
    const one = await env.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instances[0]?.InstanceId ?? ''] }));
    expect(one.Reservations?.[0]?.Instances?.[0]?.InstanceId).toBe(instances[0]?.InstanceId);
    const missing = await rejection(env.ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-00000000000000000'] })));
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
    const none = await env.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['other'] }] }));
    expect(none.Reservations).toEqual([]);

    const groups = await env.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
    expect(groups.AutoScalingGroups).toHaveLength(1);
    const g = groups.AutoScalingGroups?.[0];
    expect(g).toMatchObject({ AutoScalingGroupName: group, MinSize: 0, MaxSize: 10, DesiredCapacity: 3, CreatedTime: new Date(env.clock.ms) });
    expect(g?.LaunchTemplate).toMatchObject({ LaunchTemplateId: expect.stringMatching(/^lt-/), Version: '1' });
    expect(g?.Instances?.map((i) => i.InstanceId).sort()).toEqual(instances.map((i) => i.InstanceId).sort());
    expect(g?.Instances?.[0]).toMatchObject({ LifecycleState: 'InService', HealthStatus: 'Healthy', InstanceType: 'c6i.large' });
    expect(g?.Tags?.find((t) => t.Key === 'Name')).toMatchObject({ Value: 'demo-kms', PropagateAtLaunch: true, ResourceType: 'auto-scaling-group' });
    expect((await env.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['nope'] }))).AutoScalingGroups).toEqual([]);
  });

  it('terminates the instances when the stack is deleted', async () => {
    await createCluster('2');
    env.clock.advance(10_000);
    await env.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    env.clock.advance(3 * env.step); // LoadBalancer deleted, NodeGroup DELETE_IN_PROGRESS.
    const shutting = await env.ec2.send(new DescribeInstancesCommand({}));
    expect(shutting.Reservations?.map((r) => r.Instances?.[0]?.State?.Name)).toEqual(['shutting-down', 'shutting-down']);
    expect((await env.asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups?.[0]?.Instances?.[0]?.LifecycleState).toBe('Terminating');
    env.clock.advance(10_000);
    expect(env.fake.instanceCount()).toBe(0);
    const after = await env.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['terminated'] }] }));
    expect(after.Reservations).toHaveLength(2);
    expect(after.Reservations?.[0]?.Instances?.[0]?.PublicIpAddress).toBeUndefined();
    expect((await env.asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups).toEqual([]);
  });

  it('seeds stacks with instances and pages DescribeInstances', async () => {
    env.fake.addStack({ name: 'seeded', instances: 12, outputs: { Url: 'wss://x' }, parameters: { Size: 'l' } });
    expect(env.fake.instanceCount()).toBe(12);
    const sizes: number[] = [];
    for await (const page of paginateDescribeInstances({ client: env.ec2 }, { MaxResults: 5 })) sizes.push(page.Reservations?.length ?? 0);
    expect(sizes).toEqual([5, 5, 2]);
    expect(env.fake.stack('seeded')).toMatchObject({ status: 'CREATE_COMPLETE', outputs: { Url: 'wss://x' }, parameters: { Size: 'l' } });
  });
});

describe('images, regions and identity', () => {
  it('describes own images by tag filters', async () => {
    env.fake.addImage({ imageId: 'ami-11111111111111111', name: 'kurento-7.1', tags: { 'elasticrtc:version': '7.1' } });
    env.fake.addImage({ name: 'kurento-7.0', tags: { 'elasticrtc:version': '7.0', legacy: 'yes' } });
    env.fake.addImage({ name: 'foreign', ownerId: '999999999999', tags: { 'elasticrtc:version': '6' } });
    const own = await env.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag-key', Values: ['elasticrtc:version'] }] }));
    expect(own.Images?.map((i) => i.Name)).toEqual(['kurento-7.1', 'kurento-7.0']);
    expect(own.Images?.[0]).toMatchObject({ ImageId: 'ami-11111111111111111', State: 'available', OwnerId: '123456789012', Tags: [{ Key: 'elasticrtc:version', Value: '7.1' }] });
    expect(own.Images?.[0]?.CreationDate).toBe(new Date(env.clock.ms).toISOString());
    const legacy = await env.ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag:legacy', Values: ['yes'] }] }));
    expect(legacy.Images?.map((i) => i.Name)).toEqual(['kurento-7.0']);
    const wild = await env.ec2.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: ['kurento-*'] }] }));
    expect(wild.Images).toHaveLength(2);
  });

  it('lists regions and zones', async () => {
    const regions = await env.ec2.send(new DescribeRegionsCommand({}));
    expect(regions.Regions).toHaveLength(17);
    expect(regions.Regions?.find((r) => r.RegionName === 'eu-west-1')).toEqual({ RegionName: 'eu-west-1', Endpoint: 'ec2.eu-west-1.amazonaws.com', OptInStatus: 'opt-in-not-required' });
    const zones = await env.ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(zones.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  });

  it('answers GetCallerIdentity', async () => {
    const me = await env.sts.send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/tester', UserId: expect.any(String) });
    expect(env.fake.requests.at(-1)).toMatchObject({ service: 'sts', action: 'GetCallerIdentity', status: 200, at: env.clock.ms });
  });
});
