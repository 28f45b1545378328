/**
 * What the cameras app asks of the bucket: the audio archive's listing, existence and conditional
 * JSON writes (audio-archive/store.ts), and files streamed both ways (shared/s3-files.ts). Loaded by
 * the command with `import()`, so the node's other processes never load the S3 client.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { sdkArchiveStore } from '../audio-archive/sdk.js';
import type { ArchiveStore } from '../audio-archive/store.js';
import { type FileStore, sdkFileStore } from '../shared/s3-files.js';

export interface CameraStore extends Pick<ArchiveStore, 'list' | 'exists' | 'readJson' | 'writeJsonIf'>, FileStore {}

/** The bucket through an S3 client (the instance role on a node). */
export function sdkCameraStore(s3: S3Client, bucket: string): CameraStore {
  const { list, exists, readJson, writeJsonIf } = sdkArchiveStore(s3, bucket);
  return { list, exists, readJson, writeJsonIf, ...sdkFileStore(s3, bucket) };
}

/**
 * The node's S3 client: its region, the instance role, `AWS_ENDPOINT_URL` honoured (path-style then,
 * as LocalStack needs). The SDK's text warnings go to `log`, except the one it gives for every failed
 * upload from a file (it cannot resend a stream), a 412 of a conditional write included; its error
 * records (each failed command, a 404 of an existence check included) are dropped: the app reports
 * the failures that matter itself.
 */
export function sdkCameraClient(region: string, endpointOverride: boolean, log: (line: string) => void): S3Client {
  const warn = (...parts: unknown[]) => {
    if (!parts.every((p) => typeof p === 'string')) return;
    const text = parts.join(' ');
    if (!text.includes('non-retryable streaming request')) log(`S3 client: ${text}`);
  };
  const quiet = () => undefined;
  return new S3Client({ region, maxAttempts: 4, ...(endpointOverride ? { forcePathStyle: true } : {}), logger: { debug: quiet, info: quiet, warn, error: quiet } });
}
