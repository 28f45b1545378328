import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { describeFinding, isError, type CertificateFinding } from '../../src/tls/certificate-findings.js';
import { checkCertificatePair } from '../../src/tls/check-certificate-pair.js';
import { certPem, FILES, keyPem, keySecrets, makeCert, NOW, rsaKey } from './fixtures.js';

const key = rsaKey();
const good = makeCert({ key, cn: 'demo.example.com', sans: ['demo.example.com'] });
const secrets = keySecrets(key);

/** Checks the pair and that every message names its flag and file and leaks no key material. */
function check(cert: string, keyText: string): CertificateFinding[] {
  const { findings } = checkCertificatePair(cert, keyText, NOW);
  for (const f of findings) {
    const text = describeFinding(f, FILES);
    expect(text).toMatch(/^--ssl-(cert cert|key key)\.pem: [a-z"]/);
    for (const s of secrets) expect(text).not.toContain(s);
    expect(JSON.stringify(f)).not.toContain(secrets[0]);
  }
  return findings;
}
const kinds = (findings: CertificateFinding[]) => findings.map((f) => f.kind);
const texts = (findings: CertificateFinding[]) => findings.map((f) => describeFinding(f, FILES));
const der = (c: forge.pki.Certificate) => forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes();

describe('unreadable input', () => {
  it('rejects garbage as a certificate', () => {
    const f = check('hello world\n', keyPem(key));
    expect(f).toEqual([{ kind: 'UnparseableCertificate', detail: 'no -----BEGIN CERTIFICATE----- block found' }]);
  });

  it('rejects an empty certificate file', () => {
    expect(texts(check('', keyPem(key)))).toEqual(['--ssl-cert cert.pem: cannot read a certificate: the file is empty']);
  });

  it('recognises binary DER and suggests converting it', () => {
    const binary = Buffer.from(der(good), 'binary').toString('utf8');
    const f = check(binary, keyPem(key));
    expect(kinds(f)).toEqual(['UnparseableCertificate']);
    expect(texts(f)[0]).toContain('binary DER, not PEM text; convert it (openssl x509 -inform der');
  });

  it('recognises a binary DER key', () => {
    const keyDer = forge.asn1.toDer(forge.pki.privateKeyToAsn1(key.privateKey)).getBytes();
    const f = check(certPem(good), Buffer.from(keyDer, 'binary').toString('utf8'));
    expect(kinds(f)).toEqual(['UnparseableKey']);
    expect(texts(f)[0]).toContain('binary DER, not PEM text; convert it (openssl pkey -inform der -out key.pem)');
  });

  it('recognises base64 without PEM armour', () => {
    const bare = forge.util.encode64(der(good), 64);
    const f = check(bare, keyPem(key));
    expect(kinds(f)).toEqual(['UnparseableCertificate']);
    expect(texts(f)[0]).toContain('base64 without PEM armour');
  });

  it('rejects a CERTIFICATE block whose body is not a certificate', () => {
    const f = check('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', keyPem(key));
    expect(f).toEqual([{ kind: 'UnparseableCertificate', detail: 'the CERTIFICATE block is not a valid X.509 certificate' }]);
  });

  it('rejects garbage as a key and still checks the certificate', () => {
    const expired = makeCert({ key, cn: 'demo.example.com', notAfter: new Date('2030-02-01T00:00:00Z') });
    const f = check(certPem(expired), 'not a key');
    expect(kinds(f)).toEqual(['UnparseableKey', 'Expired']);
  });

  it('says when the two files are swapped', () => {
    const f = check(keyPem(key), certPem(good));
    expect(kinds(f)).toEqual(['UnparseableCertificate', 'UnparseableKey']);
    expect(texts(f)).toEqual([
      '--ssl-cert cert.pem: cannot read a certificate: the file holds a private key, not a certificate (are --ssl-cert and --ssl-key swapped?)',
      '--ssl-key key.pem: cannot read a private key: the file holds a certificate, not a private key (are --ssl-cert and --ssl-key swapped?)',
    ]);
  });

  it('says when the certificate file holds a signing request and the key file a public key', () => {
    const csr = forge.pki.createCertificationRequest();
    csr.publicKey = key.publicKey;
    csr.sign(key.privateKey, forge.md.sha256.create());
    const f = check(forge.pki.certificationRequestToPem(csr), forge.pki.publicKeyToPem(key.publicKey));
    expect(texts(f)).toEqual([
      '--ssl-cert cert.pem: cannot read a certificate: the file holds a certificate signing request, not the certificate issued for it',
      '--ssl-key key.pem: cannot read a private key: the file holds a public key; the private key is needed',
    ]);
  });
});

describe('certificate problems', () => {
  it('rejects an expired certificate', () => {
    const old = makeCert({ key, cn: 'demo.example.com', notBefore: new Date('2025-01-01Z'), notAfter: new Date('2026-01-01Z') });
    const f = check(certPem(old), keyPem(key));
    expect(f).toEqual([{ kind: 'Expired', notBefore: new Date('2025-01-01Z'), notAfter: new Date('2026-01-01Z') }]);
    expect(texts(f)).toEqual(['--ssl-cert cert.pem: the certificate expired on 2026-01-01 (valid 2025-01-01 to 2026-01-01)']);
  });

  it('rejects a certificate that is not valid yet', () => {
    const future = makeCert({ key, cn: 'demo.example.com', notBefore: new Date('2030-07-01Z'), notAfter: new Date('2031-07-01Z') });
    const f = check(certPem(future), keyPem(key));
    expect(kinds(f)).toEqual(['NotYetValid']);
    expect(texts(f)).toEqual(['--ssl-cert cert.pem: the certificate is not valid before 2030-07-01 (valid 2030-07-01 to 2031-07-01)']);
  });

  it('rejects a key that belongs to another certificate', () => {
    const other = rsaKey('other');
    const f = check(certPem(good), keyPem(other));
    expect(f).toEqual([{ kind: 'KeyMismatch' }]);
    expect(texts(f)).toEqual(['--ssl-key key.pem: does not match the certificate in --ssl-cert cert.pem']);
  });

  it('rejects a certificate without DNS names', () => {
    expect(kinds(check(certPem(makeCert({ key, cn: 'My Media Server' })), keyPem(key)))).toEqual(['NoDnsNames']);
    expect(kinds(check(certPem(makeCert({ key })), keyPem(key)))).toEqual(['NoDnsNames']);
  });

  it('rejects an X.509 version 1 certificate', () => {
    const f = check(certPem(makeCert({ key, cn: 'demo.example.com', version1: true })), keyPem(key));
    expect(f).toEqual([{ kind: 'NotVersion3', version: 1 }]);
  });

  it('warns about an RSA 1024 key', () => {
    const weak = rsaKey('weak', 1024);
    const cert = makeCert({ key: weak, cn: 'demo.example.com' });
    const { info, findings } = checkCertificatePair(certPem(cert), keyPem(weak), NOW);
    expect(findings).toEqual([{ kind: 'WeakKey', bits: 1024 }]);
    expect(isError(findings[0]!)).toBe(false);
    expect(info?.keyBits).toBe(1024);
    expect(describeFinding(findings[0]!, FILES)).toBe("--ssl-cert cert.pem: the certificate's RSA key has only 1024 bits; use 2048 or more");
  });

  it('rejects RSA sizes ACM cannot import', () => {
    const odd = rsaKey('odd', 1536);
    const f = check(certPem(makeCert({ key: odd, cn: 'demo.example.com' })), keyPem(odd));
    expect(kinds(f)).toEqual(['UnsupportedKey', 'WeakKey']);
    expect(texts(f)[0]).toContain('has 1536 bits; ACM imports only 1024, 2048, 3072 and 4096-bit RSA keys');
  });

  it('warns about a SHA-1 signature', () => {
    const cert = makeCert({ key, cn: 'demo.example.com', sha1: true });
    const { info, findings } = checkCertificatePair(certPem(cert), keyPem(key), NOW);
    expect(findings).toEqual([{ kind: 'Sha1Signature' }]);
    expect(info?.signatureAlgorithm).toBe('sha1WithRSAEncryption');
  });

  it('reports every finding at once, errors first', () => {
    const bad = makeCert({ key: rsaKey('weak', 1024), cn: 'Nobody', sha1: true, notAfter: new Date('2030-03-01Z') });
    const f = check(certPem(bad), keyPem(key));
    expect(kinds(f)).toEqual(['KeyMismatch', 'Expired', 'NoDnsNames', 'WeakKey', 'Sha1Signature']);
  });
});
