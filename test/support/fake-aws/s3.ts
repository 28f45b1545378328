/**
 * S3 (REST-XML, path-style only: `/<bucket>`): HeadBucket, GetBucketLocation, GetBucketTagging,
 * ListBuckets. Buckets come from `addBucket` or from stacks (`AWS::S3::Bucket`).
 */
import { AwsError } from './errors.js';
import { aliveAt, type Lived } from './lifetime.js';
import { xmlDocument, type RestContext, type RestResult, type RestXmlServiceDef } from './protocol-rest-xml.js';
import type { World } from './world.js';
import { iso } from './xml.js';

/** One bucket. */
export interface BucketRecord extends Lived {
  name: string;
  region: string;
  /** Account that owns it; another account's bucket answers 403. */
  ownerAccount: string;
  tags: Record<string, string>;
  created: number;
}

/** A bucket to seed with `addBucket`. */
export interface BucketSeed {
  name: string;
  /** Default: the fake's region. */
  region?: string;
  /** Owned by another account: HeadBucket and the others answer 403. */
  otherAccount?: boolean;
  tags?: Record<string, string>;
}

/** The account that owns `otherAccount` buckets. */
export const OTHER_ACCOUNT = '210987654321';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** Adds a bucket that exists from the start. */
export function seedBucket(world: World, def: BucketSeed): void {
  world.buckets.push({
    name: def.name,
    region: def.region ?? world.options.region,
    ownerAccount: def.otherAccount ? OTHER_ACCOUNT : world.options.accountId,
    tags: { ...def.tags },
    created: world.options.now(),
    life: { from: -Infinity },
  });
}

/** The bucket of that name that exists at `t`. */
export function bucketAt(world: World, name: string, t: number): BucketRecord | undefined {
  return world.buckets.filter((b) => b.name === name && aliveAt(b, t)).pop();
}

function noSuchBucket(name: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
}

/** A bucket the caller may read, else `NoSuchBucket` / `AccessDenied`. */
function ownBucket({ labels, t, world }: RestContext): BucketRecord {
  const name = labels.Bucket ?? '';
  const bucket = bucketAt(world, name, t);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.ownerAccount !== world.options.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
  return bucket;
}

function headBucket({ labels, t, world }: RestContext): RestResult {
  const bucket = bucketAt(world, labels.Bucket ?? '', t);
  if (!bucket) return { status: 404 };
  const headers = { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' };
  return bucket.ownerAccount === world.options.accountId ? { headers } : { status: 403, headers };
}

function getBucketLocation(ctx: RestContext): RestResult {
  const { region } = ownBucket(ctx);
  const body = region === 'us-east-1' ? '' : region;
  return { xml: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${XMLNS}">${body}</LocationConstraint>` };
}

function getBucketTagging(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const tags = Object.entries(bucket.tags);
  if (!tags.length) throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket.name });
  return { xml: xmlDocument('Tagging', XMLNS, { TagSet: tags.map(([Key, Value]) => ({ Key, Value })) }, { TagSet: 'Tag' }) };
}

function listBuckets({ t, world }: RestContext): RestResult {
  const { accountId } = world.options;
  const own = world.buckets.filter((b) => aliveAt(b, t) && b.ownerAccount === accountId).sort((a, b) => (a.name < b.name ? -1 : 1));
  const Buckets = own.map((b) => ({ Name: b.name, CreationDate: iso(b.created), BucketRegion: b.region }));
  return { xml: xmlDocument('ListAllMyBucketsResult', XMLNS, { Owner: { ID: accountId, DisplayName: 'tester' }, Buckets }, { Buckets: 'Bucket' }) };
}

const BUCKET = /^\/(?<Bucket>[^/]+)\/?$/;

/** The S3 service. */
export const s3: RestXmlServiceDef = {
  name: 's3',
  style: 's3',
  xmlns: XMLNS,
  routes: [
    { method: 'GET', path: BUCKET, queryKey: 'location', action: 'GetBucketLocation' },
    { method: 'GET', path: BUCKET, queryKey: 'tagging', action: 'GetBucketTagging' },
    { method: 'HEAD', path: BUCKET, action: 'HeadBucket' },
    { method: 'GET', path: /^\/$/, action: 'ListBuckets' },
  ],
  actions: { HeadBucket: headBucket, GetBucketLocation: getBucketLocation, GetBucketTagging: getBucketTagging, ListBuckets: listBuckets },
};
