/** S3 buckets as every S3 module sees them: the record, lookups and access checks. */
import { AwsError } from './errors.js';
import { aliveAt, type Lived } from './lifetime.js';
import type { RestContext } from './protocol-rest-xml.js';
import type { BucketConfig, StoredObject } from './s3-model.js';
import type { World } from './world.js';

/** One bucket. */
export interface BucketRecord extends Lived {
  name: string;
  region: string;
  /** Account that owns it; another account's bucket answers 403. */
  ownerAccount: string;
  tags: Record<string, string>;
  created: number;
  /** Objects by key; the generations of a stack bucket updated in place share the map. */
  objects: Map<string, StoredObject>;
  config: BucketConfig;
}

/** The account that owns `otherAccount` buckets. */
export const OTHER_ACCOUNT = '210987654321';

/** S3's XML namespace. */
export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** The bucket of that name that exists at `t`. */
export function bucketAt(world: World, name: string, t: number): BucketRecord | undefined {
  return world.buckets.filter((b) => b.name === name && aliveAt(b, t)).pop();
}

/** S3's `NoSuchBucket`. */
export function noSuchBucket(name: string): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: name });
}

/** A bucket the caller may use, else `NoSuchBucket` / `AccessDenied`. */
export function ownBucket({ labels, t, world }: RestContext): BucketRecord {
  const name = labels.Bucket ?? '';
  const bucket = bucketAt(world, name, t);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.ownerAccount !== world.options.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
  return bucket;
}

/**
 * S3's subresources: a plain route (CreateBucket, PutObject, …) must have none of them, so an
 * unimplemented one (`?acl`, `?uploads`, …) answers 501 instead of running the wrong operation.
 */
export const SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'delete', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold',
  'lifecycle', 'list-type', 'location', 'logging', 'metadataTable', 'metrics', 'notification', 'object-lock', 'ownershipControls',
  'partNumber', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore', 'retention', 'select',
  'session', 'tagging', 'torrent', 'uploadId', 'uploads', 'versioning', 'versionId', 'versions', 'website',
] as const;
