import { describe, expect, it } from 'vitest';
import { describeFinding, isError } from '../../src/tls/certificate-findings.js';
import { checkCertificatePair } from '../../src/tls/check-certificate-pair.js';
import { certPem, FILES, keyPem, makeCert, NOW, rsaKey } from './fixtures.js';

const rootKey = rsaKey('root');
const midKey = rsaKey('intermediate');
const key = rsaKey('server');

const root = makeCert({ key: rootKey, cn: 'Test Root CA', ca: true });
const mid = makeCert({ key: midKey, cn: 'Test Intermediate CA', ca: true, issuer: { cert: root, key: rootKey } });
const leaf = makeCert({ key, cn: 'demo.example.com', sans: ['demo.example.com'], issuer: { cert: mid, key: midKey } });
const pem = (c: Parameters<typeof certPem>[0]) => certPem(c).replace(/\r\n/g, '\n');

const check = (...certs: Parameters<typeof certPem>) => checkCertificatePair(certPem(...certs), keyPem(key), NOW);
const kinds = (r: ReturnType<typeof check>) => r.findings.map((f) => f.kind);

describe('certificate chains', () => {
  it('accepts a leaf followed by its intermediate', () => {
    const r = check(leaf, mid);
    expect(r.findings).toEqual([]);
    expect(r.info?.certificatePem).toBe(pem(leaf));
    expect(r.info?.chainPem).toBe(pem(mid));
  });

  it('accepts the full chain up to the root, in order', () => {
    const r = check(leaf, mid, root);
    expect(r.findings).toEqual([]);
    expect(r.info?.chainPem).toBe(pem(mid) + pem(root));
  });

  it('warns about a reversed chain and imports it in order, the leaf found by its key', () => {
    const r = check(root, mid, leaf);
    expect(kinds(r)).toEqual(['ChainOutOfOrder']);
    expect(r.findings.every((f) => !isError(f))).toBe(true);
    expect(r.info?.certificatePem).toBe(pem(leaf));
    expect(r.info?.chainPem).toBe(pem(mid) + pem(root));
    expect(describeFinding(r.findings[0]!, FILES)).toMatch(/^--ssl-cert cert\.pem: the certificates are not in order/);
  });

  it('warns when only the intermediates are swapped', () => {
    const r = check(leaf, root, mid);
    expect(kinds(r)).toEqual(['ChainOutOfOrder']);
    expect(r.info?.chainPem).toBe(pem(mid) + pem(root));
  });

  it('drops a repeated leaf silently', () => {
    expect(check(leaf, leaf, mid).findings).toEqual([]);
  });

  it('rejects a chain with a missing intermediate', () => {
    const r = check(leaf, root);
    expect(r.findings).toEqual([{ kind: 'ChainBroken', after: 'CN=demo.example.com', unlinked: ['CN=Test Root CA'] }]);
    expect(isError(r.findings[0]!)).toBe(true);
    expect(describeFinding(r.findings[0]!, FILES)).toBe(
      '--ssl-cert cert.pem: the chain is broken: no certificate in the file signs "CN=demo.example.com", so "CN=Test Root CA" cannot follow it; add the missing intermediate certificate or remove the unrelated ones',
    );
  });

  it('rejects an intermediate with the right name but another key', () => {
    const impostor = makeCert({ key: rootKey, cn: 'Test Intermediate CA', ca: true, issuer: { cert: root, key: rootKey } });
    expect(kinds(check(leaf, impostor))).toEqual(['ChainBroken']);
  });

  it('warns when a certificate of the chain is not a certificate authority', () => {
    const plainMid = makeCert({ key: midKey, cn: 'Not A CA', noConstraints: true, issuer: { cert: root, key: rootKey } });
    const signedLeaf = makeCert({ key, cn: 'demo.example.com', issuer: { cert: plainMid, key: midKey } });
    const r = check(signedLeaf, plainMid);
    expect(r.findings).toEqual([{ kind: 'NotACertificateAuthority', subject: 'CN=Not A CA' }]);
    expect(isError(r.findings[0]!)).toBe(false);
    expect(describeFinding(r.findings[0]!, FILES)).toContain('"CN=Not A CA" in the chain is not a certificate authority');
  });
});
