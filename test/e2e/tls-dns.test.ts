import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';

// Certificates are made here, valid around the real clock the binary reads, so none ever expires.
const DAY = 86_400_000;
type Pair = { pem: string; forge: forge.pki.rsa.KeyPair };
const pairs = new Map<string, Pair>();
function rsa(name: string, bits = 2048): Pair {
  const found = pairs.get(name);
  if (found) return found;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const pair = { pem, forge: { privateKey: priv, publicKey: forge.pki.setRsaPublicKey(priv.n, priv.e) } };
  pairs.set(name, pair);
  return pair;
}
function cert(o: { key?: Pair; cn?: string; sans?: string[]; from?: number; to?: number; version1?: boolean }): string {
  const key = o.key ?? rsa('server');
  const c = forge.pki.createCertificate();
  c.publicKey = key.forge.publicKey;
  c.serialNumber = '0b';
  c.validity.notBefore = new Date(Date.now() + (o.from ?? -DAY));
  c.validity.notAfter = new Date(Date.now() + (o.to ?? 90 * DAY));
  const subject = o.cn ? [{ shortName: 'CN', value: o.cn }] : [];
  c.setSubject(subject);
  c.setIssuer(subject);
  if (o.version1) c.version = 0;
  else c.setExtensions([{ name: 'basicConstraints', cA: false }, ...(o.sans ? [{ name: 'subjectAltName', altNames: o.sans.map((value) => ({ type: 2, value })) }] : [])]);
  c.sign(key.forge.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(c);
}

const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-tls-'));
let n = 0;
function files(certText: string, keyText = rsa('server').pem): string[] {
  n += 1;
  const c = join(dir, `c${n}.pem`);
  const k = join(dir, `k${n}.pem`);
  writeFileSync(c, certText);
  writeFileSync(k, keyText);
  return ['--ssl-cert', c, '--ssl-key', k];
}
const keyLines = (pem: string) => pem.split('\n').filter((l) => l.length > 40 && !l.startsWith('-----'));

let fake: FakeAws;
let zoneCom: string;
let zoneNet: string;
let zoneOrg: string;
let zonePrivate: string;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
  zoneCom = fake.addHostedZone({ name: 'example.com', records: [{ name: 'taken.example.com', type: 'A', value: '192.0.2.1' }] });
  zoneNet = fake.addHostedZone({ name: 'Example.NET' });
  zoneOrg = fake.addHostedZone({ name: 'example.org' });
  zonePrivate = fake.addHostedZone({ name: 'internal.example', private: true });
});
afterAll(() => fake.close());

const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];
const create = (name: string, extra: string[]) => runCli(['create', '--stack-name', name, ...extra, ...json], endpointEnv(fake.url));

