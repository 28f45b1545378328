import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { startFakeImds, type FakeImds } from '../support/fake-imds.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0)) await x.close();
});

async function imds(options: Parameters<typeof startFakeImds>[0] = {}): Promise<FakeImds> {
  const fake = await startFakeImds(options);
  opened.push(fake);
  return fake;
}

async function token(fake: FakeImds, ttl = '21600'): Promise<string> {
  const res = await fetch(`${fake.url}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': ttl } });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-aws-ec2-metadata-token-ttl-seconds')).toBe(ttl);
  return res.text();
}

const get = async (fake: FakeImds, path: string, t?: string): Promise<[number, string]> => {
  const res = await fetch(`${fake.url}${path}`, { headers: t === undefined ? {} : { 'X-aws-ec2-metadata-token': t } });
  return [res.status, await res.text()];
};

describe('fake IMDSv2', () => {
  it('hands out tokens only with a valid TTL header, and serves metadata only with a valid token', async () => {
    const fake = await imds({ instanceId: 'i-0aaaabbbbccccdddd', region: 'eu-central-1', publicIpv4: '198.51.100.7' });
    const put = (headers: Record<string, string>) => fetch(`${fake.url}/latest/api/token`, { method: 'PUT', headers }).then((r) => r.status);
    expect(await put({})).toBe(400);
    expect(await put({ 'X-aws-ec2-metadata-token-ttl-seconds': '0' })).toBe(400);
    expect(await put({ 'X-aws-ec2-metadata-token-ttl-seconds': '21601' })).toBe(400);
    expect(await put({ 'X-aws-ec2-metadata-token-ttl-seconds': '60', 'X-Forwarded-For': '10.0.0.1' })).toBe(403);
    expect(await get(fake, '/latest/meta-data/instance-id')).toEqual([401, 'Unauthorized']);
    expect((await get(fake, '/latest/meta-data/instance-id', 'forged'))[0]).toBe(401);

    const t = await token(fake, '60');
    expect(await get(fake, '/latest/meta-data/instance-id', t)).toEqual([200, 'i-0aaaabbbbccccdddd']);
    expect(await get(fake, '/latest/meta-data/placement/region', t)).toEqual([200, 'eu-central-1']);
    expect(await get(fake, '/latest/meta-data/placement/availability-zone', t)).toEqual([200, 'eu-central-1a']);
    expect(await get(fake, '/latest/meta-data/public-ipv4', t)).toEqual([200, '198.51.100.7']);
    expect(await get(fake, '/latest/meta-data/local-ipv4', t)).toEqual([200, '10.0.1.10']);
    expect(await get(fake, '/latest/meta-data/mac', t)).toEqual([200, '0a:1b:2c:3d:4e:5f']);
    expect(await get(fake, '/latest/meta-data/autoscaling/target-lifecycle-state', t)).toEqual([200, 'InService']);
    expect(await get(fake, '/latest/meta-data/nothing-here', t)).toEqual([404, 'Not Found']);
    const [, listing] = await get(fake, '/latest/meta-data/', t);
    expect(listing.split('\n').sort()).toEqual(['autoscaling/', 'iam/', 'instance-id', 'local-ipv4', 'mac', 'placement/', 'public-ipv4']);

    fake.set('autoscaling/target-lifecycle-state', 'Terminated');
    fake.set('/latest/user-data', '#!/bin/sh');
    expect(await get(fake, '/latest/meta-data/autoscaling/target-lifecycle-state', t)).toEqual([200, 'Terminated']);
    expect(await get(fake, '/latest/user-data', t)).toEqual([200, '#!/bin/sh']);
    fake.set('public-ipv4', undefined);
    expect((await get(fake, '/latest/meta-data/public-ipv4', t))[0]).toBe(404);

    fake.expireTokens();
    expect((await get(fake, '/latest/meta-data/instance-id', t))[0]).toBe(401);
    expect(fake.requests.slice(0, 2)).toEqual([
      { method: 'PUT', path: '/latest/api/token', status: 400, at: expect.any(Number), withToken: false },
      { method: 'PUT', path: '/latest/api/token', status: 400, at: expect.any(Number), withToken: false, ttlSeconds: '0' },
    ]);
  });

  it('expires tokens after their TTL on its clock', async () => {
    const clock = { ms: Date.UTC(2024, 0, 1) };
    const fake = await imds({ now: () => clock.ms });
    const t = await token(fake, '10');
    clock.ms += 9_999;
    expect((await get(fake, '/latest/meta-data/instance-id', t))[0]).toBe(200);
    clock.ms += 1;
    expect((await get(fake, '/latest/meta-data/instance-id', t))[0]).toBe(401);
  });

  it('serves role credentials on the legacy and extended paths, and fails or drops paths on demand', async () => {
    const fake = await imds({ credentials: { roleName: 'node-role', accessKeyId: 'ASIAFAKE1', expiration: Date.UTC(2030, 0, 1) }, accountId: '111122223333' });
    const t = await token(fake);
    expect(await get(fake, '/latest/meta-data/iam/security-credentials/', t)).toEqual([200, 'node-role']);
    const [status, body] = await get(fake, '/latest/meta-data/iam/security-credentials/node-role', t);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({
      Code: 'Success',
      LastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      Type: 'AWS-HMAC',
      AccessKeyId: 'ASIAFAKE1',
      SecretAccessKey: fake.credentials().secretAccessKey,
      Token: fake.credentials().token,
      Expiration: '2030-01-01T00:00:00Z',
    });
    const extended = JSON.parse((await get(fake, '/latest/meta-data/iam/security-credentials-extended/node-role', t))[1]) as Record<string, string>;
    expect(extended).toMatchObject({ AccessKeyId: 'ASIAFAKE1', AccountId: '111122223333' });
    expect((await get(fake, '/latest/meta-data/iam/security-credentials/other-role', t))[0]).toBe(404);

    fake.failPath('instance-id', 503, 2);
    expect((await get(fake, '/latest/meta-data/instance-id', t))[0]).toBe(503);
    expect((await get(fake, '/latest/meta-data/instance-id', t))[0]).toBe(503);
    expect((await get(fake, '/latest/meta-data/instance-id', t))[0]).toBe(200);
    fake.failPath('/latest/api/token', 'drop');
    await expect(fetch(`${fake.url}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } })).rejects.toThrow();
    expect(fake.requests.at(-1)).toMatchObject({ path: '/latest/api/token', status: 0 });
    fake.clearFailures();
    expect((await fetch(`${fake.url}/latest/api/token`, { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' } })).status).toBe(200);

    const noExtended = await imds({ extendedCredentials: false });
    const t2 = await token(noExtended);
    expect((await get(noExtended, '/latest/meta-data/iam/security-credentials-extended/elasticrtc-node', t2))[0]).toBe(404);
    expect((await get(noExtended, '/latest/meta-data/iam/security-credentials/elasticrtc-node', t2))[0]).toBe(200);
  });
});

