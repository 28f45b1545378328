import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { checkCertificatePair } from '../../src/tls/check-certificate-pair.js';
import { certPem, keyPem, makeCert, NOW, pkcs8Pem, rsaKey } from './fixtures.js';

const key = rsaKey();

describe('checkCertificatePair with good pairs', () => {
  it('accepts a self-signed certificate and describes it', () => {
    const cert = makeCert({ key, cn: 'demo.example.com', sans: ['demo.example.com'] });
    const { info, findings } = checkCertificatePair(certPem(cert), keyPem(key), NOW);
    expect(findings).toEqual([]);
    expect(info).toMatchObject({
      names: ['demo.example.com'],
      wildcard: false,
      subject: 'CN=demo.example.com',
      keyBits: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      chainPem: '',
      notBefore: new Date('2030-01-01T00:00:00Z'),
      notAfter: new Date('2031-01-01T00:00:00Z'),
    });
    expect(info?.certificatePem).toBe(certPem(cert).replace(/\r\n/g, '\n'));
  });

  it('returns the key as unencrypted PKCS#8 PEM that is the same key', () => {
    const cert = makeCert({ key, cn: 'demo.example.com' });
    const { info } = checkCertificatePair(certPem(cert), keyPem(key), NOW);
    expect(info?.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PRIVATE KEY-----\n$/);
    const again = forge.pki.privateKeyFromPem(info?.privateKeyPem ?? '');
    expect(again.n.equals(key.privateKey.n)).toBe(true);
  });

  it('reads PKCS#8 keys, CRLF files and files holding both the certificate and the key', () => {
    const cert = makeCert({ key, cn: 'demo.example.com' });
    const crlf = certPem(cert).replace(/\n/g, '\r\n');
    expect(checkCertificatePair(crlf, pkcs8Pem(key), NOW).findings).toEqual([]);
    const both = certPem(cert) + keyPem(key);
    expect(checkCertificatePair(both, both, NOW).findings).toEqual([]);
  });

  it('takes a wildcard name', () => {
    const cert = makeCert({ key, cn: '*.example.com', sans: ['*.example.com'] });
    const { info, findings } = checkCertificatePair(certPem(cert), keyPem(key), NOW);
    expect(findings).toEqual([]);
    expect(info).toMatchObject({ names: ['*.example.com'], wildcard: true });
  });

  it('takes the SAN names when there is no CN', () => {
    const cert = makeCert({ key, sans: ['api.example.com'] });
    const { info, findings } = checkCertificatePair(certPem(cert), keyPem(key), NOW);
    expect(findings).toEqual([]);
    expect(info).toMatchObject({ names: ['api.example.com'], subject: '' });
  });

  it('takes the CN, lowercased, when there are no SAN names', () => {
    const cert = makeCert({ key, cn: 'Media.Example.COM' });
    expect(checkCertificatePair(certPem(cert), keyPem(key), NOW).info?.names).toEqual(['media.example.com']);
  });

  it('lowercases several SANs, keeps their order, drops duplicates and ignores the CN', () => {
    const cert = makeCert({ key, cn: 'other.example.net', sans: ['B.Example.com', '*.Example.COM', 'b.example.com', 'a.example.com'] });
    const { info } = checkCertificatePair(certPem(cert), keyPem(key), NOW);
    expect(info?.names).toEqual(['b.example.com', '*.example.com', 'a.example.com']);
    expect(info?.wildcard).toBe(true);
  });

  it('ignores a passphrase when the key is not encrypted', () => {
    const cert = makeCert({ key, cn: 'demo.example.com' });
    expect(checkCertificatePair(certPem(cert), keyPem(key), NOW, 'secret').findings).toEqual([]);
  });

  it('counts the first and last instants of validity as valid', () => {
    const cert = makeCert({ key, cn: 'demo.example.com' });
    expect(checkCertificatePair(certPem(cert), keyPem(key), cert.validity.notBefore).findings).toEqual([]);
    expect(checkCertificatePair(certPem(cert), keyPem(key), cert.validity.notAfter).findings).toEqual([]);
  });
});
