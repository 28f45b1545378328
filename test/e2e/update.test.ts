import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
});
afterAll(() => fake.close());

const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];
const env = () => endpointEnv(fake.url);
const create = (name: string, extra: string[]) => runCli(['create', '--stack-name', name, ...extra, ...json], env());
const update = (name: string, extra: string[]) => runCli(['update', '--stack-name', name, ...extra, '--yes', ...json], env());
const capacity = (name: string) => {
  const p = fake.stack(name)?.parameters ?? {};
  return { min: p.MinCapacity, max: p.MaxCapacity, desired: p.DesiredCapacity };
};
const writes = () => fake.requests.filter((q) => /^(Create|Put|Import|Delete|Update|Execute)/.test(q.action));

describe('update: the cluster’s settings with this update’s flags on top', () => {
  it('the README’s example: new bounds on an autoscaling cluster carry the current desired capacity into them', async () => {
    expect((await create('bounds', ['--min-capacity', '1', '--max-capacity', '4'])).code).toBe(0);
    const r = await update('bounds', ['--max-capacity', '8', '--min-capacity', '2']);
    expect(r.stderr).not.toContain('--desired-capacity');
    expect(r.code).toBe(0);
    expect(capacity('bounds')).toEqual({ min: '2', max: '8', desired: '2' });
    // Lower bounds pull it down the same way.
    expect((await update('bounds', ['--min-capacity', '0', '--max-capacity', '1'])).code).toBe(0);
    expect(capacity('bounds')).toEqual({ min: '0', max: '1', desired: '1' });
  });

  it('a fixed-size cluster given only --desired-capacity stays fixed at that size', async () => {
    expect((await create('fixed', [])).code).toBe(0);
    const r = await update('fixed', ['--desired-capacity', '3']);
    expect(r.stderr).not.toContain('--max-capacity');
    expect(r.code).toBe(0);
    expect(capacity('fixed')).toEqual({ min: '3', max: '3', desired: '3' });
    expect((await update('fixed', ['--desired-capacity', '2'])).code).toBe(0);
    expect(capacity('fixed')).toEqual({ min: '2', max: '2', desired: '2' });
  });

  it('bounds given to a fixed-size cluster make it autoscaling, its size clamped into them', async () => {
    expect((await create('grows', ['--desired-capacity', '3'])).code).toBe(0);
    expect((await update('grows', ['--min-capacity', '1', '--max-capacity', '2'])).code).toBe(0);
    expect(capacity('grows')).toEqual({ min: '1', max: '2', desired: '2' });
  });

  it('an explicit --desired-capacity outside the bounds given with it: exit 2 naming the flags, zero requests to AWS', async () => {
    fake.resetRequests();
    const r = await update('bounds', ['--desired-capacity', '9', '--min-capacity', '2', '--max-capacity', '8']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--desired-capacity 9: is above --max-capacity 8');
    expect(fake.requests).toEqual([]);
  });

  it('an explicit --desired-capacity outside the cluster’s bounds: exit 2 naming them, nothing changed', async () => {
    fake.resetRequests();
    const r = await update('bounds', ['--desired-capacity', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--desired-capacity 5: is above --max-capacity 1');
    expect(writes()).toEqual([]);
  });
});

// Certificates are made here, valid around the real clock the binary reads.
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-update-tls-'));
let n = 0;
function certificateFiles(name: string): string[] {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.setRsaPublicKey(priv.n, priv.e);
  n += 1;
  c.serialNumber = `0${n}`;
  c.validity.notBefore = new Date(Date.now() - DAY);
  c.validity.notAfter = new Date(Date.now() + 90 * DAY);
  c.setSubject([]);
  c.setIssuer([]);
  c.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: [{ type: 2, value: name }] }]);
  c.sign(priv, forge.md.sha256.create());
  const certPath = join(dir, `c${n}.pem`);
  const keyPath = join(dir, `k${n}.pem`);
  writeFileSync(certPath, forge.pki.certificateToPem(c));
  writeFileSync(keyPath, keyPem);
  return ['--ssl-cert', certPath, '--ssl-key', keyPath];
}
const imported = (cluster: string) => fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === cluster).map((c) => c.arn);

describe('update: a new certificate replaces the cluster’s TLS source', () => {
  it('new files on a cluster made from files: imported, served, the previous import deleted; again after another update', async () => {
    expect((await create('renewed', certificateFiles('renewed.example.com'))).code).toBe(0);
    const [first] = imported('renewed');
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(first);

    const renewal = await update('renewed', certificateFiles('renewed.example.com'));
    expect(renewal.stderr).not.toContain('cannot be combined');
    expect(renewal.code).toBe(0);
    const [second] = imported('renewed');
    expect(imported('renewed')).toHaveLength(1);
    expect(second).not.toBe(first);
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(second);
    expect(String(onlyJson(renewal.stdout).clusterUrl)).toMatch(/^wss:\/\/renewed\.example\.com\//);

    // An update of something else keeps the certificate; the next renewal still replaces it.
    expect((await update('renewed', ['--max-capacity', '3', '--min-capacity', '1'])).code).toBe(0);
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(second);
    const again = await update('renewed', certificateFiles('renewed.example.com'));
    expect(again.stderr).not.toContain('cannot be combined');
    expect(again.code).toBe(0);
    const [third] = imported('renewed');
    expect(imported('renewed')).toHaveLength(1);
    expect(third).not.toBe(second);
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(third);
  });

  it('new files on a cluster made with --certificate-arn: imported and served; the user’s own certificate stays in ACM', async () => {
    const own = fake.addCertificate({ domainName: 'own.example.com' });
    expect((await create('owncert', ['--certificate-arn', own])).code).toBe(0);
    const r = await update('owncert', certificateFiles('own.example.com'));
    expect(r.stderr).not.toContain('cannot be combined');
    expect(r.code).toBe(0);
    const [arn] = imported('owncert');
    expect(fake.stack('owncert')?.parameters.CertificateArn).toBe(arn);
    expect(fake.certificates().some((c) => c.arn === own)).toBe(true);
  });

  it('--certificate-arn on a cluster made from files: served, the imported certificate deleted', async () => {
    expect((await create('toacm', certificateFiles('toacm.example.com'))).code).toBe(0);
    expect(imported('toacm')).toHaveLength(1);
    const own = fake.addCertificate({ domainName: 'toacm.example.com' });
    const r = await update('toacm', ['--certificate-arn', own]);
    expect(r.code).toBe(0);
    expect(fake.stack('toacm')?.parameters.CertificateArn).toBe(own);
    expect(imported('toacm')).toEqual([]);
  });

  it('a renewal that rolls back: the new import deleted, the previous certificate served and kept', async () => {
    expect((await create('renewfails', certificateFiles('renewfails.example.com'))).code).toBe(0);
    const [before] = imported('renewfails');
    fake.scenario.failNextUpdate('HttpsListener', 'listener refused');
    const r = await update('renewfails', certificateFiles('renewfails.example.com'));
    expect(r.code).toBe(5);
    expect(imported('renewfails')).toEqual([before]);
    expect(fake.stack('renewfails')?.parameters.CertificateArn).toBe(before);
  });

  it('new files and --certificate-arn together: exit 2 naming both, nothing imported', async () => {
    const own = fake.addCertificate({ domainName: 'both.example.com' });
    fake.resetRequests();
    const r = await update('renewed', [...certificateFiles('renewed.example.com'), '--certificate-arn', own]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--certificate-arn ${own}: cannot be combined with --ssl-cert/--ssl-key`);
    expect(writes()).toEqual([]);
  });
});
