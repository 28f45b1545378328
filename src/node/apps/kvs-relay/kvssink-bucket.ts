/**
 * The cluster bucket's copy of kvssink, through the AWS SDK v3. Loaded by the install command with
 * `import()`, like the audio archive's facade, so the relay itself never loads the S3 client.
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** What a download brought: the SHA-256 its uploader stored with it (hex; absent when none was) and its ETag. */
export interface BucketCopy {
  sha256?: string;
  etag: string;
}

/** How a conditional upload ended: ours is there, or another writer's was (or came) first. */
export type UploadOutcome = 'written' | 'taken';

/** The bucket, as the installer needs it. */
export interface KvssinkBucket {
  /** Human-readable place of `key`, for logs. */
  where(key: string): string;
  /** Writes the object `key` into `file`; `undefined` when there is no such object. */
  download(key: string, file: string): Promise<BucketCopy | undefined>;
  /**
   * Uploads `file` as `key` with its SHA-256 (metadata `sha256`, and S3's own checksum, which S3
   * verifies on arrival). Without `replacing`: only when the key is free (`If-None-Match: *`); with
   * it: only over that exact object (`If-Match`), so a copy another node put meanwhile stays.
   */
  upload(key: string, file: string, sha256: string, metadata: Record<string, string>, replacing?: string): Promise<UploadOutcome>;
}

const httpStatus = (e: unknown): number | undefined => (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
const errorName = (e: unknown): string => (e instanceof Error ? e.name : '');

/** The bucket through an S3 client (with the instance role on a node). */
export function sdkKvssinkBucket(s3: S3Client, bucket: string): KvssinkBucket {
  return {
    where: (key) => `s3://${bucket}/${key}`,
    async download(key, file) {
      let out;
      try {
        out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        if (httpStatus(error) === 404 || errorName(error) === 'NoSuchKey') return undefined;
        throw error;
      }
      if (!out.Body) throw new Error(`GetObject ${key} answered without a body`);
      await pipeline(out.Body as Readable, createWriteStream(file, { mode: 0o600 }));
      const sha256 = out.Metadata?.sha256;
      return { ...(sha256 ? { sha256 } : {}), etag: out.ETag ?? '' };
    },
    async upload(key, file, sha256, metadata, replacing) {
      const body = await readFile(file);
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentLength: body.length,
            ContentType: 'application/gzip',
            ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
            Metadata: { ...metadata, sha256 },
            ...(replacing === undefined ? { IfNoneMatch: '*' } : { IfMatch: replacing }),
          }),
        );
        return 'written';
      } catch (error) {
        // 412: the condition failed (a copy is there, or the one we replace changed); 409: a
        // concurrent conditional write of the key; 404 on If-Match: the copy was deleted meanwhile.
        const status = httpStatus(error);
        if (status === 412 || status === 409 || (replacing !== undefined && status === 404)) return 'taken';
        throw error;
      }
    },
  };
}
