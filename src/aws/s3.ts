import { GetBucketLocationCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
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
  };
}
