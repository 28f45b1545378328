import { execFileSync } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFinding, isError, type CertificateFinding } from '../../src/tls/certificate-findings.js';
import { checkCertificatePair } from '../../src/tls/check-certificate-pair.js';
import { ecKey, ecKeyPem, fromForge, makeAnyCert, type BuiltCert } from './ec-fixtures.js';
import { certPem, FILES, keyPem, makeCert, NOW, rsaKey } from './fixtures.js';

const key = ecKey('server', 'P-256');
const leaf = makeAnyCert({ key, cn: 'demo.example.com', sans: ['Demo.Example.com', '*.demo.example.com'] });

const check = (cert: string, keyText: string, now = NOW, passphrase?: string) => checkCertificatePair(cert, keyText, now, passphrase);
const kinds = (f: CertificateFinding[]) => f.map((x) => x.kind);
const texts = (f: CertificateFinding[]) => f.map((x) => describeFinding(x, FILES));
const pems = (...certs: BuiltCert[]) => certs.map((c) => c.pem).join('');

describe('ECDSA certificates and keys', () => {
  it('accepts a P-256 certificate and its PKCS#8 key, ready for ACM', () => {
    const r = check(leaf.pem, ecKeyPem(key));
    expect(r.findings).toEqual([]);
    expect(r.info).toMatchObject({
      names: ['demo.example.com', '*.demo.example.com'],
      wildcard: true,
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2031-01-01T00:00:00Z'),
      subject: 'CN=demo.example.com',
      keyBits: 256,
      keyAlgorithm: 'EC P-256',
      signatureAlgorithm: 'ecdsa-with-SHA256',
      certificatePem: leaf.pem,
      chainPem: '',
    });
    // The key for ACM: unencrypted PKCS#8 that Node (and so ACM's parsers) reads back as this certificate's key.
    expect(r.info?.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(new X509Certificate(leaf.pem).checkPrivateKey(createPrivateKey(r.info?.privateKeyPem ?? ''))).toBe(true);
  });

  it('accepts a P-384 certificate and its SEC 1 key, also after an EC PARAMETERS block', () => {
    const k = ecKey('server', 'P-384');
    const cert = makeAnyCert({ key: k, cn: 'demo.example.com', sans: ['demo.example.com'] });
    const params = '-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n';
    for (const keyText of [ecKeyPem(k, 'sec1'), params + ecKeyPem(k, 'sec1')]) {
      const r = check(cert.pem, keyText);
      expect(r.findings).toEqual([]);
      expect(r.info).toMatchObject({ keyBits: 384, keyAlgorithm: 'EC P-384' });
    }
  });

  it('refuses a key that is not the certificate’s, on the same curve or another', () => {
    expect(check(leaf.pem, ecKeyPem(ecKey('other', 'P-256'))).findings).toEqual([{ kind: 'KeyMismatch' }]);
    expect(check(leaf.pem, ecKeyPem(ecKey('server', 'P-384'))).findings).toEqual([{ kind: 'KeyMismatch' }]);
    expect(check(leaf.pem, keyPem(rsaKey())).findings).toEqual([{ kind: 'KeyMismatch' }]);
    expect(check(leaf.pem, ecKeyPem(ecKey('server', 'P-521'))).findings).toEqual([{ kind: 'KeyMismatch' }]);
    expect(texts(check(leaf.pem, ecKeyPem(ecKey('other', 'P-256'))).findings)).toEqual(['--ssl-key key.pem: does not match the certificate in --ssl-cert cert.pem']);
  });

  it('checks the validity dates at `now`, with the RSA messages', () => {
    const late = check(leaf.pem, ecKeyPem(key), new Date('2031-03-01T00:00:00Z'));
    expect(texts(late.findings)).toEqual(['--ssl-cert cert.pem: the certificate expired on 2031-01-01 (valid 2030-01-01 to 2031-01-01)']);
    const early = check(leaf.pem, ecKeyPem(key), new Date('2029-12-01T00:00:00Z'));
    expect(kinds(early.findings)).toEqual(['NotYetValid']);
  });

  it('reads the DNS names: SAN entries, else a host-name CN, else none', () => {
    const cnOnly = makeAnyCert({ key, cn: 'Only.Example.com' });
    expect(check(cnOnly.pem, ecKeyPem(key)).info?.names).toEqual(['only.example.com']);
    const noName = makeAnyCert({ key, cn: 'My Server' });
    expect(texts(check(noName.pem, ecKeyPem(key)).findings)).toEqual([
      '--ssl-cert cert.pem: the certificate names no DNS host (no subjectAltName DNS entries and no host name as common name)',
    ]);
  });

  it('refuses a version 1 certificate and warns about a SHA-1 signature', () => {
    expect(check(makeAnyCert({ key, cn: 'demo.example.com', version1: true }).pem, ecKeyPem(key)).findings).toEqual([{ kind: 'NotVersion3', version: 1 }]);
    const sha1 = check(makeAnyCert({ key, cn: 'demo.example.com', sha1: true }).pem, ecKeyPem(key));
    expect(kinds(sha1.findings)).toEqual(['Sha1Signature']);
    expect(sha1.findings.every((f) => !isError(f))).toBe(true);
  });

  it('decrypts encrypted EC keys (PKCS#8 and legacy SEC 1) with the passphrase, and says when it is wrong', () => {
    for (const type of ['pkcs8', 'sec1'] as const) {
      const encrypted = ecKeyPem(key, type, 'pass phrase');
      expect(check(leaf.pem, encrypted).findings, type).toEqual([{ kind: 'EncryptedKey' }]);
      const opened = check(leaf.pem, encrypted, NOW, 'pass phrase');
      expect(opened.findings, type).toEqual([]);
      expect(opened.info?.privateKeyPem, type).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(check(leaf.pem, encrypted, NOW, 'wrong').findings, type).toEqual([{ kind: 'WrongPassphrase' }]);
    }
  });

  it('never puts key material in a message', () => {
    const body = ecKeyPem(key).split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
    const all = [check(leaf.pem, ecKeyPem(ecKey('other'))), check(leaf.pem, ecKeyPem(key), new Date('2040-01-01T00:00:00Z'))].flatMap((r) => texts(r.findings));
    expect(all.length).toBeGreaterThan(0);
    for (const line of body) for (const t of all) expect(t).not.toContain(line);
  });
});

describe('ECDSA chains', () => {
  const rootKey = ecKey('root', 'P-384');
  const midKey = ecKey('intermediate', 'P-256');
  const root = makeAnyCert({ key: rootKey, cn: 'EC Root CA', ca: true });
  const mid = makeAnyCert({ key: midKey, cn: 'EC Intermediate CA', ca: true, issuer: { cn: root.cn, key: rootKey } });
  const signed = makeAnyCert({ key, cn: 'demo.example.com', sans: ['demo.example.com'], issuer: { cn: mid.cn, key: midKey } });

  it('accepts a leaf with its chain, and puts a reversed chain in order', () => {
    const r = check(pems(signed, mid, root), ecKeyPem(key));
    expect(r.findings).toEqual([]);
    expect(r.info?.chainPem).toBe(mid.pem + root.pem);
    const reversed = check(pems(root, mid, signed), ecKeyPem(key));
    expect(kinds(reversed.findings)).toEqual(['ChainOutOfOrder']);
    expect(reversed.info?.certificatePem).toBe(signed.pem);
    expect(reversed.info?.chainPem).toBe(mid.pem + root.pem);
  });

  it('checks ECDSA signatures, not only names: an impostor with the intermediate’s name does not link', () => {
    const impostor = makeAnyCert({ key: ecKey('impostor', 'P-256'), cn: 'EC Intermediate CA', ca: true, issuer: { cn: root.cn, key: rootKey } });
    const r = check(pems(signed, impostor), ecKeyPem(key));
    expect(r.findings).toEqual([{ kind: 'ChainBroken', after: 'CN=demo.example.com', unlinked: ['CN=EC Intermediate CA'] }]);
    expect(check(pems(signed, root), ecKeyPem(key)).findings).toEqual([{ kind: 'ChainBroken', after: 'CN=demo.example.com', unlinked: ['CN=EC Root CA'] }]);
  });

  it('links mixed chains: an EC leaf under an RSA intermediate, an RSA leaf under an EC intermediate', () => {
    const rsaMidKey = rsaKey('rsa-intermediate');
    const rsaMid = makeCert({ key: rsaMidKey, cn: 'RSA Intermediate CA', ca: true });
    const ecUnderRsa = makeAnyCert({ key, cn: 'demo.example.com', sans: ['demo.example.com'], issuer: { cn: 'RSA Intermediate CA', key: fromForge(rsaMidKey) } });
    const r = check(ecUnderRsa.pem + certPem(rsaMid), ecKeyPem(key));
    expect(r.findings).toEqual([]);
    expect(r.info?.signatureAlgorithm).toBe('sha256WithRSAEncryption');

    const serverRsa = rsaKey('server');
    const rsaUnderEc = makeAnyCert({ key: fromForge(serverRsa), cn: 'demo.example.com', sans: ['demo.example.com'], issuer: { cn: mid.cn, key: midKey } });
    const back = check(pems(rsaUnderEc, mid, root), keyPem(serverRsa));
    expect(back.findings).toEqual([]);
    expect(back.info).toMatchObject({ keyAlgorithm: 'RSA', keyBits: 2048, chainPem: mid.pem + root.pem });
    const forged = makeAnyCert({ key: fromForge(serverRsa), cn: 'demo.example.com', sans: ['demo.example.com'], issuer: { cn: mid.cn, key: ecKey('impostor') } });
    expect(kinds(check(pems(forged, mid), keyPem(serverRsa)).findings)).toEqual(['ChainBroken']);
  });

  it('warns about an EC intermediate that is not a certificate authority', () => {
    const notCa = makeAnyCert({ key: midKey, cn: 'EC Intermediate CA', issuer: { cn: root.cn, key: rootKey } });
    const r = check(pems(signed, notCa), ecKeyPem(key));
    expect(texts(r.findings)).toEqual(['--ssl-cert cert.pem: "CN=EC Intermediate CA" in the chain is not a certificate authority; clients may reject the certificates it signed']);
  });
});

describe('EC curves the load balancer does not take', () => {
  it.each(['P-521', 'secp256k1'] as const)('refuses a %s certificate and key once, naming the flag, the curve and the accepted curves', (curve) => {
    const k = ecKey('server', curve);
    const cert = makeAnyCert({ key: k, cn: 'demo.example.com', sans: ['demo.example.com'] });
    const r = check(cert.pem, ecKeyPem(k));
    expect(kinds(r.findings)).toEqual(['UnsupportedKey']);
    expect(r.info).toBeUndefined();
    expect(texts(r.findings)).toEqual([
      `--ssl-cert cert.pem: the certificate has an EC ${curve} key; the load balancer takes EC keys only on the curves P-256 and P-384 (or RSA keys of 2048 bits or more): reissue the certificate with one of them`,
    ]);
  });

  it('names the curve of a key alone, plain or encrypted', () => {
    const k = ecKey('server', 'secp256k1');
    expect(texts(check('', ecKeyPem(k, 'sec1')).findings)[1]).toBe(
      '--ssl-key key.pem: the key is an EC secp256k1 key; the load balancer takes EC keys only on the curves P-256 and P-384 (or RSA keys of 2048 bits or more): reissue the certificate with one of them',
    );
    const p521 = ecKeyPem(ecKey('server', 'P-521'), 'sec1', 'pw');
    expect(texts(check('', p521, NOW, 'pw').findings)[1]).toMatch(/^--ssl-key key\.pem: the key is an EC P-521 key; the load balancer takes EC keys only on the curves P-256 and P-384/);
  });
});

/** Files as `openssl` writes them (valid from today: `now` is taken inside their validity). */
function openssl(args: string[], dir: string): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)('ECDSA files made by openssl', () => {
  it('accepts a P-384 key and certificate from openssl req, and a P-256 key from openssl ecparam', () => {
    const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-ec-'));
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384', '-nodes', '-keyout', 'k384.pem', '-out', 'c384.pem', '-days', '30', '-subj', '/O=Acme/CN=demo.example.com', '-addext', 'subjectAltName=DNS:demo.example.com,IP:192.0.2.1'], dir);
    openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-out', 'k256.pem'], dir);
    openssl(['req', '-new', '-x509', '-key', 'k256.pem', '-out', 'c256.pem', '-days', '30', '-subj', '/CN=demo.example.com', '-sha384'], dir);
    for (const [c, k, label] of [['c384.pem', 'k384.pem', 'EC P-384'], ['c256.pem', 'k256.pem', 'EC P-256']] as const) {
      const certText = readFileSync(join(dir, c), 'utf8');
      const now = new Date(Date.parse(new X509Certificate(certText).validFrom) + 3_600_000);
      const r = check(certText, readFileSync(join(dir, k), 'utf8'), now);
      expect(r.findings, c).toEqual([]);
      expect(r.info, c).toMatchObject({ keyAlgorithm: label, names: ['demo.example.com'] });
    }
  });
});
