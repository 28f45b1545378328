/**
 * What tests read back from the fake: stacks, resource signals, buckets and their objects, record
 * sets, certificates, secrets (all as of `now()`).
 */
import { statusAt, usersAt } from './acm-certs.js';
import { aliveAt, reached } from './lifetime.js';
import { findZone, recordsAt } from './route53-zones.js';
import { bucketAt } from './s3-buckets.js';
import { compareKeys, policyAt, type BucketEncryption, type PublicAccessBlock } from './s3-model.js';
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

/** A bucket that exists. Configuration left unset is absent (`undefined`). */
export interface FakeBucket {
  name: string;
  region: string;
  tags: Record<string, string>;
  /** Owned by another account (`addBucket({ otherAccount: true })`). */
  otherAccount: boolean;
  /** The bucket policy (JSON text) in force. */
  policy?: string;
  publicAccessBlock?: FakePublicAccessBlock;
  /** The default encryption set on the bucket; `undefined`: S3's default (SSE-S3, `AES256`). */
  encryption?: FakeBucketEncryption;
  /** Object ownership: `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`. */
  ownership?: string;
  /** The lifecycle configuration as sent (XML). */
  lifecycle?: string;
}

/** A bucket's public access block. */
export type FakePublicAccessBlock = PublicAccessBlock;

/** A bucket's default encryption. */
export type FakeBucketEncryption = BucketEncryption;

/** An object of a bucket. */
export interface FakeObject {
  key: string;
  /** The bytes stored (an `aws-chunked` upload decoded). */
  body: Buffer;
  contentType: string;
  /** `x-amz-meta-*` headers: names in lower case, without the prefix. */
  metadata: Record<string, string>;
}

/** One accepted SignalResource call. */
export interface FakeSignal {
  stackName: string;
  logicalResourceId: string;
  uniqueId: string;
  status: 'SUCCESS' | 'FAILURE';
  /** `now()` when it arrived. */
  at: number;
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
    .map((b) => {
      const { publicAccessBlock, encryption, ownership } = b.config;
      const bucket: FakeBucket = { name: b.name, region: b.region, tags: { ...b.tags }, otherAccount: b.ownerAccount !== world.options.accountId };
      const policy = policyAt(world, b.name, b.created, t)?.document;
      if (policy !== undefined) bucket.policy = policy;
      if (publicAccessBlock) bucket.publicAccessBlock = { ...publicAccessBlock };
      if (encryption) bucket.encryption = { ...encryption };
      if (ownership) bucket.ownership = ownership;
      if (b.config.lifecycle !== undefined) bucket.lifecycle = b.config.lifecycle;
      return bucket;
    });
}

/** Objects of the bucket named `name` at `t`, in key order (UTF-8 bytes); throws for a bucket that does not exist. */
export function objectsView(world: World, name: string, t: number): FakeObject[] {
  const bucket = bucketAt(world, name, t);
  if (!bucket) throw new Error(`fake-aws: no bucket ${name}`);
  return [...bucket.objects.values()]
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((o) => ({ key: o.key, body: Buffer.from(o.body), contentType: o.contentType, metadata: { ...o.metadata } }));
}

/** Accepted signals, oldest first; with `stack`, only those of the stack of that name (or id). */
export function signalsView(world: World, stack?: string): FakeSignal[] {
  return world.signals
    .filter((s) => stack === undefined || s.stackName === stack || s.stackId === stack)
    .map((s) => ({ stackName: s.stackName, logicalResourceId: s.logicalResourceId, uniqueId: s.uniqueId, status: s.status, at: s.at }));
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
