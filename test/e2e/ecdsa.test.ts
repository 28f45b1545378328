import { ACMClient, DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';
import { type Curve, ecKey, ecKeyPem, makeAnyCert } from '../tls/ec-fixtures.js';

let fake: FakeAws;
let zone: string;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
  zone = fake.addHostedZone({ name: 'example.com' });
});
afterAll(() => fake.close());

const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];
const DAY = 86_400_000;

/** An ECDSA certificate valid around the real clock the binary reads, and its key, as files. */
function files(curve: Curve, keyType: 'pkcs8' | 'sec1'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-ecdsa-'));
  const key = ecKey('e2e', curve);
  const cert = makeAnyCert({ key, cn: 'media.example.com', sans: ['media.example.com'], notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 90 * DAY) });
  writeFileSync(join(dir, 'cert.pem'), cert.pem);
  writeFileSync(join(dir, 'key.pem'), ecKeyPem(key, keyType));
  return ['--ssl-cert', join(dir, 'cert.pem'), '--ssl-key', join(dir, 'key.pem')];
}

describe('ECDSA certificates, end to end', () => {
  it('creates a wss:// cluster with a P-384 certificate and its SEC 1 key, imported into ACM as EC', async () => {
    const r = await runCli(['create', '--stack-name', 'ecdsa', ...files('P-384', 'sec1'), '--hosted-zone-id', zone, ...json], endpointEnv(fake.url));
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout).clusterUrl).toBe('wss://media.example.com/********');
    const imported = fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'ecdsa');
    expect(imported).toHaveLength(1);
    expect(imported[0]?.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const acm = new ACMClient({ region: 'eu-west-1', endpoint: fake.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } });
    const described = await acm.send(new DescribeCertificateCommand({ CertificateArn: imported[0]?.arn }));
    expect(described.Certificate).toMatchObject({ KeyAlgorithm: 'EC_secp384r1', DomainName: 'media.example.com' });
    expect((await runCli(['delete', '--stack-name', 'ecdsa', '--yes', ...json], endpointEnv(fake.url))).code).toBe(0);
  });

  it('refuses a P-521 certificate before any change, naming the flag, the curve and the accepted curves (exit 2)', async () => {
    const r = await runCli(['create', '--stack-name', 'p521', ...files('P-521', 'pkcs8'), ...json], endpointEnv(fake.url));
    expect(r.code).toBe(2);
    const error = onlyJson(r.stdout).error as { code: string; message: string };
    expect(error.code).toBe('InvalidCertificate');
    expect(error.message).toMatch(/^--ssl-cert \S+cert\.pem: the certificate has an EC P-521 key; the load balancer takes EC keys only on the curves P-256 and P-384/);
    expect(fake.stack('p521')).toBeUndefined();
    expect(fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'p521')).toEqual([]);
  });
});
