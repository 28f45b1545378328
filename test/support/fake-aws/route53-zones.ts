/**
 * Route 53 state: hosted zones and their record sets. Names are kept as Route 53 writes them:
 * lower case, a trailing dot, `*` as `\052`. Record sets list in Route 53's order: by name with
 * the labels reversed (`com.example.www.`), then by type.
 */
import { suffix } from './ids.js';
import { aliveAt, type Lived } from './lifetime.js';
import type { World } from './world.js';

/** An alias record's target. */
export interface AliasTarget {
  hostedZoneId: string;
  dnsName: string;
  evaluateTargetHealth: boolean;
}

/** One record set. */
export interface RecordEntry extends Lived {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  alias?: AliasTarget;
}

/** One hosted zone. */
export interface ZoneRecord {
  /** Without the `/hostedzone/` prefix. */
  id: string;
  name: string;
  private: boolean;
  callerReference: string;
  nameServers: string[];
  records: RecordEntry[];
}

/** A zone to seed with `addHostedZone`. */
export interface HostedZoneSeed {
  name: string;
  private?: boolean;
  /** Names not ending in the zone's name are taken as relative to it. NS and SOA at the apex are added unless given. */
  records?: { name: string; type: string; value?: string; ttl?: number }[];
}

/** Route 53's form of a DNS name: lower case, trailing dot, `*` written `\052`. */
export function fqdn(name: string): string {
  const lower = name.toLowerCase().replace(/\*/g, '\\052');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

/** The key record sets and zones sort by: labels reversed, trailing dot. */
export function sortKey(name: string): string {
  return `${fqdn(name).slice(0, -1).split('.').reverse().join('.')}.`;
}

/** Orders record sets as ListResourceRecordSets does. */
export function compareRecords(a: { name: string; type: string }, b: { name: string; type: string }): number {
  const ka = sortKey(a.name);
  const kb = sortKey(b.name);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a.type < b.type ? -1 : a.type > b.type ? 1 : 0;
}

/** Whether `name` is the zone's apex or below it. */
export function inZone(zone: ZoneRecord, name: string): boolean {
  const n = fqdn(name);
  return n === zone.name || n.endsWith(`.${zone.name}`);
}

const DEFAULT_VALUES: Record<string, string> = {
  A: '192.0.2.10',
  AAAA: '2001:db8::10',
  CNAME: 'target.example.net',
  TXT: '"fake"',
  MX: '10 mail.example.net',
  CAA: '0 issue "amazon.com"',
};

/** Adds a hosted zone that exists from the start; returns its id (`Z0…`). */
export function seedZone(world: World, def: HostedZoneSeed): string {
  const name = fqdn(def.name);
  const id = `Z0${suffix(19)}`;
  const n = world.zones.length + 1;
  const nameServers = [`ns-${100 + n}.awsdns-${10 + n}.com.`, `ns-${600 + n}.awsdns-${20 + n}.net.`, `ns-${1100 + n}.awsdns-${30 + n}.org.`, `ns-${1600 + n}.awsdns-${40 + n}.co.uk.`];
  const zone: ZoneRecord = { id, name, private: def.private ?? false, callerReference: `fake-${id}`, nameServers, records: [] };
  const given = (def.records ?? []).map((r) => ({ ...r, name: inZone(zone, r.name) ? fqdn(r.name) : fqdn(`${r.name}.${name}`) }));
  const has = (type: string): boolean => given.some((r) => r.name === name && r.type === type);
  const always = { life: { from: -Infinity } };
  if (!has('NS')) zone.records.push({ name, type: 'NS', ttl: 172800, values: nameServers, ...always });
  if (!has('SOA')) zone.records.push({ name, type: 'SOA', ttl: 900, values: [`${nameServers[0]} awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`], ...always });
  for (const r of given) zone.records.push({ name: r.name, type: r.type, ttl: r.ttl ?? 300, values: [r.value ?? DEFAULT_VALUES[r.type] ?? 'fake'], ...always });
  world.zones.push(zone);
  return id;
}

/** A zone by id, with or without the `/hostedzone/` prefix. */
export function findZone(world: World, id: string): ZoneRecord | undefined {
  const bare = id.replace(/^\/?hostedzone\//, '');
  return world.zones.find((z) => z.id === bare);
}

/** Record sets that exist at `t`, in Route 53's order. */
export function recordsAt(zone: ZoneRecord, t: number): RecordEntry[] {
  return zone.records.filter((r) => aliveAt(r, t)).sort(compareRecords);
}
