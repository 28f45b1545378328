/**
 * S3 state besides the bucket list: objects, bucket configuration (public access block, default
 * encryption, object ownership) and bucket policies. Policies have lifetimes of their own, since an
 * `AWS::S3::BucketPolicy` stack resource sets one when its `CREATE_COMPLETE` happens.
 */
import { aliveAt, timeOf, type Lived } from './lifetime.js';
import type { World } from './world.js';

/** The four settings of `PutPublicAccessBlock`. */
export interface PublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** A bucket's default encryption rule. */
export interface BucketEncryption {
  /** `AES256`, `aws:kms` or `aws:kms:dsse`. */
  sseAlgorithm: string;
  kmsMasterKeyId?: string;
  bucketKeyEnabled: boolean;
}

/** What a bucket is configured with; `undefined` where nothing is set. */
export interface BucketConfig {
  publicAccessBlock?: PublicAccessBlock;
  /** `undefined`: S3's default (SSE-S3, `AES256`), which GetBucketEncryption reports. */
  encryption?: BucketEncryption;
  /** `BucketOwnerEnforced`, `BucketOwnerPreferred` or `ObjectWriter`. */
  ownership?: string;
  /** The lifecycle rules as sent: `<LifecycleConfiguration>` XML, kept as is (nothing expires here). */
  lifecycle?: string;
}

/** One stored object. */
export interface StoredObject {
  key: string;
  body: Buffer;
  contentType: string;
  /** `x-amz-meta-*` headers, names in lower case without the prefix. */
  metadata: Record<string, string>;
  /** MD5 of the body, hex, without quotes. */
  md5: string;
  lastModified: number;
  /** The checksum the upload carried (`x-amz-checksum-*`), returned with `x-amz-checksum-mode: ENABLED`. */
  checksum?: { algorithm: string; value: string };
  /** Stored representation headers returned by GetObject: `Cache-Control`, `Content-Disposition`, … */
  headers: Record<string, string>;
}

/** A bucket policy: set by PutBucketPolicy (or a seed) at a time, or by a stack resource at its event. */
export interface BucketPolicyRecord extends Lived {
  bucket: string;
  document: string;
}

/** What S3 gives a bucket created today (April 2023 on): every public access block on, owner-enforced ownership. */
export function newBucketConfig(): BucketConfig {
  return {
    publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    ownership: 'BucketOwnerEnforced',
  };
}

/**
 * The policy of the bucket named `bucket` (made at `created`) at `t`: the newest one in force,
 * leaving out policies that started before this bucket existed (a bucket of the same name deleted before).
 */
export function policyAt(world: World, bucket: string, created: number, t: number): BucketPolicyRecord | undefined {
  let best: BucketPolicyRecord | undefined;
  let bestFrom = -Infinity;
  for (const p of world.bucketPolicies) {
    const from = timeOf(p.life.from);
    if (p.bucket !== bucket || from === undefined || !aliveAt(p, t)) continue;
    if (from < created && from !== -Infinity) continue;
    if (!best || from >= bestFrom) {
      best = p;
      bestFrom = from;
    }
  }
  return best;
}

/** Ends every policy of `bucket` in force at `t` (DeleteBucketPolicy). */
export function endPolicies(world: World, bucket: string, t: number): void {
  for (const p of world.bucketPolicies) if (p.bucket === bucket && aliveAt(p, t)) p.life.until = t;
}

/** Keys in S3's order (UTF-8 bytes). */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