describe('the TLS and DNS table, end to end', () => {
  it('no certificate, no zone: the load balancer’s name, ws://, no record', async () => {
    const r = await create('plainws', []);
    expect(r.code).toBe(0);
    const report = onlyJson(r.stdout);
    expect(String(report.clusterUrl)).toMatch(/^ws:\/\/plainws-alb-[^/]+\/\*{8}$/);
    expect(report.cnameNote).toBeNull();
  });

  it('no certificate, a zone: <stack-name>.<zone>, record created, ws://', async () => {
    const r = await create('ZoneOnly', ['--hosted-zone-id', zoneCom]);
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout).clusterUrl).toBe('ws://zoneonly.example.com/********');
    expect(fake.hostedZoneRecords(zoneCom).some((x) => x.name === 'zoneonly.example.com.' && x.alias)).toBe(true);
  });

  it('a single name, no zone: that name, wss://, the CNAME to create printed; ACM holds the certificate until delete', async () => {
    const key = rsa('server');
    const r = await create('single', [...files(cert({ sans: ['Demo.Example.com'] }), key.pem), '--debug']);
    expect(r.code).toBe(0);
    const report = onlyJson(r.stdout);
    expect(report.clusterUrl).toBe('wss://demo.example.com/********');
    expect(String(report.cnameNote)).toMatch(/^demo\.example\.com CNAME single-alb-/);
    const imported = fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'single');
    expect(imported).toHaveLength(1);
    const stack = fake.stack('single')!;
    expect(stack.parameters.CertificateArn).toBe(imported[0]!.arn);
    // The private key went to ACM and nowhere else.
    expect(imported[0]!.privateKeyPem).toBeDefined();
    const captured = [r.stdout, r.stderr, stack.templateBody, JSON.stringify(stack.parameters), JSON.stringify(stack.tags), JSON.stringify(stack.outputs), JSON.stringify(fake.requests.find((q) => q.action === 'CreateStack')?.params)].join('\n');
    for (const line of keyLines(key.pem)) expect(captured).not.toContain(line);

    const d = await runCli(['delete', '--stack-name', 'single', '--yes', ...json], endpointEnv(fake.url));
    expect(d.code).toBe(0);
    expect(fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'single')).toEqual([]);
  });

  it('a single name inside the zone: that name, record created, wss://', async () => {
    const r = await create('insidezone', [...files(cert({ sans: ['media.example.com'] })), '--hosted-zone-id', zoneCom]);
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout).clusterUrl).toBe('wss://media.example.com/********');
    expect(fake.hostedZoneRecords(zoneCom).some((x) => x.name === 'media.example.com.')).toBe(true);
  });

  it('a wildcard, no zone: <stack-name>.<domain>, printed', async () => {
    const r = await create('Wild', files(cert({ cn: '*.example.io' })));
    expect(r.code).toBe(0);
    const report = onlyJson(r.stdout);
    expect(report.clusterUrl).toBe('wss://wild.example.io/********');
    expect(String(report.cnameNote)).toMatch(/^wild\.example\.io CNAME/);
  });

  it('a wildcard whose domain is the zone (any case): <stack-name>.<zone>, record created', async () => {
    const r = await create('wildzone', [...files(cert({ sans: ['*.example.net'] })), '--hosted-zone-id', zoneNet]);
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout).clusterUrl).toBe('wss://wildzone.example.net/********');
    expect(fake.hostedZoneRecords(zoneNet).some((x) => x.name === 'wildzone.example.net.')).toBe(true);
  });

  it.each([
    ['a name outside the zone', () => [...files(cert({ sans: ['demo.example.com'] })), '--hosted-zone-id', zoneOrg], ['demo.example.com', 'example.org']],
    ['a wildcard of another domain', () => [...files(cert({ sans: ['*.example.com'] })), '--hosted-zone-id', zoneNet], ['*.example.com', 'example.net']],
    ['a private zone', () => ['--hosted-zone-id', zonePrivate], ['internal.example', 'private']],
  ])('%s: exit 2 showing the certificate’s names and the zone, nothing created', async (_what, args, shown) => {
    fake.resetRequests();
    const r = await create(`mismatch${++n}`, args());
    expect(r.code).toBe(2);
    for (const text of shown) expect(r.stderr.toLowerCase()).toContain(text);
    expect(fake.requests.filter((q) => /^(Create|Put|Import)/.test(q.action))).toEqual([]);
  });

  it('an existing record of that name: a preflight error, not a failed stack', async () => {
    fake.resetRequests();
    const r = await create('taken', ['--hosted-zone-id', zoneCom]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already has a record taken.example.com');
    expect(fake.count({ action: 'CreateStack' })).toBe(0);
  });

  it('--certificate-arn: an issued certificate covering the name is used; a pending one is refused', async () => {
    const issued = fake.addCertificate({ domainName: 'acm.example.com' });
    const ok = await create('acmcert', ['--certificate-arn', issued]);
    expect(ok.code).toBe(0);
    expect(fake.stack('acmcert')?.parameters.CertificateArn).toBe(issued);
    const pending = fake.addCertificate({ domainName: 'wait.example.com', status: 'PENDING_VALIDATION' });
    const refused = await create('acmpending', ['--certificate-arn', pending]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is PENDING_VALIDATION');
    // A certificate of the user's own is never deleted with the cluster.
    expect((await runCli(['delete', '--stack-name', 'acmcert', '--yes', ...json], endpointEnv(fake.url))).code).toBe(0);
    expect(fake.certificates().some((c) => c.arn === issued)).toBe(true);
  });

  it('a create that fails and rolls back removes the imported certificate and the secret', async () => {
    fake.scenario.failNextCreate('NodeGroup', 'no capacity');
    const r = await create('rolledback', files(cert({ sans: ['rb.example.com'] })));
    expect(r.code).toBe(5);
    expect(fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'rolledback')).toEqual([]);
    expect(fake.secrets().some((s) => s.name === 'elasticrtc/rolledback' && !s.deleted)).toBe(false);
  });
});

describe('bad certificates and keys: exit 2 with a clear message, nothing created', () => {
  const other = () => rsa('other');
  const encryptedKey = () => forge.pki.encryptRsaPrivateKey(rsa('server').forge.privateKey, 'passphrase', { algorithm: 'aes256' });
  const cases: [string, () => string[], string][] = [
    ['garbage certificate', () => files('this is not a certificate'), '--ssl-cert'],
    ['garbage key', () => files(cert({ sans: ['a.example.com'] }), 'not a key'), '--ssl-key'],
    ['empty certificate file', () => files(''), '--ssl-cert'],
    ['key and certificate swapped', () => files(rsa('server').pem, cert({ sans: ['a.example.com'] })), '--ssl-cert'],
    ['expired', () => files(cert({ sans: ['a.example.com'], from: -100 * DAY, to: -DAY })), 'expired'],
    ['not yet valid', () => files(cert({ sans: ['a.example.com'], from: 10 * DAY, to: 100 * DAY })), 'not valid before'],
    ['key of another certificate', () => files(cert({ sans: ['a.example.com'] }), other().pem), 'does not match'],
    ['encrypted key and nobody to ask', () => files(cert({ sans: ['a.example.com'] }), encryptedKey()), 'encrypted'],
    ['DER instead of PEM', () => files(forge.util.encode64(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(cert({ sans: ['a.example.com'] })))).getBytes())), '--ssl-cert'],
    ['no DNS name', () => files(cert({ cn: 'My Server' })), 'name'],
    ['version 1 certificate', () => files(cert({ cn: 'a.example.com', version1: true })), 'version'],
    ['a missing key file', () => ['--ssl-cert', join(dir, 'c1.pem'), '--ssl-key', join(dir, 'missing.pem')], 'no such file'],
    ['a folder as certificate', () => ['--ssl-cert', dir, '--ssl-key', join(dir, 'k1.pem')], 'is a folder'],
  ];

  it.each(cases)('%s', async (_what, args, message) => {
    fake.resetRequests();
    const r = await create('badcert', args());
    expect(r.stderr.toLowerCase()).toContain(message.toLowerCase());
    expect(r.code).toBe(2);
    expect(fake.count()).toBe(0);
    for (const line of keyLines(rsa('server').pem)) expect(r.stderr + r.stdout).not.toContain(line);
  });
});
