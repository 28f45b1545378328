import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { describeFinding, type CertificateFinding } from '../../src/tls/certificate-findings.js';
import { checkCertificatePair } from '../../src/tls/check-certificate-pair.js';
import { certPem, FILES, keyPem, makeCert, NOW, rsaKey } from './fixtures.js';

const key = rsaKey();
const rsaCert = makeCert({ key, cn: 'demo.example.com' });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecKey = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
/** A curve ACM imports but the load balancer does not serve. */
const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
const p521Key = p521.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const k1Sec1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();

/** An otherwise normal certificate whose public key is that EC key (its signature is not checked: it is a leaf). */
function ecCertificate(pair: { publicKey: KeyObject } = ec): string {
  // A DER round trip copies the structure: node-forge shares it with the signed certificate.
  const asn1 = forge.asn1.fromDer(forge.asn1.toDer(forge.pki.certificateToAsn1(rsaCert)));
  const tbs = asn1.value[0] as forge.asn1.Asn1;
  const spki = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('binary');
  (tbs.value as forge.asn1.Asn1[])[6] = forge.asn1.fromDer(spki);
  return forge.pem.encode({ type: 'CERTIFICATE', body: forge.asn1.toDer(asn1).getBytes() });
}

const check = (cert: string, keyText: string): CertificateFinding[] => checkCertificatePair(cert, keyText, NOW).findings;
const kinds = (f: CertificateFinding[]) => f.map((x) => x.kind);
const texts = (f: CertificateFinding[]) => f.map((x) => describeFinding(x, FILES));

describe('keys other than RSA', () => {
  it('accepts an EC P-256 certificate with its key', () => {
    const r = checkCertificatePair(ecCertificate(), ecKey, NOW);
    expect(r.findings).toEqual([]);
    expect(r.info).toMatchObject({ names: ['demo.example.com'], keyAlgorithm: 'EC P-256', keyBits: 256 });
  });

  it('reports an EC P-521 certificate and key once, naming the curves the load balancer takes', () => {
    const f = check(ecCertificate(p521), p521Key);
    expect(f).toEqual([{ kind: 'UnsupportedKey', file: 'cert', detail: expect.stringContaining('an EC P-521 key') as string }]);
    expect(texts(f)[0]).toBe(
      '--ssl-cert cert.pem: the certificate has an EC P-521 key; the load balancer takes EC keys only on the curves P-256 and P-384 (or RSA keys of 2048 bits or more): reissue the certificate with one of them',
    );
  });

  it('names the curve of a SEC 1 EC key it refuses', () => {
    const f = check('garbage', k1Sec1);
    expect(kinds(f)).toEqual(['UnparseableCertificate', 'UnsupportedKey']);
    expect(texts(f)[1]).toMatch(/^--ssl-key key\.pem: the key is an EC secp256k1 key;/);
  });

  it('treats an EC key for an RSA certificate, and the reverse, as a mismatch', () => {
    expect(check(certPem(rsaCert), ecKey)).toEqual([{ kind: 'KeyMismatch' }]);
    expect(kinds(check(ecCertificate(), keyPem(key)))).toEqual(['KeyMismatch']);
    expect(kinds(check(ecCertificate(p521), keyPem(key)))).toEqual(['KeyMismatch', 'UnsupportedKey']);
  });

  it('says ACM does not import Ed25519 keys', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const f = check('', ed);
    expect(texts(f)[1]).toBe('--ssl-key key.pem: the key is an Ed25519 key; ACM does not import this kind of key: use an RSA 2048 certificate');
  });

  it('names the curve of an encrypted EC key it refuses once a passphrase is given', () => {
    const pem = p521.privateKey.export({ type: 'sec1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    const { findings } = checkCertificatePair('', pem, NOW, 'pw');
    expect(texts(findings)[1]).toMatch(/^--ssl-key key\.pem: the key is an EC P-521 key;/);
  });

  it('points OpenSSH keys to a conversion', () => {
    const ssh = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';
    expect(texts(check(certPem(rsaCert), ssh))).toEqual([
      '--ssl-key key.pem: cannot read a private key: the key is in OpenSSH format; convert it to PEM (ssh-keygen -p -m PKCS8 -f FILE rewrites it in place)',
    ]);
  });
});
