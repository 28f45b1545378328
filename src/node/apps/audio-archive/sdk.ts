/**
 * The audio archive's facades on the AWS SDK v3. Loaded by the command with `import()`, so the
 * node's other processes never load the S3 and CloudWatch clients.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { conflict, notFound, preconditionFailed, retryingConflicts } from '../shared/s3-errors.js';
import { MISSING_SLOTS_METRIC, type ArchiveStore, type ListedObject, type MissingSlotsMetric } from './store.js';

/** `x-amz-copy-source`: bucket and key, URL-encoded segment by segment. */
const copySource = (bucket: string, key: string) => `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;

/** The bucket through an S3 client (with the instance role on a node). */
export function sdkArchiveStore(s3: S3Client, bucket: string): ArchiveStore {
  return {
    async put(key, body, meta) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ContentType: meta.contentType, Metadata: meta.metadata }));
    },
    async list(prefix, options = {}) {
      const objects: ListedObject[] = [];
      const prefixes: string[] = [];
      let token: string | undefined;
      do {
        const out = await s3.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: prefix,
            ...(options.delimiter ? { Delimiter: options.delimiter } : {}),
            ...(options.startAfter && !token ? { StartAfter: options.startAfter } : {}),
            ...(options.maxKeys ? { MaxKeys: options.maxKeys } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const o of out.Contents ?? []) if (o.Key !== undefined) objects.push({ key: o.Key, size: o.Size ?? 0 });
        for (const p of out.CommonPrefixes ?? []) if (p.Prefix !== undefined) prefixes.push(p.Prefix);
        token = out.IsTruncated && !options.maxKeys ? out.NextContinuationToken : undefined;
      } while (token);
      return { objects, prefixes };
    },
    async copyIfAbsent(source, target, meta) {
      try {
        await retryingConflicts(() =>
          s3.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: target,
              CopySource: copySource(bucket, source),
              IfNoneMatch: '*',
              MetadataDirective: 'REPLACE',
              ContentType: meta.contentType,
              Metadata: meta.metadata,
            }),
          ),
        );
        return 'copied';
      } catch (error) {
        if (preconditionFailed(error)) return 'exists';
        if (notFound(error)) return 'no-source';
        throw error;
      }
    },
    async exists(key) {
      try {
        await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return true;
      } catch (error) {
        if (notFound(error)) return false;
        throw error;
      }
    },
    async readJson(key) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = (await out.Body?.transformToString('utf8')) ?? '';
        return { value: JSON.parse(text) as unknown, etag: out.ETag ?? '' };
      } catch (error) {
        if (notFound(error)) return undefined;
        throw error;
      }
    },
    async writeJsonIf(key, value, etag) {
      const body = Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
      try {
        await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ContentType: 'application/json', ...(etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag }) }),
        );
        return true;
      } catch (error) {
        // If-Match on a key deleted meanwhile answers 404; a concurrent conditional write 409: another writer either way.
        if (preconditionFailed(error) || conflict(error) || (etag !== undefined && notFound(error))) return false;
        throw error;
      }
    },
  };
}

/** {@link MISSING_SLOTS_METRIC} through a CloudWatch client. */
export function sdkMissingSlotsMetric(cloudwatch: CloudWatchClient): MissingSlotsMetric {
  return {
    async put({ cluster, stream, count, atMs }) {
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: MISSING_SLOTS_METRIC.namespace,
          MetricData: [
            {
              MetricName: MISSING_SLOTS_METRIC.name,
              Dimensions: [
                { Name: 'Cluster', Value: cluster },
                { Name: 'Stream', Value: stream },
              ],
              Unit: MISSING_SLOTS_METRIC.unit,
              Value: count,
              Timestamp: new Date(atMs),
            },
          ],
        }),
      );
    },
  };
}

/** The clients of a node: its region, the instance role, `AWS_ENDPOINT_URL` honoured (path-style S3 then, as LocalStack needs). */
export function sdkClients(region: string, endpointOverride: boolean): { s3: S3Client; cloudwatch: CloudWatchClient } {
  const config = { region, maxAttempts: 4 };
  return { s3: new S3Client({ ...config, ...(endpointOverride ? { forcePathStyle: true } : {}) }), cloudwatch: new CloudWatchClient(config) };
}
