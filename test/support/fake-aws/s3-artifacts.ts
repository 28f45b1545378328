/**
 * What S3 stack resources leave in S3: `AWS::S3::Bucket` → a bucket configured from its
 * properties (S3's defaults for new buckets where they say nothing), `AWS::S3::BucketPolicy` → the
 * policy of the bucket named by its `Bucket`. Both from the resource's `*_COMPLETE` event on.
 */
import type { Origin } from './lifetime.js';
import { newBucketConfig, type BucketConfig } from './s3-model.js';
import type { StackEvent } from './stack.js';
import type { World } from './world.js';

type Props = Record<string, unknown>;
const isRecord = (v: unknown): v is Props => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const flag = (v: unknown): boolean => v === true || v === 'true';

/** A stack bucket's configuration: its properties over what S3 gives a new bucket. */
function bucketConfig(props: Props): BucketConfig {
  const config = newBucketConfig();
  const block = props.PublicAccessBlockConfiguration;
  if (isRecord(block)) {
    config.publicAccessBlock = {
      blockPublicAcls: flag(block.BlockPublicAcls),
      ignorePublicAcls: flag(block.IgnorePublicAcls),
      blockPublicPolicy: flag(block.BlockPublicPolicy),
      restrictPublicBuckets: flag(block.RestrictPublicBuckets),
    };
  }
  const rules = isRecord(props.BucketEncryption) && Array.isArray(props.BucketEncryption.ServerSideEncryptionConfiguration) ? props.BucketEncryption.ServerSideEncryptionConfiguration : [];
  const rule: unknown = rules[0];
  const byDefault = isRecord(rule) && isRecord(rule.ServerSideEncryptionByDefault) ? rule.ServerSideEncryptionByDefault : undefined;
  const algorithm = str(byDefault?.SSEAlgorithm);
  if (isRecord(rule) && algorithm) {
    const key = str(byDefault?.KMSMasterKeyID);
    config.encryption = { sseAlgorithm: algorithm, ...(key ? { kmsMasterKeyId: key } : {}), bucketKeyEnabled: flag(rule.BucketKeyEnabled) };
  }
  const ownership = isRecord(props.OwnershipControls) && Array.isArray(props.OwnershipControls.Rules) ? props.OwnershipControls.Rules[0] : undefined;
  if (isRecord(ownership) && str(ownership.ObjectOwnership)) config.ownership = str(ownership.ObjectOwnership);
  return config;
}

/** Adds a stack bucket at `done`; a generation that follows an in-place update (`life.until` is `done`) keeps the objects. */
export function upBucket(world: World, origin: Origin, props: Props, tags: Record<string, string>, done: StackEvent): void {
  const previous = world.buckets.find((b) => b.origin?.stackId === origin.stackId && b.origin.logicalId === origin.logicalId && b.origin.physicalId === origin.physicalId && b.life.until === done);
  world.buckets.push({
    name: origin.physicalId,
    region: world.options.region,
    ownerAccount: world.options.accountId,
    tags,
    created: previous?.created ?? done.ts,
    life: { from: done },
    origin,
    objects: previous?.objects ?? new Map(),
    config: bucketConfig(props),
  });
}

/** Adds the policy of an `AWS::S3::BucketPolicy` resource at `done`. */
export function upBucketPolicy(world: World, origin: Origin, props: Props, done: StackEvent): void {
  const policy = props.PolicyDocument;
  const document = typeof policy === 'string' ? policy : JSON.stringify(policy ?? {});
  world.bucketPolicies.push({ bucket: str(props.Bucket) ?? '', document, life: { from: done }, origin });
}
