/**
 * S3 (REST-XML, path-style only: `/<bucket>`, `/<bucket>/<key>`): buckets (HeadBucket,
 * GetBucketLocation, ListBuckets, CreateBucket) and the routes of every operation; bucket
 * configuration is in `s3-config.ts`, objects in `s3-objects.ts`. Buckets come from `addBucket`,
 * CreateBucket or stacks (`AWS::S3::Bucket`).
 */
import { AwsError } from './errors.js';
import { aliveAt } from './lifetime.js';
import { xmlDocument, type RestContext, type RestHandler, type RestResult, type RestRoute, type RestXmlServiceDef } from './protocol-rest-xml.js';
import { bucketAt, OTHER_ACCOUNT, ownBucket, S3_XMLNS, SUBRESOURCES, type BucketRecord } from './s3-buckets.js';
import { s3ConfigActions, s3ConfigRoutes } from './s3-config.js';
import { newBucketConfig, type BucketEncryption, type PublicAccessBlock } from './s3-model.js';
import { s3ObjectActions, s3ObjectRoutes, storeObject } from './s3-objects.js';
import { readPayload } from './s3-payload.js';
import type { World } from './world.js';
import { document, text } from './xml-read.js';
import { iso } from './xml.js';

/** An object to seed in a bucket. */
export interface ObjectSeed {
  key: string;
  body: string | Buffer;
  /** Default `binary/octet-stream`. */
  contentType?: string;
  metadata?: Record<string, string>;
}

/** A bucket to seed with `addBucket`. Its configuration is what is given (none: a bucket from before 2023). */
export interface BucketSeed {
  name: string;
  /** Default: the fake's region. */
  region?: string;
  /** Owned by another account: HeadBucket and the others answer 403. */
  otherAccount?: boolean;
  tags?: Record<string, string>;
  /** Bucket policy (JSON text). */
  policy?: string;
  publicAccessBlock?: PublicAccessBlock;
  encryption?: BucketEncryption;
  ownership?: string;
  objects?: ObjectSeed[];
}

/** Adds a bucket that exists from the start. */
export function seedBucket(world: World, def: BucketSeed): void {
  const t = world.options.now();
  const bucket: BucketRecord = {
    name: def.name,
    region: def.region ?? world.options.region,
    ownerAccount: def.otherAccount ? OTHER_ACCOUNT : world.options.accountId,
    tags: { ...def.tags },
    created: t,
    life: { from: -Infinity },
    objects: new Map(),
    config: { publicAccessBlock: def.publicAccessBlock && { ...def.publicAccessBlock }, encryption: def.encryption && { ...def.encryption }, ownership: def.ownership },
  };
  world.buckets.push(bucket);
  if (def.policy !== undefined) world.bucketPolicies.push({ bucket: def.name, document: def.policy, life: { from: -Infinity } });
  for (const o of def.objects ?? []) {
    const body = typeof o.body === 'string' ? Buffer.from(o.body) : o.body;
    storeObject(bucket, { key: o.key, body, contentType: o.contentType ?? 'binary/octet-stream', metadata: { ...o.metadata }, headers: {} }, t);
  }
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
  return { xml: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${body}</LocationConstraint>` };
}

function listBuckets({ t, world }: RestContext): RestResult {
  const { accountId } = world.options;
  const own = world.buckets.filter((b) => aliveAt(b, t) && b.ownerAccount === accountId).sort((a, b) => (a.name < b.name ? -1 : 1));
  const Buckets = own.map((b) => ({ Name: b.name, CreationDate: iso(b.created), BucketRegion: b.region }));
  return { xml: xmlDocument('ListAllMyBucketsResult', S3_XMLNS, { Owner: { ID: accountId, DisplayName: 'tester' }, Buckets }, { Buckets: 'Bucket' }) };
}

const VALID_NAME = /^(?!xn--|sthree-|amzn-s3-demo-)(?!.*(?:-s3alias|--ol-s3|--x-s3|--table-s3)$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function checkBucketName(name: string): void {
  if (!VALID_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
    throw new AwsError('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
  }
}

/** The region a CreateBucket asks for, checked against the region it was signed for, as S3 does. */
function locationOf(ctx: RestContext): string {
  const constraint = ctx.body.length ? text(document(ctx.body, 'CreateBucketConfiguration'), 'LocationConstraint') : undefined;
  if (constraint === 'us-east-1') throw new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { LocationConstraint: constraint });
  if (ctx.region === 'us-east-1') return constraint || 'us-east-1';
  if (!constraint) throw new AwsError('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
  if (constraint !== ctx.region) throw new AwsError('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  return constraint;
}

function createBucket(ctx: RestContext): RestResult {
  const { world, t } = ctx;
  const name = ctx.labels.Bucket ?? '';
  checkBucketName(name);
  const region = locationOf(ctx);
  const existing = bucketAt(world, name, t);
  if (existing?.ownerAccount === world.options.accountId) {
    // us-east-1 answers 200 to its owner, for legacy compatibility.
    if (existing.region === 'us-east-1' && region === 'us-east-1') return { headers: { Location: `/${name}` } };
    throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: name });
  }
  if (existing) {
    throw new AwsError('BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', 409, { BucketName: name });
  }
  const ownership = ctx.headers['x-amz-object-ownership'];
  const config = newBucketConfig();
  if (typeof ownership === 'string') config.ownership = ownership;
  world.buckets.push({ name, region, ownerAccount: world.options.accountId, tags: {}, created: t, life: { from: t }, objects: new Map(), config });
  return { headers: { Location: `/${name}` } };
}

const BUCKET = /^\/(?<Bucket>[^/]+)\/?$/;

const BUCKET_ROUTES: RestRoute[] = [
  { method: 'GET', path: BUCKET, queryKey: 'location', action: 'GetBucketLocation' },
  ...s3ConfigRoutes(BUCKET),
  { method: 'GET', path: BUCKET, queryKey: 'list-type', action: 'ListObjectsV2' },
  { method: 'HEAD', path: BUCKET, without: SUBRESOURCES, action: 'HeadBucket' },
  { method: 'PUT', path: BUCKET, without: SUBRESOURCES, action: 'CreateBucket' },
  { method: 'GET', path: /^\/$/, without: SUBRESOURCES, action: 'ListBuckets' },
];

/** Runs a handler on the decoded and checked body (`aws-chunked`, checksums, `Content-MD5`). */
const checked =
  (handler: RestHandler): RestHandler =>
  (ctx) =>
    handler({ ...ctx, body: readPayload(ctx.headers, ctx.body).body });

/** The S3 service. */
export const s3: RestXmlServiceDef = {
  name: 's3',
  style: 's3',
  xmlns: S3_XMLNS,
  routes: [...BUCKET_ROUTES, ...s3ObjectRoutes(SUBRESOURCES)],
  actions: {
    HeadBucket: headBucket,
    GetBucketLocation: getBucketLocation,
    ListBuckets: listBuckets,
    CreateBucket: checked(createBucket),
    ...Object.fromEntries(Object.entries(s3ConfigActions).map(([name, handler]) => [name, checked(handler)])),
    ...s3ObjectActions,
  },
};
