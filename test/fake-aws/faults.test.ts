import { DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeInstancesCommand, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { clients, rejection, useFake } from './helpers.js';

const env = useFake();

const listStacks = () => env.cfn.send(new ListStacksCommand({}));

describe('faults', () => {
  it('throttles the next N matching requests', async () => {
    env.fake.faults.throttle(1, { service: 'cloudformation', action: 'ListStacks' });
    await env.ec2.send(new DescribeRegionsCommand({})); // does not match
    const e = await rejection(listStacks());
    expect(e.name).toBe('Throttling');
    expect(e.message).toBe('Rate exceeded');
    expect(e.$metadata?.httpStatusCode).toBe(400);
    await listStacks();
    expect(env.fake.requests.map((r) => `${r.action} ${r.status}`)).toEqual(['DescribeRegions 200', 'ListStacks 400', 'ListStacks 200']);
  });

  it('lets SDK retries get through after the throttling ends', async () => {
    const retrying = clients(env.fake.url, { maxAttempts: 3, instantRetries: true });
    env.fake.faults.throttle(2);
    const out = await retrying.cfn.send(new ListStacksCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    env.fake.faults.throttle(3);
    expect((await rejection(retrying.cfn.send(new ListStacksCommand({})))).name).toBe('Throttling');
    env.fake.faults.throttle(1, { service: 'ec2' });
    expect((await rejection(env.ec2.send(new DescribeRegionsCommand({})))).name).toBe('RequestLimitExceeded');
    retrying.cfn.destroy();
  });

  it('answers server errors with 500 InternalFailure', async () => {
    env.fake.faults.serverError(1);
    const e = await rejection(listStacks());
    expect(e.name).toBe('InternalFailure');
    expect(e.$metadata?.httpStatusCode).toBe(500);
    expect((e as unknown as { $fault: string }).$fault).toBe('server');
    env.fake.faults.serverError(1, { service: 'ec2' });
    expect((await rejection(env.ec2.send(new DescribeRegionsCommand({})))).name).toBe('InternalError');
  });

  it('drops connections without an answer', async () => {
    env.fake.faults.drop(1, { action: 'DescribeStacks' });
    const e = await rejection(env.cfn.send(new DescribeStacksCommand({})));
    expect(e.message).toMatch(/socket hang up|ECONNRESET/);
    expect(env.fake.requests[0]).toMatchObject({ action: 'DescribeStacks', status: 0 });
    await env.cfn.send(new DescribeStacksCommand({}));
  });

  it('adds latency to every answer', async () => {
    env.fake.faults.latency(60);
    const started = performance.now();
    await listStacks();
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    env.fake.faults.clear();
    await listStacks();
  });

  it('denies access to an action', async () => {
    env.fake.faults.denyAccess('DescribeStacks');
    env.fake.faults.denyAccess('DescribeInstances');
    const e = await rejection(env.cfn.send(new DescribeStacksCommand({})));
    expect(e.name).toBe('AccessDenied');
    expect(e.message).toBe('User: arn:aws:iam::123456789012:user/tester is not authorized to perform: cloudformation:DescribeStacks because no identity-based policy allows the cloudformation:DescribeStacks action');
    expect(e.$metadata?.httpStatusCode).toBe(403);
    const ec2 = await rejection(env.ec2.send(new DescribeInstancesCommand({})));
    expect(ec2.name).toBe('UnauthorizedOperation');
    await listStacks();
  });

  it('rejects the credentials of a given access key', async () => {
    env.fake.faults.rejectCredentials('AKIDBAD');
    env.fake.faults.rejectCredentials('AKIDOLD', 'ExpiredToken');
    const bad = clients(env.fake.url, { accessKeyId: 'AKIDBAD' });
    const old = clients(env.fake.url, { accessKeyId: 'AKIDOLD' });
    const invalid = await rejection(bad.sts.send(new GetCallerIdentityCommand({})));
    expect(invalid.name).toBe('InvalidClientTokenId');
    expect(invalid.$metadata?.httpStatusCode).toBe(403);
    expect((await rejection(old.cfn.send(new ListStacksCommand({})))).name).toBe('ExpiredToken');
    expect((await rejection(bad.ec2.send(new DescribeRegionsCommand({})))).name).toBe('AuthFailure');
    await env.sts.send(new GetCallerIdentityCommand({}));
    for (const c of [...Object.values(bad), ...Object.values(old)]) c.destroy();
  });

  it('counts and resets recorded requests', async () => {
    await listStacks();
    await listStacks();
    await env.ec2.send(new DescribeRegionsCommand({}));
    expect(env.fake.count()).toBe(3);
    expect(env.fake.count({ service: 'cloudformation' })).toBe(2);
    expect(env.fake.count({ action: 'DescribeRegions' })).toBe(1);
    expect(env.fake.requests[0]?.params).toMatchObject({ Action: 'ListStacks', Version: '2010-05-15' });
    env.fake.resetRequests();
    expect(env.fake.count()).toBe(0);
  });
});

describe('raw protocol', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${env.fake.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });

  it('finds the service by action name without a signature and sets a request id header', async () => {
    const res = await post('Action=GetCallerIdentity&Version=2011-06-15');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    const text = await res.text();
    expect(text).toContain('<GetCallerIdentityResult><UserId>');
    expect(text).toContain(`<RequestId>${res.headers.get('x-amzn-requestid')}</RequestId>`);
    expect(env.fake.requests[0]?.service).toBe('sts');
  });

  it('answers unknown actions with InvalidAction in the protocol of the signed service', async () => {
    const auth = (service: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20240115/eu-west-1/${service}/aws4_request, SignedHeaders=host, Signature=00` });
    const cfn = await post('Action=Frobnicate&Version=2010-05-15', auth('cloudformation'));
    expect(cfn.status).toBe(400);
    expect(await cfn.text()).toMatch(/^<ErrorResponse xmlns="http:\/\/cloudformation\.amazonaws\.com\/doc\/2010-05-15\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/);
    const ec2 = await post('Action=Frobnicate&Version=2016-11-15', auth('ec2'));
    expect(await ec2.text()).toMatch(/^<Response><Errors><Error><Code>InvalidAction<\/Code><Message>.*<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/);
  });
});
