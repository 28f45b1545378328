import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();

/** The headers of the requests a client sends, as they leave it (after checksums and signing). */
function captureHeaders(client: S3Client): Record<string, string>[] {
  const sent: Record<string, string>[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      sent.push({ ...request.headers });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: 'captureHeaders' },
  );
  return sent;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

describe('S3 bucket creation', () => {
  it('creates a bucket in the region it was signed for, owned by the account, with S3\'s defaults for new buckets', async () => {
    const out = await env.s3.send(new CreateBucketCommand({ Bucket: 'recordings-1', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect(out.Location).toBe('/recordings-1');
    expect((await env.s3.send(new HeadBucketCommand({ Bucket: 'recordings-1' }))).BucketRegion).toBe('eu-west-1');
    expect(env.fake.buckets()).toEqual([
      {
        name: 'recordings-1',
        region: 'eu-west-1',
        tags: {},
        otherAccount: false,
        publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
        ownership: 'BucketOwnerEnforced',
      },
    ]);
    expect(env.fake.requests[0]).toMatchObject({ service: 's3', action: 'CreateBucket', params: { Bucket: 'recordings-1' }, status: 200, accessKeyId: 'AKIDTEST' });
  });

  it('answers BucketAlreadyOwnedByYou, BucketAlreadyExists, InvalidBucketName and location constraint errors', async () => {
    env.fake.addBucket({ name: 'mine' });
    env.fake.addBucket({ name: 'theirs', otherAccount: true });
    const config = { LocationConstraint: 'eu-west-1' as const };
    const owned = await rejection(env.s3.send(new CreateBucketCommand({ Bucket: 'mine', CreateBucketConfiguration: config })));
    expect(owned.name).toBe('BucketAlreadyOwnedByYou');
    expect(owned.$metadata?.httpStatusCode).toBe(409);
    const taken = await rejection(env.s3.send(new CreateBucketCommand({ Bucket: 'theirs', CreateBucketConfiguration: config })));
    expect(taken.name).toBe('BucketAlreadyExists');
    expect(taken.$metadata?.httpStatusCode).toBe(409);
    expect((await rejection(env.s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name', CreateBucketConfiguration: config })))).name).toBe('InvalidBucketName');
    // The SDK fills in LocationConstraint from its region; a bare request has none.
    const unspecified = await fetch(`${env.fake.url}/no-constraint`, {
      method: 'PUT',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20240115/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00' },
    });
    expect(unspecified.status).toBe(400);
    expect(await unspecified.text()).toContain(
      '<Code>IllegalLocationConstraintException</Code><Message>The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.</Message>',
    );
    const other = await rejection(env.s3.send(new CreateBucketCommand({ Bucket: 'elsewhere', CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } })));
    expect(other.message).toBe('The eu-central-1 location constraint is incompatible for the region specific endpoint this request was sent to.');
    expect(env.fake.buckets().map((b) => b.name)).toEqual(['mine', 'theirs']);
  });

  it('creates us-east-1 buckets without a constraint and answers their owner 200 again there, as S3 does', async () => {
    const virginia = new S3Client({ region: 'us-east-1', endpoint: env.fake.url, forcePathStyle: true, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' }, maxAttempts: 1 });
    try {
      await virginia.send(new CreateBucketCommand({ Bucket: 'virginia-bucket' }));
      await virginia.send(new CreateBucketCommand({ Bucket: 'virginia-bucket' }));
      expect(env.fake.buckets().map((b) => [b.name, b.region])).toEqual([['virginia-bucket', 'us-east-1']]);
      expect((await env.s3.send(new HeadBucketCommand({ Bucket: 'virginia-bucket' }))).BucketRegion).toBe('us-east-1');
    } finally {
      virginia.destroy();
    }
  });
});

describe('S3 objects', () => {
  it('stores a Buffer sent with the SDK\'s default CRC32 checksum header and returns the same bytes', async () => {
    env.fake.addBucket({ name: 'media' });
    const sent = captureHeaders(env.s3);
    const body = randomBytes(300 * 1024);
    const put = await env.s3.send(new PutObjectCommand({ Bucket: 'media', Key: 'recordings/room 1/a.webm', Body: body, ContentType: 'video/webm', Metadata: { room: 'lobby' } }));
    expect(sent[0]?.['x-amz-checksum-crc32']).toBeDefined();
    expect(sent[0]?.['x-amz-sdk-checksum-algorithm']).toBe('CRC32');
    expect(put.ETag).toBe(`"${md5(body)}"`);
    expect(put.ChecksumCRC32).toBe(sent[0]?.['x-amz-checksum-crc32']);

    const got = await env.s3.send(new GetObjectCommand({ Bucket: 'media', Key: 'recordings/room 1/a.webm' }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.equals(body)).toBe(true);
    expect(got.ETag).toBe(`"${md5(body)}"`);
    expect(got.ContentLength).toBe(body.length);
    expect(got.ContentType).toBe('video/webm');
    expect(got.Metadata).toEqual({ room: 'lobby' });
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    expect(got.ServerSideEncryption).toBe('AES256');

    const [stored] = env.fake.objects('media');
    expect(stored?.key).toBe('recordings/room 1/a.webm');
    expect(stored?.body.equals(body)).toBe(true);
    expect(stored).toMatchObject({ contentType: 'video/webm', metadata: { room: 'lobby' } });
    expect(env.fake.requests.map((r) => `${r.action} ${r.params.Bucket} ${r.params.Key} ${r.status}`)).toEqual([
      'PutObject media recordings/room 1/a.webm 200',
      'GetObject media recordings/room 1/a.webm 200',
    ]);
  });

  it('decodes an aws-chunked upload with a trailing checksum (a stream body) to the bytes uploaded', async () => {
    env.fake.addBucket({ name: 'media' });
    const sent = captureHeaders(env.s3);
    const body = randomBytes(400 * 1024 + 17);
    const parts = [body.subarray(0, 100_000), body.subarray(100_000, 250_000), body.subarray(250_000)];
    await env.s3.send(new PutObjectCommand({ Bucket: 'media', Key: 'big.bin', Body: Readable.from(parts), ContentLength: body.length }));
    expect(sent[0]).toMatchObject({
      'content-encoding': 'aws-chunked',
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      'x-amz-decoded-content-length': String(body.length),
      'x-amz-trailer': 'x-amz-checksum-crc32',
    });
    const [stored] = env.fake.objects('media');
    expect(stored?.body.length).toBe(body.length);
    expect(stored?.body.equals(body)).toBe(true);
    expect(stored?.contentType).toBe('application/octet-stream');
    const head = await env.s3.send(new HeadObjectCommand({ Bucket: 'media', Key: 'big.bin' }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.ETag).toBe(`"${md5(body)}"`);
    expect(head.ContentEncoding).toBeUndefined();
  });

  it('reads signed aws-chunked bodies and refuses a checksum that does not match', async () => {
    env.fake.addBucket({ name: 'media' });
    const data = Buffer.from('hello, chunked world');
    const crc = (await import('node:zlib')).crc32(data);
    const checksum = Buffer.from([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255]).toString('base64');
    const chunked = (trailer: string) =>
      Buffer.concat([
        Buffer.from(`5;chunk-signature=${'0'.repeat(64)}\r\n`),
        data.subarray(0, 5),
        Buffer.from(`\r\n${(data.length - 5).toString(16)};chunk-signature=${'1'.repeat(64)}\r\n`),
        data.subarray(5),
        Buffer.from(`\r\n0;chunk-signature=${'2'.repeat(64)}\r\nx-amz-checksum-crc32:${trailer}\r\nx-amz-trailer-signature:${'3'.repeat(64)}\r\n\r\n`),
      ]);
    const put = (key: string, trailer: string) =>
      fetch(`${env.fake.url}/media/${key}`, {
        method: 'PUT',
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20240115/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00',
          'content-encoding': 'aws-chunked',
          'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': String(data.length),
          'x-amz-trailer': 'x-amz-checksum-crc32',
          'content-type': 'text/plain',
        },
        body: chunked(trailer),
      });
    const ok = await put('good.txt', checksum);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-amz-checksum-crc32')).toBe(checksum);
    const bad = await put('bad.txt', 'AAAAAA==');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<Code>BadDigest</Code>');
    expect(env.fake.objects('media').map((o) => [o.key, o.body.toString()])).toEqual([['good.txt', 'hello, chunked world']]);
  });

  it('answers NoSuchKey, NotFound, NoSuchBucket and AccessDenied, and deletes objects', async () => {
    env.fake.addBucket({ name: 'media', objects: [{ key: 'a.txt', body: 'A', contentType: 'text/plain' }] });
    env.fake.addBucket({ name: 'theirs', otherAccount: true });
    const missing = await rejection(env.s3.send(new GetObjectCommand({ Bucket: 'media', Key: 'nope.txt' })));
    expect(missing.name).toBe('NoSuchKey');
    expect(missing.message).toBe('The specified key does not exist.');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect((await rejection(env.s3.send(new HeadObjectCommand({ Bucket: 'media', Key: 'nope.txt' })))).name).toBe('NotFound');
    expect((await rejection(env.s3.send(new GetObjectCommand({ Bucket: 'nobucket', Key: 'a.txt' })))).name).toBe('NoSuchBucket');
    expect((await rejection(env.s3.send(new PutObjectCommand({ Bucket: 'theirs', Key: 'a.txt', Body: 'x' })))).name).toBe('AccessDenied');
    const got = await env.s3.send(new GetObjectCommand({ Bucket: 'media', Key: 'a.txt' }));
    expect(await got.Body?.transformToString()).toBe('A');
    expect((await env.s3.send(new DeleteObjectCommand({ Bucket: 'media', Key: 'a.txt' }))).$metadata.httpStatusCode).toBe(204);
    expect((await env.s3.send(new DeleteObjectCommand({ Bucket: 'media', Key: 'a.txt' }))).$metadata.httpStatusCode).toBe(204);
    expect(env.fake.objects('media')).toEqual([]);
    expect(() => env.fake.objects('nobucket')).toThrow(/no bucket nobucket/);
  });

  it('lists objects with a prefix, a delimiter, max-keys and continuation tokens', async () => {
    const keys = ['logs/2024/b.log', 'logs/2024/a.log', 'logs/2023/z.log', 'logs/top.log', 'media/x.webm', 'logs/2024/c.log'];
    env.fake.addBucket({ name: 'media', objects: keys.map((key) => ({ key, body: key })) });
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client: env.s3, pageSize: 2 }, { Bucket: 'media', Prefix: 'logs/' })) {
      pages.push((page.Contents ?? []).map((o) => o.Key ?? ''));
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
    }
    expect(pages).toEqual([['logs/2023/z.log', 'logs/2024/a.log'], ['logs/2024/b.log', 'logs/2024/c.log'], ['logs/top.log']]);

    const rolled = await env.s3.send(new ListObjectsV2Command({ Bucket: 'media', Prefix: 'logs/', Delimiter: '/' }));
    expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['logs/2023/', 'logs/2024/']);
    expect(rolled.Contents?.map((o) => [o.Key, o.Size, o.ETag, o.StorageClass])).toEqual([['logs/top.log', 12, `"${md5(Buffer.from('logs/top.log'))}"`, 'STANDARD']]);
    expect(rolled.KeyCount).toBe(3);

    const first = await env.s3.send(new ListObjectsV2Command({ Bucket: 'media', Delimiter: '/', MaxKeys: 1 }));
    expect(first).toMatchObject({ IsTruncated: true, KeyCount: 1, MaxKeys: 1, CommonPrefixes: [{ Prefix: 'logs/' }] });
    const second = await env.s3.send(new ListObjectsV2Command({ Bucket: 'media', Delimiter: '/', MaxKeys: 1, ContinuationToken: first.NextContinuationToken }));
    expect(second.CommonPrefixes).toEqual([{ Prefix: 'media/' }]);
    expect(second.IsTruncated).toBe(false);

    const after = await env.s3.send(new ListObjectsV2Command({ Bucket: 'media', StartAfter: 'logs/2024/c.log' }));
    expect(after.Contents?.map((o) => o.Key)).toEqual(['logs/top.log', 'media/x.webm']);
    const bad = await rejection(env.s3.send(new ListObjectsV2Command({ Bucket: 'media', ContinuationToken: 'bogus' })));
    expect(bad.name).toBe('InvalidArgument');
  });
});
