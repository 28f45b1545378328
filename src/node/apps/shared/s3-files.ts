/**
 * Files to and from the bucket without holding them in memory: a camera's 10-minute segment is
 * hundreds of MB, a day's MP4 tens of GB. `putFile` streams the file in one PutObject up to S3's
 * limit for one (5 GiB) and in parts above it; with `ifAbsent` the object is written only if the key
 * has none (`If-None-Match: *` on PutObject or CompleteMultipartUpload), so two writers never both
 * write it.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { preconditionFailed, retryingConflicts } from './s3-errors.js';
import type { UploadMeta } from './uploader.js';

export interface FileStore {
  /**
   * Writes the file `path` (`size` bytes) under `key`: `written`; with `ifAbsent`, `exists` when the
   * key has an object already (S3 answered 412) and nothing was written.
   */
  putFile(key: string, path: string, size: number, meta: UploadMeta, options?: { ifAbsent?: boolean }): Promise<'written' | 'exists'>;
  /** Writes the object `key` into the file `path` (replaced); `signal` cuts the download short. */
  getFile(key: string, path: string, signal?: AbortSignal): Promise<void>;
}

/** S3's largest single PutObject. */
export const MAX_SINGLE_PUT = 5 * 1024 ** 3;
/** Parts of at least this size (S3 takes at most 10,000 parts, at least 5 MiB each but the last). */
export const MIN_PART = 64 * 1024 ** 2;

/** The part size for a file of `size` bytes: {@link MIN_PART}, larger when 10,000 of them would not hold it. */
export const partSize = (size: number): number => Math.max(MIN_PART, Math.ceil(size / 10_000 / 1024 ** 2) * 1024 ** 2);

/** {@link FileStore} through an S3 client. */
export function sdkFileStore(s3: S3Client, bucket: string): FileStore {
  async function multipart(key: string, path: string, size: number, meta: UploadMeta, ifAbsent: boolean): Promise<void> {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: meta.contentType, Metadata: meta.metadata }));
    try {
      const part = partSize(size);
      const parts: { ETag: string; PartNumber: number }[] = [];
      for (let n = 1, start = 0; start < size; n++, start += part) {
        const length = Math.min(part, size - start);
        const out = await s3.send(
          new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: n, ContentLength: length, Body: createReadStream(path, { start, end: start + length - 1 }) }),
        );
        parts.push({ ETag: out.ETag ?? '', PartNumber: n });
      }
      await retryingConflicts(() =>
        s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts }, ...(ifAbsent ? { IfNoneMatch: '*' } : {}) })),
      );
    } catch (error) {
      // Parts of an upload never completed are stored (and billed) until aborted.
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
      throw error;
    }
  }

  return {
    async putFile(key, path, size, meta, options = {}) {
      const ifAbsent = options.ifAbsent === true;
      try {
        if (size > MAX_SINGLE_PUT) await multipart(key, path, size, meta, ifAbsent);
        else {
          // A stream, not a buffer: the SDK cannot resend it, so a failed put fails, and the caller's next pass puts it again.
          await retryingConflicts(() =>
            s3.send(
              new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(path), ContentLength: size, ContentType: meta.contentType, Metadata: meta.metadata, ...(ifAbsent ? { IfNoneMatch: '*' } : {}) }),
            ),
          );
        }
        return 'written';
      } catch (error) {
        if (ifAbsent && preconditionFailed(error)) return 'exists';
        throw error;
      }
    },
    async getFile(key, path, signal) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), signal ? { abortSignal: signal } : {});
      if (!out.Body) throw new Error(`s3://${bucket}/${key}: GetObject answered without a body`);
      await pipeline(out.Body as Readable, createWriteStream(path), signal ? { signal } : {});
    },
  };
}