/** Environment of the SDK's default credentials chain: nothing but the fake IMDS. */
const CLEARED = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_V1_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_STS',
];

describe('the SDK default credentials chain against the fake IMDS', () => {
  let saved: Record<string, string | undefined> = {};
  let aws: FakeAws;
  let metadata: FakeImds;

  beforeEach(async () => {
    metadata = await imds();
    aws = await startFakeAws();
    opened.push(aws);
    const set = { AWS_EC2_METADATA_SERVICE_ENDPOINT: metadata.url, AWS_CONFIG_FILE: '/nonexistent/fake-imds/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/fake-imds/credentials' };
    saved = Object.fromEntries([...CLEARED, ...Object.keys(set)].map((k) => [k, process.env[k]]));
    for (const k of CLEARED) delete process.env[k];
    Object.assign(process.env, set);
  });

  afterEach(() => {
    vi.useRealTimers();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const sts = (): STSClient => {
    const client = new STSClient({ region: 'eu-west-1', endpoint: aws.url, maxAttempts: 1 });
    opened.push({ close: async () => client.destroy() });
    return client;
  };

  it('signs with the instance role credentials it takes from the fake IMDS (IMDSv2 token first)', async () => {
    const out = await sts().send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('123456789012');
    const { accessKeyId, roleName } = metadata.credentials();
    expect(aws.requests).toEqual([expect.objectContaining({ service: 'sts', action: 'GetCallerIdentity', status: 200, accessKeyId })]);
    const seen = metadata.requests.map((r) => `${r.method} ${r.path} ${r.status} ${r.withToken}`);
    expect(seen[0]).toBe('PUT /latest/api/token 200 false');
    expect(metadata.requests[0]?.ttlSeconds).toBe('21600');
    expect(seen).toContain(`GET /latest/meta-data/iam/security-credentials/${roleName} 200 true`);
    expect(metadata.requests.every((r) => r.status === 200)).toBe(true);
  });

  it('picks up rotated credentials once the old ones expire', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const first = metadata.setCredentials({ expiration: start + 3600_000 });
    const client = sts();
    await client.send(new GetCallerIdentityCommand({}));
    await client.send(new GetCallerIdentityCommand({}));
    vi.setSystemTime(start + 2 * 3600_000);
    const second = metadata.setCredentials({ expiration: start + 8 * 3600_000 });
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    await client.send(new GetCallerIdentityCommand({}));
    await sts().send(new GetCallerIdentityCommand({}));
    expect(aws.requests.map((r) => r.accessKeyId)).toEqual([first.accessKeyId, first.accessKeyId, second.accessKeyId, second.accessKeyId]);
  });

  it('gives the SDK nothing without a token: with the token path refused, its IMDSv1 fallback gets 401', async () => {
    metadata.failPath('/latest/api/token', 404);
    const error = await sts()
      .send(new GetCallerIdentityCommand({}))
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    expect(error?.message).toMatch(/credential|metadata/i);
    expect(aws.requests).toEqual([]);
    expect(metadata.requests.find((r) => r.method === 'GET')).toMatchObject({ path: '/latest/meta-data/iam/security-credentials/', status: 401, withToken: false });
  });
});
