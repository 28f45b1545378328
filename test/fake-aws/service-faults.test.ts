import { ListCertificatesCommand } from '@aws-sdk/client-acm';
import { GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { GetBucketLocationCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clients, rejection, setup } from './helpers.js';

type Env = Awaited<ReturnType<typeof setup>>;
let env: Env;
let zone: string;
beforeEach(async () => {
  env = await setup();
  env.fake.addBucket({ name: 'b' });
  zone = env.fake.addHostedZone({ name: 'example.com' });
});
afterEach(async () => {
  await env.close();
});

type Call = () => Promise<unknown>;
const calls = (): Record<string, Call> => ({
  s3: () => env.s3.send(new GetBucketLocationCommand({ Bucket: 'b' })),
  route53: () => env.route53.send(new GetHostedZoneCommand({ Id: zone })),
  acm: () => env.acm.send(new ListCertificatesCommand({})),
  secretsmanager: () => env.secrets.send(new DescribeSecretCommand({ SecretId: 'nope' })),
});

async function outcome(call: Call): Promise<string> {
  const e = await rejection(call());
  return `${e.name} ${e.$metadata?.httpStatusCode}`;
}

describe('faults on S3, Route 53, ACM and Secrets Manager', () => {
  it('throttles with each service\'s code', async () => {
    const seen: Record<string, string> = {};
    for (const [service, call] of Object.entries(calls())) {
      env.fake.faults.throttle(1, { service });
      seen[service] = await outcome(call);
    }
    expect(seen).toEqual({ s3: 'SlowDown 503', route53: 'Throttling 400', acm: 'ThrottlingException 400', secretsmanager: 'ThrottlingException 400' });
    expect(env.fake.requests.map((r) => `${r.service} ${r.action} ${r.status}`)).toEqual([
      's3 GetBucketLocation 503',
      'route53 GetHostedZone 400',
      'acm ListCertificates 400',
      'secretsmanager DescribeSecret 400',
    ]);
  });

  it('answers server errors with each service\'s code', async () => {
    env.fake.faults.serverError(4);
    const seen = await Promise.all(Object.values(calls()).map(outcome));
    expect(seen).toEqual(['InternalError 500', 'InternalFailure 500', 'InternalFailure 500', 'InternalServiceError 500']);
  });

  it('denies access per action, HEAD requests without a body', async () => {
    for (const action of ['GetBucketLocation', 'HeadBucket', 'GetHostedZone', 'ListCertificates', 'DescribeSecret']) env.fake.faults.denyAccess(action);
    const seen = await Promise.all(Object.values(calls()).map(outcome));
    expect(seen).toEqual(['AccessDenied 403', 'AccessDenied 403', 'AccessDeniedException 400', 'AccessDeniedException 400']);
    const head = await rejection(env.s3.send(new HeadBucketCommand({ Bucket: 'b' })));
    expect(head.$metadata?.httpStatusCode).toBe(403);
    const denied = await rejection(env.acm.send(new ListCertificatesCommand({})));
    expect(denied.message).toBe('User: arn:aws:iam::123456789012:user/tester is not authorized to perform: acm:ListCertificates because no identity-based policy allows the acm:ListCertificates action');
  });

  it('rejects credentials with each service\'s code', async () => {
    env.fake.faults.rejectCredentials('AKIDBAD');
    env.fake.faults.rejectCredentials('AKIDOLD', 'ExpiredToken');
    const bad = clients(env.fake.url, { accessKeyId: 'AKIDBAD' });
    const old = clients(env.fake.url, { accessKeyId: 'AKIDOLD' });
    const results = await Promise.all([
      outcome(() => bad.s3.send(new GetBucketLocationCommand({ Bucket: 'b' }))),
      outcome(() => bad.route53.send(new GetHostedZoneCommand({ Id: zone }))),
      outcome(() => bad.acm.send(new ListCertificatesCommand({}))),
      outcome(() => old.s3.send(new GetBucketLocationCommand({ Bucket: 'b' }))),
      outcome(() => old.secrets.send(new DescribeSecretCommand({ SecretId: 'x' }))),
    ]);
    expect(results).toEqual(['InvalidAccessKeyId 403', 'InvalidClientTokenId 403', 'UnrecognizedClientException 400', 'ExpiredToken 400', 'ExpiredTokenException 400']);
    for (const c of [...Object.values(bad), ...Object.values(old)]) c.destroy();
  });

  it('drops connections and lets retries through', async () => {
    env.fake.faults.drop(1, { service: 'secretsmanager' });
    expect((await rejection(calls().secretsmanager!())).message).toMatch(/socket hang up|ECONNRESET/);
    const retrying = clients(env.fake.url, { maxAttempts: 3, instantRetries: true });
    env.fake.faults.throttle(2, { service: 'route53' });
    const out = await retrying.route53.send(new GetHostedZoneCommand({ Id: zone }));
    expect(out.$metadata.attempts).toBe(3);
    env.fake.faults.throttle(1, { service: 's3' });
    expect((await retrying.s3.send(new GetBucketLocationCommand({ Bucket: 'b' }))).LocationConstraint).toBe('eu-west-1');
    for (const c of Object.values(retrying)) c.destroy();
    expect(env.fake.count({ service: 'route53' })).toBe(3);
  });

  it('writes JSON errors with __type, message and x-amzn-ErrorType', async () => {
    const res = await fetch(`${env.fake.url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'secretsmanager.DescribeSecret',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20240115/eu-west-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=00',
      },
      body: '{"SecretId":"nope"}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await res.json()).toEqual({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
    const unsigned = await fetch(`${env.fake.url}/`, { method: 'POST', headers: { 'x-amz-target': 'CertificateManager.Frobnicate' }, body: '{}' });
    expect(((await unsigned.json()) as { __type: string }).__type).toBe('UnknownOperationException');
    expect(env.fake.requests[1]).toMatchObject({ service: 'acm', action: 'Frobnicate' });
  });
});
