import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type BucketLocationConstraint,
  type LifecycleRule as S3LifecycleRule,
} from '@aws-sdk/client-s3';
import { tlsOnlyBucketPolicy } from '../cluster/bucket.js';
import { attachDebugLog, clientConfig, type AwsTarget } from './config.js';
import { awsCall, isAwsFailure } from './errors.js';
import type { StorageApi } from './services.js';

export function createStorageApi(target: AwsTarget): StorageApi {
  const config = clientConfig(target, 'S3');
  // A custom endpoint (LocalStack, tests) serves buckets by path, not by host name.
  const s3 = new S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) });
  attachDebugLog(s3, 's3', target);
  return {
    async bucket(name) {
      try {
        await awsCall('s3:HeadBucket', () => s3.send(new HeadBucketCommand({ Bucket: name })));
      } catch (error) {
        // HEAD answers carry no body: the status code is all there is.
        if (isAwsFailure(error) && (error.status === 404 || error.code === 'NotFound' || error.code === 'NoSuchBucket')) return { exists: false };
        if (isAwsFailure(error) && (error.status === 403 || error.code === 'Forbidden')) return { exists: true, owned: false };
        throw error;
      }
      const out = await awsCall('s3:GetBucketLocation', () => s3.send(new GetBucketLocationCommand({ Bucket: name })));
      return { exists: true, owned: true, region: out.LocationConstraint || 'us-east-1' };
    },

    async createClusterBucket(name, region, tags, partition) {
      // us-east-1 takes no location constraint: S3 rejects one naming it.
      const location = region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } };
      try {
        await awsCall('s3:CreateBucket', () => s3.send(new CreateBucketCommand({ Bucket: name, ...location })));
      } catch (error) {
        // Ours already (a run that stopped after creating it): the settings below are applied again.
        if (!(isAwsFailure(error) && error.code === 'BucketAlreadyOwnedByYou')) throw error;
      }
      // New buckets have most of these by default today; set explicitly, they do not depend on that.
      await awsCall('s3:PutBucketPublicAccessBlock', () =>
        s3.send(new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } })),
      );
      await awsCall('s3:PutEncryptionConfiguration', () =>
        s3.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } })),
      );
      await awsCall('s3:PutBucketOwnershipControls', () => s3.send(new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } })));
      await awsCall('s3:PutBucketPolicy', () => s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(tlsOnlyBucketPolicy(name, partition)) })));
      await awsCall('s3:PutBucketTagging', () => s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } })));
    },

    async putRuntime(bucket, key, bytes, sha256Hex) {
      // S3 computes the SHA-256 of what it received and refuses the object unless it matches this one.
      const checksum = Buffer.from(sha256Hex, 'hex').toString('base64');
      await awsCall('s3:PutObject', () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ChecksumSHA256: checksum, ContentType: 'application/javascript' })));
    },

    async putLifecycleRules(bucket, ours) {
      let rules: S3LifecycleRule[] = [];
      try {
        rules = (await awsCall('s3:GetLifecycleConfiguration', () => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket })))).Rules ?? [];
      } catch (error) {
        if (!(isAwsFailure(error) && (error.code === 'NoSuchLifecycleConfiguration' || error.status === 404))) throw error;
      }
      // The configuration is replaced whole: the rules found are sent back, ours in place of older copies.
      const next = [...rules.filter((r) => !ours.some((o) => o.ID === r.ID)), ...ours];
      await awsCall('s3:PutLifecycleConfiguration', () => s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: next } })));
    },
  };
}
