/** EC2 actions (API version 2016-11-15, EC2 query protocol): instances, images, regions, zones; offerings and key pairs in `ec2-offerings.ts`. */
import { AwsError } from './errors.js';
import { applyFilters, availabilityZones, filters } from './ec2-filters.js';
import { describeInstanceTypeOfferings, describeKeyPairs } from './ec2-offerings.js';
import { instanceTags, type InstanceRecord } from './fleet.js';
import { decodeToken, encodeToken, scalarList } from './form.js';
import { hex, stableHex } from './ids.js';
import { page, type Handler, type ServiceDef } from './service.js';
import type { ImageRecord } from './world.js';
import { iso, type XmlObject } from './xml.js';

/** The regions DescribeRegions lists (commercial regions without opt-in). */
export const REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1',
  'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2',
];

const STATE_CODES = { running: 16, 'shutting-down': 32, terminated: 48 } as const;

const tagSet = (tags: Record<string, string>): XmlObject[] => Object.entries(tags).map(([key, value]) => ({ key, value }));

const describeInstances: Handler = ({ params, t, world }) => {
  const { fleet, options } = world;
  const all = fleet.instancesAt(t);
  const ids = scalarList(params, 'InstanceId');
  const missing = ids.filter((id) => !all.some((i) => i.id === id));
  if (missing.length) {
    throw new AwsError('InvalidInstanceID.NotFound', missing.length === 1 ? `The instance ID '${missing[0]}' does not exist` : `The instance IDs '${missing.join(', ')}' do not exist`);
  }
  const field = (i: InstanceRecord, name: string): string | undefined =>
    ({
      'instance-state-name': fleet.state(i, t),
      'instance-id': i.id,
      'instance-type': i.type,
      'private-ip-address': i.privateIp,
      'availability-zone': i.az,
      'image-id': i.imageId,
    })[name];
  const selected = applyFilters(all.filter((i) => !ids.length || ids.includes(i.id)), filters(params), field, instanceTags);
  const size = params.MaxResults ? Number(params.MaxResults) : 1000;
  const { items, next } = page(selected, Math.min(size, 1000), params.NextToken ? (decodeToken(params.NextToken) ?? 0) : 0);
  return {
    reservationSet: items.map((i) => {
      const state = fleet.state(i, t);
      const dashed = i.publicIp.replace(/\./g, '-');
      return {
        reservationId: `r-${stableHex(i.id, 17)}`,
        ownerId: options.accountId,
        groupSet: [],
        instancesSet: [{
          instanceId: i.id,
          imageId: i.imageId,
          instanceState: { code: STATE_CODES[state], name: state },
          privateDnsName: `ip-${i.privateIp.replace(/\./g, '-')}.${options.region}.compute.internal`,
          dnsName: state === 'terminated' ? '' : `ec2-${dashed}.${options.region}.compute.amazonaws.com`,
          amiLaunchIndex: 0,
          instanceType: i.type,
          launchTime: iso(i.group.launched.ts),
          placement: { availabilityZone: i.az, tenancy: 'default' },
          monitoring: { state: 'disabled' },
          subnetId: i.subnetId,
          privateIpAddress: i.privateIp,
          ipAddress: state === 'terminated' ? undefined : i.publicIp,
          architecture: 'x86_64',
          rootDeviceType: 'ebs',
          tagSet: tagSet(instanceTags(i)),
        }],
      };
    }),
    nextToken: next === undefined ? undefined : encodeToken(next),
  };
};

const describeImages: Handler = ({ params, world }) => {
  const owners = scalarList(params, 'Owner').map((o) => (o === 'self' ? world.options.accountId : o));
  const ids = scalarList(params, 'ImageId');
  const missing = ids.filter((id) => !world.images.some((i) => i.imageId === id));
  if (missing.length) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
  const field = (i: ImageRecord, name: string): string | undefined => ({ name: i.name, 'image-id': i.imageId, state: 'available', 'owner-id': i.ownerId })[name];
  const candidates = world.images.filter((i) => (!owners.length || owners.includes(i.ownerId)) && (!ids.length || ids.includes(i.imageId)));
  const images = applyFilters(candidates, filters(params), field, (i) => i.tags);
  return {
    imagesSet: images.map((i) => ({
      imageId: i.imageId,
      imageLocation: `${i.ownerId}/${i.name}`,
      imageState: 'available',
      imageOwnerId: i.ownerId,
      creationDate: iso(i.creationDate),
      isPublic: false,
      architecture: 'x86_64',
      imageType: 'machine',
      name: i.name,
      rootDeviceType: 'ebs',
      rootDeviceName: '/dev/xvda',
      virtualizationType: 'hvm',
      hypervisor: 'xen',
      enaSupport: true,
      tagSet: tagSet(i.tags),
    })),
  };
};

const describeRegions: Handler = ({ params }) => {
  const names = scalarList(params, 'RegionName');
  return {
    regionInfo: REGIONS.filter((r) => !names.length || names.includes(r)).map((r) => ({ regionName: r, regionEndpoint: `ec2.${r}.amazonaws.com`, optInStatus: 'opt-in-not-required' })),
  };
};

const describeAvailabilityZones: Handler = ({ params, world }) => {
  const { region } = world.options;
  const names = scalarList(params, 'ZoneName');
  const zones = availabilityZones(region).filter((z) => !names.length || names.includes(z.name));
  const field = (z: { name: string; id: string }, name: string): string | undefined =>
    ({ 'zone-name': z.name, 'zone-id': z.id, state: 'available', 'region-name': region, 'zone-type': 'availability-zone', 'opt-in-status': 'opt-in-not-required' })[name];
  return {
    availabilityZoneInfo: applyFilters(zones, filters(params), field).map((z) => ({
      zoneName: z.name,
      zoneId: z.id,
      zoneState: 'available',
      regionName: region,
      zoneType: 'availability-zone',
      optInStatus: 'opt-in-not-required',
    })),
  };
};

/** A new AMI id. */
export function newImageId(): string {
  return `ami-${hex(17)}`;
}

/** The EC2 service. */
export const ec2: ServiceDef = {
  name: 'ec2',
  version: '2016-11-15',
  xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  protocol: 'ec2',
  actions: {
    DescribeInstances: describeInstances,
    DescribeImages: describeImages,
    DescribeRegions: describeRegions,
    DescribeAvailabilityZones: describeAvailabilityZones,
    DescribeInstanceTypeOfferings: describeInstanceTypeOfferings,
    DescribeKeyPairs: describeKeyPairs,
  },
};
