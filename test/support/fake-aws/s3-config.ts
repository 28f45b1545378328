/**
 * S3 bucket configuration: policy, public access block, default encryption, object ownership and
 * tags (Put/Get, and Delete for policy and tags). Answers and errors as S3 writes them.
 */
import { AwsError } from './errors.js';
import { xmlDocument, type RestContext, type RestHandler, type RestResult, type RestRoute } from './protocol-rest-xml.js';
import { ownBucket, S3_XMLNS } from './s3-buckets.js';
import { endPolicies, policyAt, type PublicAccessBlock } from './s3-model.js';
import { bool, document, elements, malformedXml, text } from './xml-read.js';

const OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];
const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

function putBucketPolicy(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const policy = ctx.body.toString('utf8');
  let valid = policy.trimStart().startsWith('{');
  try {
    JSON.parse(policy);
  } catch {
    valid = false;
  }
  if (!valid) throw new AwsError('MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'", 400);
  endPolicies(ctx.world, bucket.name, ctx.t);
  ctx.world.bucketPolicies.push({ bucket: bucket.name, document: policy, life: { from: ctx.t } });
  return { status: 204 };
}

function getBucketPolicy(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const policy = policyAt(ctx.world, bucket.name, bucket.created, ctx.t);
  if (!policy) throw new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { BucketName: bucket.name });
  return { body: policy.document, headers: { 'Content-Type': 'application/json' } };
}

function deleteBucketPolicy(ctx: RestContext): RestResult {
  endPolicies(ctx.world, ownBucket(ctx).name, ctx.t);
  return { status: 204 };
}

function putPublicAccessBlock(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const xml = document(ctx.body, 'PublicAccessBlockConfiguration');
  bucket.config.publicAccessBlock = {
    blockPublicAcls: bool(xml, 'BlockPublicAcls') ?? false,
    ignorePublicAcls: bool(xml, 'IgnorePublicAcls') ?? false,
    blockPublicPolicy: bool(xml, 'BlockPublicPolicy') ?? false,
    restrictPublicBuckets: bool(xml, 'RestrictPublicBuckets') ?? false,
  };
  return {};
}

/** The `PublicAccessBlockConfiguration` fields of a setting. */
export function publicAccessBlockXml(p: PublicAccessBlock): Record<string, boolean> {
  return { BlockPublicAcls: p.blockPublicAcls, IgnorePublicAcls: p.ignorePublicAcls, BlockPublicPolicy: p.blockPublicPolicy, RestrictPublicBuckets: p.restrictPublicBuckets };
}

function getPublicAccessBlock(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const block = bucket.config.publicAccessBlock;
  if (!block) throw new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { BucketName: bucket.name });
  return { xml: xmlDocument('PublicAccessBlockConfiguration', S3_XMLNS, publicAccessBlockXml(block)) };
}

function putBucketEncryption(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const rules = elements(document(ctx.body, 'ServerSideEncryptionConfiguration'), 'Rule');
  const rule = rules[0];
  if (rules.length !== 1 || rule === undefined) throw malformedXml();
  const algorithm = text(rule, 'SSEAlgorithm');
  if (algorithm === undefined || !ALGORITHMS.includes(algorithm)) throw malformedXml();
  const key = text(rule, 'KMSMasterKeyID');
  if (key !== undefined && algorithm === 'AES256') {
    throw new AwsError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400);
  }
  bucket.config.encryption = { sseAlgorithm: algorithm, ...(key !== undefined ? { kmsMasterKeyId: key } : {}), bucketKeyEnabled: bool(rule, 'BucketKeyEnabled') ?? false };
  return {};
}

function getBucketEncryption(ctx: RestContext): RestResult {
  const encryption = ownBucket(ctx).config.encryption ?? { sseAlgorithm: 'AES256', bucketKeyEnabled: false };
  const rule = {
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: encryption.sseAlgorithm, KMSMasterKeyID: encryption.kmsMasterKeyId },
    BucketKeyEnabled: encryption.bucketKeyEnabled,
  };
  return { xml: xmlDocument('ServerSideEncryptionConfiguration', S3_XMLNS, { Rule: rule }) };
}

