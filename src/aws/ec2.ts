import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, DescribeInstancesCommand, DescribeInstanceTypeOfferingsCommand, DescribeKeyPairsCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { attachDebugLog, clientConfig, type AwsTarget } from './config.js';
import { awsCall, isAwsFailure } from './errors.js';
import type { ComputeApi, Instance } from './compute-api.js';

const IDS_PER_CALL = 1000;

/** The EC2 + Auto Scaling facade over the SDK clients. */
export function createComputeApi(target: AwsTarget): ComputeApi {
  const ec2 = new EC2Client(clientConfig(target, 'EC2'));
  const asg = new AutoScalingClient(clientConfig(target, 'AUTO_SCALING'));
  attachDebugLog(ec2, 'ec2', target);
  attachDebugLog(asg, 'autoscaling', target);

  return {
    async instances(ids) {
      const found: Instance[] = [];
      for (let i = 0; i < ids.length; i += IDS_PER_CALL) {
        const batch = ids.slice(i, i + IDS_PER_CALL);
        const out = await awsCall('ec2:DescribeInstances', () => ec2.send(new DescribeInstancesCommand({ InstanceIds: batch })));
        for (const r of out.Reservations ?? []) {
          for (const x of r.Instances ?? []) {
            found.push({
              id: x.InstanceId ?? '',
              type: x.InstanceType ?? '',
              state: x.State?.Name ?? 'unknown',
              ...(x.PrivateIpAddress ? { privateIp: x.PrivateIpAddress } : {}),
              ...(x.PublicIpAddress ? { publicIp: x.PublicIpAddress } : {}),
              ...(x.Placement?.AvailabilityZone ? { zone: x.Placement.AvailabilityZone } : {}),
            });
          }
        }
      }
      return found;
    },

    async groups(names) {
      if (names.length === 0) return []; // an empty filter would return every group in the region
      const out = await awsCall('autoscaling:DescribeAutoScalingGroups', () =>
        asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [...names] })),
      );
      return (out.AutoScalingGroups ?? []).map((g) => ({
        name: g.AutoScalingGroupName ?? '',
        min: g.MinSize ?? 0,
        max: g.MaxSize ?? 0,
        desired: g.DesiredCapacity ?? 0,
        instanceIds: (g.Instances ?? []).flatMap((i) => (i.InstanceId ? [i.InstanceId] : [])),
      }));
    },

    async ownImages(tagKey) {
      const out = await awsCall('ec2:DescribeImages', () =>
        ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: [{ Name: 'tag-key', Values: [tagKey] }] })),
      );
      return (out.Images ?? []).flatMap((img) => {
        const version = img.Tags?.find((t) => t.Key === tagKey)?.Value;
        return version && img.ImageId ? [{ imageId: img.ImageId, name: img.Name ?? '', version }] : [];
      });
    },

    async zonesOffering(instanceType) {
      const out = await awsCall('ec2:DescribeInstanceTypeOfferings', () =>
        ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: [instanceType] }] })),
      );
      return (out.InstanceTypeOfferings ?? []).flatMap((o) => (o.Location ? [o.Location] : [])).sort();
    },

    async keyPairExists(name) {
      try {
        const out = await awsCall('ec2:DescribeKeyPairs', () => ec2.send(new DescribeKeyPairsCommand({ KeyNames: [name] })));
        return (out.KeyPairs ?? []).length > 0;
      } catch (error) {
        if (isAwsFailure(error) && (error.kind === 'not-found' || error.code === 'InvalidKeyPair.NotFound')) return false;
        throw error;
      }
    },

    async regions() {
      const out = await awsCall('ec2:DescribeRegions', () => ec2.send(new DescribeRegionsCommand({})));
      return (out.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])).sort();
    },
  };
}
