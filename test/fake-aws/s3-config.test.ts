import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();
const LATER = 60_000;

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::cfg/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
});

describe('S3 bucket configuration', () => {
  it('puts and gets policy, public access block, encryption, ownership and tags, and shows them in the read model', async () => {
    await env.s3.send(new CreateBucketCommand({ Bucket: 'cfg', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await env.s3.send(new PutBucketPolicyCommand({ Bucket: 'cfg', Policy: POLICY }));
    expect((await env.s3.send(new GetBucketPolicyCommand({ Bucket: 'cfg' }))).Policy).toBe(POLICY);
    const block = { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false };
    await env.s3.send(new PutPublicAccessBlockCommand({ Bucket: 'cfg', PublicAccessBlockConfiguration: block }));
    expect((await env.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'cfg' }))).PublicAccessBlockConfiguration).toEqual(block);
    const rule = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'alias/media' }, BucketKeyEnabled: true };
    await env.s3.send(new PutBucketEncryptionCommand({ Bucket: 'cfg', ServerSideEncryptionConfiguration: { Rules: [rule] } }));
    expect((await env.s3.send(new GetBucketEncryptionCommand({ Bucket: 'cfg' }))).ServerSideEncryptionConfiguration?.Rules).toEqual([rule]);
    await env.s3.send(new PutBucketOwnershipControlsCommand({ Bucket: 'cfg', OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    expect((await env.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'cfg' }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerPreferred' }]);
    await env.s3.send(new PutBucketTaggingCommand({ Bucket: 'cfg', Tagging: { TagSet: [{ Key: 'team', Value: 'media' }, { Key: 'env', Value: 'test' }] } }));
    expect((await env.s3.send(new GetBucketTaggingCommand({ Bucket: 'cfg' }))).TagSet).toEqual([
      { Key: 'team', Value: 'media' },
      { Key: 'env', Value: 'test' },
    ]);
    const put = await env.s3.send(new PutObjectCommand({ Bucket: 'cfg', Key: 'k', Body: 'v' }));
    expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: 'alias/media', BucketKeyEnabled: true });

    expect(env.fake.buckets()).toEqual([
      {
        name: 'cfg',
        region: 'eu-west-1',
        tags: { team: 'media', env: 'test' },
        otherAccount: false,
        policy: POLICY,
        publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: false },
        encryption: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: 'alias/media', bucketKeyEnabled: true },
        ownership: 'BucketOwnerPreferred',
      },
    ]);
    expect(env.fake.requests.map((r) => `${r.action} ${r.status}`).slice(0, 4)).toEqual(['CreateBucket 200', 'PutBucketPolicy 204', 'GetBucketPolicy 200', 'PutPublicAccessBlock 200']);
    await env.s3.send(new DeleteBucketPolicyCommand({ Bucket: 'cfg' }));
    expect((await rejection(env.s3.send(new GetBucketPolicyCommand({ Bucket: 'cfg' })))).name).toBe('NoSuchBucketPolicy');
    expect(env.fake.buckets()[0]?.policy).toBeUndefined();
  });

  it('answers what S3 answers for a bucket with nothing configured, and refuses bad input', async () => {
    env.fake.addBucket({ name: 'legacy' });
    const noPolicy = await rejection(env.s3.send(new GetBucketPolicyCommand({ Bucket: 'legacy' })));
    expect([noPolicy.name, noPolicy.$metadata?.httpStatusCode]).toEqual(['NoSuchBucketPolicy', 404]);
    expect((await rejection(env.s3.send(new GetPublicAccessBlockCommand({ Bucket: 'legacy' })))).name).toBe('NoSuchPublicAccessBlockConfiguration');
    expect((await rejection(env.s3.send(new GetBucketOwnershipControlsCommand({ Bucket: 'legacy' })))).name).toBe('OwnershipControlsNotFoundError');
    const encryption = await env.s3.send(new GetBucketEncryptionCommand({ Bucket: 'legacy' }));
    expect(encryption.ServerSideEncryptionConfiguration?.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    expect((await rejection(env.s3.send(new PutBucketPolicyCommand({ Bucket: 'legacy', Policy: 'not json' })))).name).toBe('MalformedPolicy');
    const system = await rejection(env.s3.send(new PutBucketTaggingCommand({ Bucket: 'legacy', Tagging: { TagSet: [{ Key: 'aws:cloudformation:stack-name', Value: 'x' }] } })));
    expect([system.name, system.message]).toEqual(['InvalidTag', 'System tags cannot be added/updated by requester']);
    expect((await rejection(env.s3.send(new GetBucketPolicyCommand({ Bucket: 'missing' })))).name).toBe('NoSuchBucket');
    expect(env.fake.buckets()).toEqual([{ name: 'legacy', region: 'eu-west-1', tags: {}, otherAccount: false }]);
  });

  it('serves a plain curl GET signed with --aws-sigv4, path style', async () => {
    env.fake.addBucket({ name: 'media', objects: [{ key: 'dir/hello.txt', body: 'hello from the fake\n', contentType: 'text/plain' }] });
    const { stdout } = await promisify(execFile)('curl', [
      '--silent',
      '--show-error',
      '--fail',
      '--aws-sigv4',
      'aws:amz:eu-west-1:s3',
      '--user',
      'AKIDCURL:secret',
      `${env.fake.url}/media/dir/hello.txt`,
    ]);
    expect(stdout).toBe('hello from the fake\n');
    expect(env.fake.requests).toEqual([
      { service: 's3', action: 'GetObject', at: env.clock.ms, params: { Bucket: 'media', Key: 'dir/hello.txt' }, status: 200, accessKeyId: 'AKIDCURL' },
    ]);
  });
});

