import { describe, expect, it } from 'vitest';
import { certificateCovers } from '../../src/tls/certificate-covers.js';
import { describeFinding, isError, type CertificateFinding } from '../../src/tls/certificate-findings.js';

const dates = { notBefore: new Date('2025-01-01Z'), notAfter: new Date('2026-01-01Z') };
const every: [CertificateFinding, 'cert' | 'key', boolean][] = [
  [{ kind: 'UnparseableCertificate', detail: 'the file is empty' }, 'cert', true],
  [{ kind: 'UnparseableKey', detail: 'the file is empty' }, 'key', true],
  [{ kind: 'EncryptedKey' }, 'key', true],
  [{ kind: 'WrongPassphrase' }, 'key', true],
  [{ kind: 'UnsupportedKey', file: 'cert', detail: 'the certificate has an EC P-256 key' }, 'cert', true],
  [{ kind: 'UnsupportedKey', file: 'key', detail: 'the key is an EC P-256 key' }, 'key', true],
  [{ kind: 'Expired', ...dates }, 'cert', true],
  [{ kind: 'NotYetValid', ...dates }, 'cert', true],
  [{ kind: 'KeyMismatch' }, 'key', true],
  [{ kind: 'NoDnsNames' }, 'cert', true],
  [{ kind: 'NotVersion3', version: 1 }, 'cert', true],
  [{ kind: 'ChainBroken', after: 'CN=a', unlinked: ['CN=b'] }, 'cert', true],
  [{ kind: 'WeakKey', bits: 1024 }, 'cert', false],
  [{ kind: 'Sha1Signature' }, 'cert', false],
  [{ kind: 'ChainOutOfOrder' }, 'cert', false],
  [{ kind: 'NotACertificateAuthority', subject: 'CN=b' }, 'cert', false],
];

describe('describeFinding and isError', () => {
  it.each(every)('%j names --ssl-%s and its file', (finding, flag, error) => {
    const text = describeFinding(finding, { cert: 'certs/site.pem', key: 'keys/site.key' });
    const file = flag === 'cert' ? 'certs/site.pem' : 'keys/site.key';
    expect(text.startsWith(`--ssl-${flag} ${file}: `)).toBe(true);
    expect(text.slice(text.indexOf(': ') + 2)).toMatch(/^[a-z"]/);
    expect(isError(finding)).toBe(error);
  });

  it('escapes control characters in certificate subjects', () => {
    const text = describeFinding({ kind: 'NotACertificateAuthority', subject: 'CN=\u001b[31mred' }, { cert: 'c.pem', key: 'k.pem' });
    expect(text).toBe('--ssl-cert c.pem: "CN=\\u001b[31mred" in the chain is not a certificate authority; clients may reject the certificates it signed');
  });

  it('escapes control characters in file names', () => {
    expect(describeFinding({ kind: 'KeyMismatch' }, { cert: 'a\nb.pem', key: 'k.pem' })).toBe(
      '--ssl-key k.pem: does not match the certificate in --ssl-cert a\\nb.pem',
    );
  });
});

describe('certificateCovers', () => {
  it('matches exact names case-insensitively, ignoring a trailing dot', () => {
    expect(certificateCovers(['demo.example.com'], 'Demo.Example.COM')).toBe(true);
    expect(certificateCovers(['Demo.Example.com'], 'demo.example.com.')).toBe(true);
    expect(certificateCovers(['demo.example.com'], 'example.com')).toBe(false);
    expect(certificateCovers(['demo.example.com'], 'x.demo.example.com')).toBe(false);
  });

  it('lets a wildcard cover exactly one extra label', () => {
    expect(certificateCovers(['*.example.com'], 'a.example.com')).toBe(true);
    expect(certificateCovers(['*.Example.com'], 'A.EXAMPLE.com')).toBe(true);
    expect(certificateCovers(['*.example.com'], 'example.com')).toBe(false);
    expect(certificateCovers(['*.example.com'], 'a.b.example.com')).toBe(false);
    expect(certificateCovers(['*.example.com'], '.example.com')).toBe(false);
    expect(certificateCovers(['*.example.com'], 'a.example.org')).toBe(false);
  });

  it('checks every name and never matches an empty host', () => {
    expect(certificateCovers(['a.example.org', '*.example.com'], 'b.example.com')).toBe(true);
    expect(certificateCovers([], 'a.example.com')).toBe(false);
    expect(certificateCovers(['*.example.com'], '')).toBe(false);
  });
});