function putBucketOwnershipControls(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const rules = elements(document(ctx.body, 'OwnershipControls'), 'Rule');
  const ownership = rules.length === 1 && rules[0] !== undefined ? text(rules[0], 'ObjectOwnership') : undefined;
  if (ownership === undefined || !OWNERSHIPS.includes(ownership)) throw malformedXml();
  bucket.config.ownership = ownership;
  return {};
}

function getBucketOwnershipControls(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const ownership = bucket.config.ownership;
  if (!ownership) throw new AwsError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404, { BucketName: bucket.name });
  return { xml: xmlDocument('OwnershipControls', S3_XMLNS, { Rule: { ObjectOwnership: ownership } }) };
}

const isSystemTag = (key: string): boolean => key.startsWith('aws:');

function putBucketTagging(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const tags: Record<string, string> = {};
  for (const tag of elements(document(ctx.body, 'Tagging'), 'Tag')) {
    const key = text(tag, 'Key');
    if (key === undefined) throw malformedXml();
    if (isSystemTag(key)) throw new AwsError('InvalidTag', 'System tags cannot be added/updated by requester', 400);
    if (Object.hasOwn(tags, key)) throw new AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400);
    tags[key] = text(tag, 'Value') ?? '';
  }
  const system = Object.entries(bucket.tags).filter(([k]) => isSystemTag(k));
  bucket.tags = { ...Object.fromEntries(system), ...tags };
  return { status: 204 };
}

function getBucketTagging(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const tags = Object.entries(bucket.tags);
  if (!tags.length) throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404, { BucketName: bucket.name });
  return { xml: xmlDocument('Tagging', S3_XMLNS, { TagSet: tags.map(([Key, Value]) => ({ Key, Value })) }, { TagSet: 'Tag' }) };
}

function deleteBucketTagging(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  bucket.tags = Object.fromEntries(Object.entries(bucket.tags).filter(([k]) => isSystemTag(k)));
  return { status: 204 };
}

function putBucketLifecycleConfiguration(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const xml = document(ctx.body, 'LifecycleConfiguration');
  if (elements(xml, 'Rule').length === 0) throw malformedXml();
  bucket.config.lifecycle = ctx.body.toString('utf8');
  return {};
}

function getBucketLifecycleConfiguration(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  if (bucket.config.lifecycle === undefined) throw new AwsError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { BucketName: bucket.name });
  return { body: bucket.config.lifecycle, headers: { 'Content-Type': 'application/xml' } };
}

/** The configuration routes of a bucket path: one per subresource and method. */
export function s3ConfigRoutes(bucket: RegExp): RestRoute[] {
  const keys: [string, string][] = [
    ['policy', 'BucketPolicy'],
    ['publicAccessBlock', 'PublicAccessBlock'],
    ['encryption', 'BucketEncryption'],
    ['ownershipControls', 'BucketOwnershipControls'],
    ['tagging', 'BucketTagging'],
    ['lifecycle', 'BucketLifecycleConfiguration'],
  ];
  return keys.flatMap(([queryKey, name]) => [
    { method: 'GET', path: bucket, queryKey, action: `Get${name}` },
    { method: 'PUT', path: bucket, queryKey, action: `Put${name}` },
    ...(queryKey === 'policy' || queryKey === 'tagging' ? [{ method: 'DELETE', path: bucket, queryKey, action: `Delete${name}` }] : []),
  ]);
}

/** The configuration operations by name. */
export const s3ConfigActions: Record<string, RestHandler> = {
  PutBucketPolicy: putBucketPolicy,
  GetBucketPolicy: getBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  PutPublicAccessBlock: putPublicAccessBlock,
  GetPublicAccessBlock: getPublicAccessBlock,
  PutBucketEncryption: putBucketEncryption,
  GetBucketEncryption: getBucketEncryption,
  PutBucketOwnershipControls: putBucketOwnershipControls,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  PutBucketTagging: putBucketTagging,
  GetBucketTagging: getBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
  PutBucketLifecycleConfiguration: putBucketLifecycleConfiguration,
  GetBucketLifecycleConfiguration: getBucketLifecycleConfiguration,
};
