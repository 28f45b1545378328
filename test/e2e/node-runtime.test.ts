import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeKey } from '../../src/cluster/node-runtime.js';
import { main } from '../../src/main.js';
import { TOOL_VERSION } from '../../src/version.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';
import { FAKE_RUNTIME_SHA256, testContext } from '../support/context.js';

/** The bundle the build wrote, which the binary under test ships: what the nodes must receive, byte for byte. */
const BUNDLE = readFileSync(new URL('../../dist/node.cjs', import.meta.url));
const DIGEST = readFileSync(new URL('../../dist/node.cjs.sha256', import.meta.url), 'utf8').trim();
const KEY = runtimeKey(TOOL_VERSION, DIGEST);

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
});
afterAll(() => fake.close());

const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];
const stored = (bucket: string) => fake.objects(bucket).filter((o) => o.key.startsWith('runtime/'));

describe('the node runtime reaches the cluster bucket before the stack', () => {
  it('the build recorded the bundle’s real digest', () => {
    expect(DIGEST).toBe(createHash('sha256').update(BUNDLE).digest('hex'));
  });

  it('a dry run makes no request and shows the key and digest the stack would get', async () => {
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'dry', ...json, '--dry-run'], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    expect(fake.count()).toBe(0);
    expect(onlyJson(r.stdout).parameters).toMatchObject({ NodeRuntimeKey: KEY, NodeRuntimeSha256: DIGEST });
    const text = await runCli(['create', '--stack-name', 'dry', '--region', 'eu-west-1', '--dry-run'], endpointEnv(fake.url));
    expect(text.stderr).toContain(`NodeRuntimeKey=${KEY}`);
    expect(text.stderr).toContain(`NodeRuntimeSha256=${DIGEST}`);
    expect(fake.count()).toBe(0);
  });

  it('a new bucket is created in the region and hardened, and holds the bundle, before CreateStack', async () => {
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'fresh', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('creating the bucket eu-west-1-fresh');

    const bucket = fake.buckets().find((b) => b.name === 'eu-west-1-fresh');
    expect(bucket).toMatchObject({
      region: 'eu-west-1',
      tags: { 'elasticrtc:cluster': 'fresh' },
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
      encryption: { sseAlgorithm: 'AES256' },
      ownership: 'BucketOwnerEnforced',
    });
    const policy = JSON.parse(bucket?.policy ?? '{}') as { Statement: Record<string, unknown>[] };
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::eu-west-1-fresh', 'arn:aws:s3:::eu-west-1-fresh/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ]);

    const stack = fake.stack('fresh');
    expect(stack?.parameters).toMatchObject({ NodeRuntimeKey: KEY, NodeRuntimeSha256: DIGEST, BucketName: 'eu-west-1-fresh' });
    const objects = stored('eu-west-1-fresh');
    expect(objects.map((o) => o.key)).toEqual([stack?.parameters.NodeRuntimeKey]);
    expect(Buffer.compare(objects[0]!.body, BUNDLE)).toBe(0);
    expect(createHash('sha256').update(objects[0]!.body).digest('hex')).toBe(stack?.parameters.NodeRuntimeSha256);

    const order = fake.requests.map((q) => q.action);
    const s3Writes = fake.requests.filter((q) => q.service === 's3' && /^(Create|Put)/.test(q.action)).map((q) => q.action);
    expect(s3Writes).toEqual(['CreateBucket', 'PutPublicAccessBlock', 'PutBucketEncryption', 'PutBucketOwnershipControls', 'PutBucketPolicy', 'PutBucketTagging', 'PutObject']);
    expect(order.lastIndexOf('PutObject')).toBeLessThan(order.indexOf('CreateStack'));
    expect(order.indexOf('CreateBucket')).toBeGreaterThan(order.indexOf('HeadBucket'));
    // Accepted: S3 compared the bundle with the SHA-256 it carried (a mismatch is refused, below).
    const put = fake.requests.find((q) => q.action === 'PutObject');
    expect(put?.status).toBe(200);
  });

  it('an own bucket in the region is reused as it is: no CreateBucket, the bundle uploaded', async () => {
    fake.addBucket({ name: 'eu-west-1-mine' });
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'mine', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    expect(fake.count({ action: 'CreateBucket' })).toBe(0);
    expect(fake.requests.filter((q) => /^PutBucket|^PutPublicAccessBlock/.test(q.action))).toEqual([]);
    expect(stored('eu-west-1-mine').map((o) => o.key)).toEqual([KEY]);
    expect(Buffer.compare(stored('eu-west-1-mine')[0]!.body, BUNDLE)).toBe(0);
    const order = fake.requests.map((q) => q.action);
    expect(order.indexOf('PutObject')).toBeLessThan(order.indexOf('CreateStack'));
  });

  it('with audio-archive, the bucket gets a rule expiring staging/ (its other rules kept), and the stack its recorders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'archive-'));
    const config = join(dir, 'cluster.yaml');
    writeFileSync(config, 'enable-app: audio-archive\nstreams:\n  - name: radio1\n    url: https://archiver:s3cr3t-pass@icecast.example.org/live.mp3\n    segment-seconds: 300\n');
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'archive', '-f', config, ...json], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    const lifecycle = fake.buckets().find((b) => b.name === 'eu-west-1-archive')?.lifecycle ?? '';
    expect(lifecycle).toMatch(/<ID>elasticrtc-audio-archive-staging<\/ID>/);
    expect(lifecycle).toMatch(/<Prefix>staging\/<\/Prefix>/);
    expect(lifecycle).toMatch(/<Days>7<\/Days>/);
    expect(lifecycle).not.toContain('final/');
    const order = fake.requests.map((q) => q.action);
    expect(order.indexOf('PutBucketLifecycleConfiguration')).toBeLessThan(order.indexOf('CreateStack'));
    const stack = fake.stack('archive');
    expect(JSON.stringify(stack?.parameters)).not.toContain('s3cr3t');
    const secret = fake.secrets().find((x) => x.name === 'elasticrtc/archive');
    expect(JSON.stringify(secret)).toContain('s3cr3t-pass');
    // A second create of another cluster in the same bucket keeps the rule once.
    const again = await runCli(['create', '--stack-name', 'archive2', '--aws-s3-bucket-name', 'eu-west-1-archive', '-f', config, ...json], endpointEnv(fake.url));
    expect(again.code).toBe(0);
    expect(fake.buckets().find((b) => b.name === 'eu-west-1-archive')?.lifecycle?.match(/<Rule>/g)).toHaveLength(1);
  });

  it('a create that rolls back leaves the bucket and the bundle, and says so', async () => {
    fake.scenario.failNextCreate('NodeGroup', 'Received 0 SUCCESS signal(s) out of 1');
    const r = await runCli(['create', '--stack-name', 'broken', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('the bucket eu-west-1-broken stays, with the node runtime in it');
    expect(stored('eu-west-1-broken').map((o) => o.key)).toEqual([KEY]);
  });

  it('S3 refuses a bundle that does not match its digest, and nothing else is created', async () => {
    const env = endpointEnv(fake.url);
    // Bytes other than the ones the digest was taken of: S3 computes the SHA-256 and compares.
    const t = testContext({ env: { AWS_ENDPOINT_URL: fake.url, HOME: env.HOME }, nodeRuntime: { digest: async () => FAKE_RUNTIME_SHA256, bytes: async () => new TextEncoder().encode('tampered') } });
    fake.resetRequests();
    const code = await main(['create', '--stack-name', 'tampered', '--aws-access-key-id', env.AWS_ACCESS_KEY_ID ?? '', '--aws-secret-access-key', env.AWS_SECRET_ACCESS_KEY ?? '', ...json], t.ctx);
    expect(code).toBe(1);
    expect(t.err()).toContain('s3:PutObject failed');
    expect(fake.requests.find((q) => q.action === 'PutObject')?.status).toBe(400);
    expect(stored('eu-west-1-tampered')).toEqual([]);
    expect(fake.count({ action: 'CreateSecret' }) + fake.count({ action: 'CreateStack' })).toBe(0);
  });

  it('update stores the bundle of the running version under its key, before the change set', async () => {
    const env = endpointEnv(fake.url);
    expect((await runCli(['create', '--stack-name', 'moving', ...json], env)).code).toBe(0);
    // As if the cluster had been made by another version: this version's bundle is not in the bucket.
    const s3 = new S3Client({ region: 'eu-west-1', endpoint: fake.url, forcePathStyle: true, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' } });
    await s3.send(new DeleteObjectCommand({ Bucket: 'eu-west-1-moving', Key: KEY }));
    expect(stored('eu-west-1-moving')).toEqual([]);
    fake.resetRequests();
    const r = await runCli(['update', '--stack-name', 'moving', '--max-capacity', '3', '--min-capacity', '1', '--yes', ...json], env);
    expect(r.code).toBe(0);
    const order = fake.requests.map((q) => q.action);
    expect(order).toContain('PutObject');
    expect(order.indexOf('PutObject')).toBeLessThan(order.indexOf('CreateChangeSet'));
    expect(fake.count({ action: 'CreateBucket' })).toBe(0);
    expect(fake.requests.find((q) => q.action === 'PutObject')?.params).toMatchObject({ Bucket: 'eu-west-1-moving', Key: KEY });
    expect(fake.stack('moving')?.parameters).toMatchObject({ NodeRuntimeKey: KEY, NodeRuntimeSha256: DIGEST });
    expect(stored('eu-west-1-moving').map((o) => o.key)).toEqual([KEY]);
    expect(Buffer.compare(stored('eu-west-1-moving')[0]!.body, BUNDLE)).toBe(0);
  });
});
