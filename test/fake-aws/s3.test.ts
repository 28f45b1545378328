import { GetBucketLocationCommand, GetBucketTaggingCommand, HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();

describe('S3 (path-style)', () => {
  it('answers HeadBucket with the bucket region, 404 when absent and 403 for another account', async () => {
    env.fake.addBucket({ name: 'recordings' });
    env.fake.addBucket({ name: 'virginia', region: 'us-east-1' });
    env.fake.addBucket({ name: 'someone-elses', otherAccount: true });
    const own = await env.s3.send(new HeadBucketCommand({ Bucket: 'recordings' }));
    expect(own.BucketRegion).toBe('eu-west-1');
    expect((await env.s3.send(new HeadBucketCommand({ Bucket: 'virginia' }))).BucketRegion).toBe('us-east-1');
    const missing = await rejection(env.s3.send(new HeadBucketCommand({ Bucket: 'nope' })));
    expect(missing.name).toBe('NotFound');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    const foreign = await rejection(env.s3.send(new HeadBucketCommand({ Bucket: 'someone-elses' })));
    expect(foreign.$metadata?.httpStatusCode).toBe(403);
    expect(env.fake.requests.map((r) => `${r.service} ${r.action} ${r.params.Bucket} ${r.status}`)).toEqual([
      's3 HeadBucket recordings 200',
      's3 HeadBucket virginia 200',
      's3 HeadBucket nope 404',
      's3 HeadBucket someone-elses 403',
    ]);
    expect(env.fake.count({ service: 's3', action: 'HeadBucket' })).toBe(4);
  });

  it('answers GetBucketLocation, empty for us-east-1', async () => {
    env.fake.addBucket({ name: 'dublin' });
    env.fake.addBucket({ name: 'virginia', region: 'us-east-1' });
    env.fake.addBucket({ name: 'foreign', otherAccount: true });
    expect((await env.s3.send(new GetBucketLocationCommand({ Bucket: 'dublin' }))).LocationConstraint).toBe('eu-west-1');
    expect((await env.s3.send(new GetBucketLocationCommand({ Bucket: 'virginia' }))).LocationConstraint ?? '').toBe('');
    const missing = await rejection(env.s3.send(new GetBucketLocationCommand({ Bucket: 'nope' })));
    expect(missing.name).toBe('NoSuchBucket');
    expect(missing.message).toBe('The specified bucket does not exist');
    expect((await rejection(env.s3.send(new GetBucketLocationCommand({ Bucket: 'foreign' })))).name).toBe('AccessDenied');
    expect(env.fake.requests[0]).toMatchObject({ service: 's3', action: 'GetBucketLocation', params: { Bucket: 'dublin' } });
  });

  it('answers GetBucketTagging, NoSuchTagSet when the bucket has no tags', async () => {
    env.fake.addBucket({ name: 'tagged', tags: { team: 'media', 'elasticrtc:cluster': 'demo' } });
    env.fake.addBucket({ name: 'bare' });
    const out = await env.s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }));
    expect(out.TagSet).toEqual([
      { Key: 'team', Value: 'media' },
      { Key: 'elasticrtc:cluster', Value: 'demo' },
    ]);
    const none = await rejection(env.s3.send(new GetBucketTaggingCommand({ Bucket: 'bare' })));
    expect(none.name).toBe('NoSuchTagSet');
    expect(none.$metadata?.httpStatusCode).toBe(404);
    expect((await rejection(env.s3.send(new GetBucketTaggingCommand({ Bucket: 'nope' })))).name).toBe('NoSuchBucket');
  });

  it('lists the account\'s own buckets and shows them in the read model', async () => {
    env.fake.addBucket({ name: 'b-two', region: 'us-west-2' });
    env.fake.addBucket({ name: 'a-one' });
    env.fake.addBucket({ name: 'theirs', otherAccount: true });
    const out = await env.s3.send(new ListBucketsCommand({}));
    expect(out.Buckets?.map((b) => b.Name)).toEqual(['a-one', 'b-two']);
    expect(env.fake.buckets()).toEqual([
      { name: 'b-two', region: 'us-west-2', tags: {}, otherAccount: false },
      { name: 'a-one', region: 'eu-west-1', tags: {}, otherAccount: false },
      { name: 'theirs', region: 'eu-west-1', tags: {}, otherAccount: true },
    ]);
  });

  it('answers operations it does not implement with 501 NotImplemented', async () => {
    const res = await fetch(`${env.fake.url}/some-bucket?acl`, {
      method: 'GET',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20240115/eu-west-1/s3/aws4_request, SignedHeaders=host, Signature=00' },
    });
    expect(res.status).toBe(501);
    expect(await res.text()).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<Error><Code>NotImplemented<\/Code>/);
    expect(res.headers.get('x-amz-request-id')).toMatch(/^[0-9A-F]{16}$/);
  });
});
