/** Route 53 (REST-XML, 2013-04-01): GetHostedZone, ListResourceRecordSets, ListHostedZonesByName. */
import { AwsError } from './errors.js';
import { stableHex } from './ids.js';
import { xmlDocument, type RestContext, type RestResult, type RestXmlServiceDef } from './protocol-rest-xml.js';
import { compareRecords, findZone, fqdn, recordsAt, sortKey, type RecordEntry, type ZoneRecord } from './route53-zones.js';
import type { XmlObject } from './xml.js';

const XMLNS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const ITEMS = { NameServers: 'NameServer', VPCs: 'VPC', ResourceRecordSets: 'ResourceRecordSet', ResourceRecords: 'ResourceRecord', HostedZones: 'HostedZone' };
const TYPES = ['A', 'AAAA', 'CAA', 'CNAME', 'DS', 'HTTPS', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'SSHFP', 'SVCB', 'TLSA', 'TXT'];

const invalidInput = (message: string): AwsError => new AwsError('InvalidInput', message);

function zoneOf({ labels, world }: RestContext): ZoneRecord {
  const id = labels.Id ?? '';
  const zone = findZone(world, id);
  if (!zone) throw new AwsError('NoSuchHostedZone', `No hosted zone found with ID: ${id.replace(/^\/?hostedzone\//, '')}`, 404);
  return zone;
}

function zoneXml(zone: ZoneRecord, t: number): XmlObject {
  return {
    Id: `/hostedzone/${zone.id}`,
    Name: zone.name,
    CallerReference: zone.callerReference,
    Config: { PrivateZone: zone.private },
    ResourceRecordSetCount: recordsAt(zone, t).length,
  };
}

function recordXml(r: RecordEntry): XmlObject {
  const alias = r.alias ? { HostedZoneId: r.alias.hostedZoneId, DNSName: r.alias.dnsName, EvaluateTargetHealth: r.alias.evaluateTargetHealth } : undefined;
  return {
    Name: r.name,
    Type: r.type,
    TTL: r.alias ? undefined : r.ttl,
    ResourceRecords: r.alias ? undefined : r.values.map((Value) => ({ Value })),
    AliasTarget: alias,
  };
}

function maxItems(query: URLSearchParams, fallback: number): number {
  const raw = query.get('maxitems');
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidInput(`1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must be a positive integer`);
  return Math.min(n, fallback);
}

function getHostedZone(ctx: RestContext): RestResult {
  const zone = zoneOf(ctx);
  const vpc = { VPCRegion: ctx.world.options.region, VPCId: `vpc-${stableHex(zone.id, 17)}` };
  const delegation = zone.private ? undefined : { NameServers: zone.nameServers.map((ns) => ns.replace(/\.$/, '')) };
  const body = { HostedZone: zoneXml(zone, ctx.t), DelegationSet: delegation, VPCs: zone.private ? [vpc] : undefined };
  return { xml: xmlDocument('GetHostedZoneResponse', XMLNS, body, ITEMS) };
}

function listResourceRecordSets(ctx: RestContext): RestResult {
  const zone = zoneOf(ctx);
  const { query } = ctx;
  const name = query.get('name');
  const type = query.get('type');
  if (type !== null && name === null) throw invalidInput('The input is not valid: StartRecordType requires StartRecordName');
  if (type !== null && !TYPES.includes(type)) throw invalidInput(`Invalid type: ${type}`);
  const max = maxItems(query, 300);
  const start = name === null ? undefined : { name: fqdn(name), type: type ?? '' };
  const from = recordsAt(zone, ctx.t).filter((r) => !start || compareRecords(r, start) >= 0);
  const shown = from.slice(0, max);
  const next = from[max];
  const body = {
    ResourceRecordSets: shown.map(recordXml),
    IsTruncated: next !== undefined,
    NextRecordName: next?.name,
    NextRecordType: next?.type,
    MaxItems: max,
  };
  return { xml: xmlDocument('ListResourceRecordSetsResponse', XMLNS, body, ITEMS) };
}

function listHostedZonesByName({ query, t, world }: RestContext): RestResult {
  const dnsName = query.get('dnsname');
  const zoneId = query.get('hostedzoneid');
  if (zoneId !== null && dnsName === null) throw invalidInput('The input is not valid: HostedZoneId requires DNSName');
  const max = maxItems(query, 100);
  const key = (z: ZoneRecord): string => `${sortKey(z.name)} ${z.id}`;
  const startKey = dnsName === null ? '' : `${sortKey(dnsName)} ${zoneId ?? ''}`;
  const from = [...world.zones].sort((a, b) => (key(a) < key(b) ? -1 : 1)).filter((z) => key(z) >= startKey);
  const next = from[max];
  const body = {
    HostedZones: from.slice(0, max).map((z) => zoneXml(z, t)),
    DNSName: dnsName ?? undefined,
    HostedZoneId: zoneId ?? undefined,
    IsTruncated: next !== undefined,
    NextDNSName: next?.name,
    NextHostedZoneId: next?.id,
    MaxItems: max,
  };
  return { xml: xmlDocument('ListHostedZonesByNameResponse', XMLNS, body, ITEMS) };
}

/** The Route 53 service. */
export const route53: RestXmlServiceDef = {
  name: 'route53',
  style: 'route53',
  xmlns: XMLNS,
  routes: [
    { method: 'GET', path: /^\/2013-04-01\/hostedzone\/(?<Id>.+)\/rrset\/?$/, action: 'ListResourceRecordSets' },
    { method: 'GET', path: /^\/2013-04-01\/hostedzonesbyname\/?$/, action: 'ListHostedZonesByName' },
    { method: 'GET', path: /^\/2013-04-01\/hostedzone\/(?<Id>.+)$/, action: 'GetHostedZone' },
  ],
  actions: { GetHostedZone: getHostedZone, ListResourceRecordSets: listResourceRecordSets, ListHostedZonesByName: listHostedZonesByName },
};