const BUCKET_TEMPLATE = (tag: string) => ({
  Resources: {
    Bucket: {
      Type: 'AWS::S3::Bucket',
      DeletionPolicy: 'Retain',
      Properties: {
        BucketName: 'stack-media',
        Tags: [{ Key: 'rev', Value: tag }],
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      },
    },
    BucketPolicy: {
      Type: 'AWS::S3::BucketPolicy',
      Properties: {
        Bucket: { Ref: 'Bucket' },
        PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: { 'Fn::Sub': '${Bucket.Arn}/*' } }] },
      },
    },
  },
});

describe('S3 buckets made by stacks', () => {
  it('are configured from their properties and policy resources, and keep their objects through an in-place update', async () => {
    await env.cfn.send(new CreateStackCommand({ StackName: 'media', TemplateBody: JSON.stringify(BUCKET_TEMPLATE('1')) }));
    env.clock.advance(LATER);
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::stack-media/*' }] };
    const [bucket] = env.fake.buckets();
    expect(bucket).toMatchObject({
      name: 'stack-media',
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      encryption: { sseAlgorithm: 'AES256', bucketKeyEnabled: false },
      ownership: 'BucketOwnerEnforced',
    });
    expect(JSON.parse(bucket?.policy ?? '')).toEqual(policy);
    expect(JSON.parse((await env.s3.send(new GetBucketPolicyCommand({ Bucket: 'stack-media' }))).Policy ?? '')).toEqual(policy);

    await env.s3.send(new PutObjectCommand({ Bucket: 'stack-media', Key: 'a.txt', Body: 'kept' }));
    await env.cfn.send(new UpdateStackCommand({ StackName: 'media', TemplateBody: JSON.stringify(BUCKET_TEMPLATE('2')) }));
    env.clock.advance(LATER);
    expect(env.fake.stack('media')?.status).toBe('UPDATE_COMPLETE');
    expect(env.fake.buckets()[0]?.tags.rev).toBe('2');
    const got = await env.s3.send(new GetObjectCommand({ Bucket: 'stack-media', Key: 'a.txt' }));
    expect(await got.Body?.transformToString()).toBe('kept');

    await env.cfn.send(new DeleteStackCommand({ StackName: 'media' }));
    env.clock.advance(LATER);
    const [retained] = env.fake.buckets();
    expect(retained?.policy).toBeUndefined();
    expect(env.fake.objects('stack-media').map((o) => o.key)).toEqual(['a.txt']);
  });
});
