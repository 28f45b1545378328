/** What tests read back from the fake: stacks, buckets, record sets, certificates, secrets (all as of `now()`). */
import { statusAt, usersAt } from './acm-certs.js';
import { aliveAt, reached } from './lifetime.js';
import { findZone, recordsAt } from './route53-zones.js';
import { isDeleted } from './secrets.js';
import type { World } from './world.js';

/** One stack event as tests see it. */
export interface FakeStackEvent {
  eventId: string;
  logicalId: string;
  physicalId: string;
  type: string;
  status: string;
  reason?: string;
  /** Milliseconds since the epoch. */
  timestamp: number;
  clientRequestToken?: string;
}

/** A stack as of `now()`, for assertions. */
export interface FakeStack {
  name: string;
  id: string;
  status: string;
  statusReason?: string;
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  outputs: Record<string, string>;
  /** Oldest first. */
  events: FakeStackEvent[];
  resources: { logicalId: string; physicalId: string; type: string; status: string }[];
  clientRequestToken?: string;
  timeoutInMinutes?: number;
  terminationProtection: boolean;
  capabilities: string[];
}

/** A bucket that exists. */
export interface FakeBucket {
  name: string;
  region: string;
  tags: Record<string, string>;
  /** Owned by another account (`addBucket({ otherAccount: true })`). */
  otherAccount: boolean;
}

/** A record set of a hosted zone. Names are fully qualified, lower case, with a trailing dot. */
export interface FakeRecordSet {
  name: string;
  type: string;
  ttl?: number;
  values: string[];
  alias?: { dnsName: string; hostedZoneId: string };
}

/** A certificate in ACM. */
export interface FakeCertificate {
  arn: string;
  domainName: string;
  sans: string[];
  tags: Record<string, string>;
  /** The imported private key (PEM); `undefined` for seeded certificates. */
  privateKeyPem?: string;
  certificatePem?: string;
  status: string;
  type: 'IMPORTED' | 'AMAZON_ISSUED';
  /** Load balancer ARNs of live stacks using it. */
  inUseBy: string[];
}

/** A secret, current or deleted. */
export interface FakeSecret {
  arn: string;
  name: string;
  /** `SecretString` of the `AWSCURRENT` version. */
  value?: string;
  tags: Record<string, string>;
  /** Marked for deletion, or deleted. */
  deleted: boolean;
}

/** A live stack by name, any stack by id, else the newest deleted stack of that name. */
export function stackView(world: World, nameOrId: string, t: number): FakeStack | undefined {
  const s = world.findAnyStack(nameOrId, t);
  if (!s) return undefined;
  return {
    name: s.name,
    id: s.id,
    status: s.status(t),
    statusReason: s.statusReason(t),
    templateBody: s.config.templateBody,
    parameters: { ...s.config.parameters.values },
    tags: { ...s.config.tags },
    outputs: Object.fromEntries(s.outputs(t).map((o) => [o.key, o.value])),
    events: s.visibleEvents(t).map((e) => ({
      eventId: e.eventId,
      logicalId: e.logicalId,
      physicalId: e.physicalId,
      type: e.type,
      status: e.status,
      reason: e.reason,
      timestamp: e.ts,
      clientRequestToken: e.token,
    })),
    resources: s.resources(t).map((r) => ({ logicalId: r.logicalId, physicalId: r.physicalId, type: r.type, status: r.status })),
    clientRequestToken: s.clientRequestToken,
    timeoutInMinutes: s.timeoutInMinutes,
    terminationProtection: s.terminationProtection,
    capabilities: [...s.config.capabilities],
  };
}

/** Buckets that exist at `t`. */
export function bucketsView(world: World, t: number): FakeBucket[] {
  return world.buckets
    .filter((b) => aliveAt(b, t))
    .map((b) => ({ name: b.name, region: b.region, tags: { ...b.tags }, otherAccount: b.ownerAccount !== world.options.accountId }));
}

/** Record sets of a zone at `t`, in ListResourceRecordSets order; throws for an unknown zone. */
export function recordsView(world: World, zoneId: string, t: number): FakeRecordSet[] {
  const zone = findZone(world, zoneId);
  if (!zone) throw new Error(`fake-aws: no hosted zone ${zoneId}`);
  return recordsAt(zone, t).map((r) => ({
    name: r.name,
    type: r.type,
    ttl: r.ttl,
    values: [...r.values],
    alias: r.alias ? { dnsName: r.alias.dnsName, hostedZoneId: r.alias.hostedZoneId } : undefined,
  }));
}

/** Certificates in ACM at `t`. */
export function certificatesView(world: World, t: number): FakeCertificate[] {
  return world.certificates.map((c) => ({
    arn: c.arn,
    domainName: c.domainName,
    sans: [...c.sans],
    tags: { ...c.tags },
    privateKeyPem: c.privateKeyPem,
    certificatePem: c.certificatePem,
    status: statusAt(c, t),
    type: c.type,
    inUseBy: usersAt(world, c.arn, t),
  }));
}

/** Every secret that has existed by `t` (the latest generation of a stack secret updated in place). */
export function secretsView(world: World, t: number): FakeSecret[] {
  const byArn = new Map(world.secrets.filter((s) => reached(s.life.from, t)).map((s) => [s.arn, s]));
  return [...byArn.values()].map((s) => ({
    arn: s.arn,
    name: s.name,
    value: s.versions.find((v) => v.stages.includes('AWSCURRENT'))?.value,
    tags: { ...s.tags },
    deleted: isDeleted(s, t),
  }));
}
