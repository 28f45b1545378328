/**
 * EC2 DescribeInstanceTypeOfferings and DescribeKeyPairs. Every well-formed instance type
 * (`family.size`) is offered in the region and its three zones unless `withholdInstanceType` took
 * it away; a request without an `instance-type` filter lists {@link INSTANCE_CATALOGUE}.
 */
import { AwsError } from './errors.js';
import { applyFilters, availabilityZones, filters } from './ec2-filters.js';
import { decodeToken, encodeToken, scalarList } from './form.js';
import { hex } from './ids.js';
import { page, type Handler } from './service.js';
import type { World } from './world.js';
import { iso } from './xml.js';

/** A key pair registered with `addKeyPair`. */
export interface KeyPairRecord {
  name: string;
  id: string;
  fingerprint: string;
  created: number;
}

/** Instance types listed when a request does not filter by type. */
export const INSTANCE_CATALOGUE = [
  't3.micro', 't3.small', 't3.medium', 't3.large', 't3.xlarge', 't3.2xlarge',
  'c5.large', 'c5.xlarge', 'c5.2xlarge', 'c5.4xlarge', 'c5.9xlarge', 'c6i.large', 'c6i.xlarge', 'c6i.2xlarge', 'c6i.4xlarge',
  'c7g.large', 'c7g.xlarge', 'c7g.2xlarge', 'm5.large', 'm5.xlarge', 'm5.2xlarge', 'm6i.large', 'm6i.xlarge', 'm6i.2xlarge',
  'r5.large', 'r5.xlarge',
];

const WELL_FORMED = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;
const hasWildcard = (v: string): boolean => /[*?]/.test(v);

/** Registers a key pair; returns its id. */
export function seedKeyPair(world: World, name: string): string {
  const id = `key-${hex(17)}`;
  const fingerprint = hex(40).replace(/(..)(?!$)/g, '$1:');
  world.keyPairs.push({ name, id, fingerprint, created: world.options.now() });
  return id;
}

/** Whether `type` is offered at a location (a zone name, or the region). */
function offered(world: World, type: string, zone: string | undefined): boolean {
  if (!world.withheldTypes.has(type)) return true;
  const zones = world.withheldTypes.get(type);
  if (!zones) return false;
  if (zone === undefined) return availabilityZones(world.options.region).some((z) => !zones.includes(z.name));
  return !zones.includes(zone);
}

/** DescribeInstanceTypeOfferings. */
export const describeInstanceTypeOfferings: Handler = ({ params, world }) => {
  const { region } = world.options;
  const locationType = params.LocationType ?? 'region';
  const fs = filters(params);
  const wanted = fs.filter((f) => f.name === 'instance-type').flatMap((f) => f.values);
  const explicit = wanted.filter((v) => !hasWildcard(v) && WELL_FORMED.test(v));
  const types = [...new Set([...(wanted.length && !wanted.some(hasWildcard) ? [] : INSTANCE_CATALOGUE), ...explicit])];
  let locations: { location: string; zone?: string }[];
  if (locationType === 'region') locations = [{ location: region }];
  else if (locationType === 'availability-zone') locations = availabilityZones(region).map((z) => ({ location: z.name, zone: z.name }));
  else if (locationType === 'availability-zone-id') locations = availabilityZones(region).map((z) => ({ location: z.id, zone: z.name }));
  else throw new AwsError('InvalidParameterValue', `Value (${locationType}) for parameter locationType is invalid.`);
  const all = types.flatMap((type) => locations.filter((l) => offered(world, type, l.zone)).map((l) => ({ type, location: l.location })));
  const field = (o: { type: string; location: string }, name: string): string | undefined => ({ 'instance-type': o.type, location: o.location })[name];
  const shown = applyFilters(all, fs, field);
  const size = Math.min(Number(params.MaxResults ?? 1000), 1000);
  const { items, next } = page(shown, size, params.NextToken ? (decodeToken(params.NextToken) ?? 0) : 0);
  return {
    instanceTypeOfferingSet: items.map((o) => ({ instanceType: o.type, locationType, location: o.location })),
    nextToken: next === undefined ? undefined : encodeToken(next),
  };
};

/** DescribeKeyPairs. */
export const describeKeyPairs: Handler = ({ params, world }) => {
  const names = scalarList(params, 'KeyName');
  const ids = scalarList(params, 'KeyPairId');
  const missingName = names.find((n) => !world.keyPairs.some((k) => k.name === n));
  if (missingName !== undefined) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${missingName}' does not exist`);
  const missingId = ids.find((id) => !world.keyPairs.some((k) => k.id === id));
  if (missingId !== undefined) throw new AwsError('InvalidKeyPair.NotFound', `The key pair '${missingId}' does not exist`);
  const selected = world.keyPairs.filter((k) => (!names.length || names.includes(k.name)) && (!ids.length || ids.includes(k.id)));
  const field = (k: KeyPairRecord, name: string): string | undefined =>
    ({ 'key-name': k.name, 'key-pair-id': k.id, fingerprint: k.fingerprint, 'key-type': 'rsa' })[name];
  return {
    keySet: applyFilters(selected, filters(params), field, () => ({})).map((k) => ({
      keyPairId: k.id,
      keyFingerprint: k.fingerprint,
      keyName: k.name,
      keyType: 'rsa',
      tagSet: [],
      createTime: iso(k.created),
    })),
  };
};
