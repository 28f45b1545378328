import { DescribeAvailabilityZonesCommand, DescribeInstanceTypeOfferingsCommand, DescribeKeyPairsCommand } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();

const offerings = async (LocationType: 'region' | 'availability-zone' | 'availability-zone-id' | undefined, types: string[]) => {
  const out = await env.ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType, Filters: [{ Name: 'instance-type', Values: types }] }));
  return (out.InstanceTypeOfferings ?? []).map((o) => `${o.InstanceType}@${o.Location}`);
};

describe('EC2 instance type offerings, key pairs and zones', () => {
  it('offers every well-formed instance type in the region and its three zones', async () => {
    expect(await offerings(undefined, ['c5.xlarge'])).toEqual(['c5.xlarge@eu-west-1']);
    expect(await offerings('availability-zone', ['c5.xlarge', 'x9z.huge', 'Bad.Type'])).toEqual([
      'c5.xlarge@eu-west-1a', 'c5.xlarge@eu-west-1b', 'c5.xlarge@eu-west-1c',
      'x9z.huge@eu-west-1a', 'x9z.huge@eu-west-1b', 'x9z.huge@eu-west-1c',
    ]);
    expect(await offerings('availability-zone-id', ['t3.micro'])).toEqual(['t3.micro@euw1-az1', 't3.micro@euw1-az2', 't3.micro@euw1-az3']);
    const wildcard = await offerings('region', ['c6i.*']);
    expect(wildcard).toEqual(['c6i.large@eu-west-1', 'c6i.xlarge@eu-west-1', 'c6i.2xlarge@eu-west-1', 'c6i.4xlarge@eu-west-1']);
    const all = await env.ec2.send(new DescribeInstanceTypeOfferingsCommand({}));
    expect(all.InstanceTypeOfferings?.length).toBeGreaterThan(20);
    expect(env.fake.requests[0]).toMatchObject({ service: 'ec2', action: 'DescribeInstanceTypeOfferings', params: { 'Filter.1.Name': 'instance-type' } });
  });

  it('withholds seeded instance types, everywhere or in some zones', async () => {
    env.fake.withholdInstanceType('c5.4xlarge');
    env.fake.withholdInstanceType('m5.large', ['eu-west-1b']);
    expect(await offerings('region', ['c5.4xlarge', 'm5.large'])).toEqual(['m5.large@eu-west-1']);
    expect(await offerings('availability-zone', ['c5.4xlarge', 'm5.large'])).toEqual(['m5.large@eu-west-1a', 'm5.large@eu-west-1c']);
    const byZone = await env.ec2.send(
      new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'location', Values: ['eu-west-1b'] }, { Name: 'instance-type', Values: ['m5.large', 't3.micro'] }] }),
    );
    expect(byZone.InstanceTypeOfferings?.map((o) => o.InstanceType)).toEqual(['t3.micro']);
  });

  it('describes seeded key pairs and answers InvalidKeyPair.NotFound for a missing one', async () => {
    const id = env.fake.addKeyPair('ops');
    env.fake.addKeyPair('other');
    const out = await env.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ops'] }));
    expect(out.KeyPairs).toEqual([expect.objectContaining({ KeyName: 'ops', KeyPairId: id, KeyType: 'rsa' })]);
    expect((await env.ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs?.map((k) => k.KeyName)).toEqual(['ops', 'other']);
    const missing = await rejection(env.ec2.send(new DescribeKeyPairsCommand({ KeyNames: ['ops', 'lost'] })));
    expect(missing.name).toBe('InvalidKeyPair.NotFound');
    expect(missing.message).toBe("The key pair 'lost' does not exist");
    expect(env.fake.requests[0]?.params).toMatchObject({ 'KeyName.1': 'ops' });
  });

  it('describes the three availability zones, filtered by name', async () => {
    const all = await env.ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(all.AvailabilityZones?.map((z) => `${z.ZoneName} ${z.ZoneId}`)).toEqual(['eu-west-1a euw1-az1', 'eu-west-1b euw1-az2', 'eu-west-1c euw1-az3']);
    const one = await env.ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['eu-west-1c'] }));
    expect(one.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['eu-west-1c']);
  });
});
