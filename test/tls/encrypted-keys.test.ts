import { createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { describeFinding, type CertificateFinding } from '../../src/tls/certificate-findings.js';
import { checkCertificatePair } from '../../src/tls/check-certificate-pair.js';
import { certPem, FILES, keyPem, keySecrets, makeCert, NOW, rsaKey } from './fixtures.js';

const key = rsaKey();
const cert = certPem(makeCert({ key, cn: 'demo.example.com' }));
const secrets = [...keySecrets(key), 'right horse battery', 'wrong'];

function check(keyText: string, passphrase?: string): { findings: CertificateFinding[]; privateKeyPem?: string } {
  const { info, findings } = checkCertificatePair(cert, keyText, NOW, passphrase);
  for (const f of findings) {
    const text = describeFinding(f, FILES);
    expect(text).toMatch(/^--ssl-key key\.pem: /);
    for (const s of secrets) expect(text).not.toContain(s);
  }
  return info ? { findings, privateKeyPem: info.privateKeyPem } : { findings };
}

const viaNode = (type: 'pkcs8' | 'pkcs1', cipher: string): string =>
  createPrivateKey(keyPem(key)).export({ type, format: 'pem', cipher, passphrase: 'right horse battery' }).toString();

const encrypted: [string, string][] = [
  ['PKCS#8 by node-forge', forge.pki.encryptRsaPrivateKey(key.privateKey, 'right horse battery', { algorithm: 'aes256' })],
  ['PKCS#8 as OpenSSL writes it (PBKDF2-SHA256, AES-256-CBC)', viaNode('pkcs8', 'aes-256-cbc')],
  ['legacy PEM, AES-256', forge.pki.encryptRsaPrivateKey(key.privateKey, 'right horse battery', { algorithm: 'aes256', legacy: true })],
  ['legacy PEM, 3DES as OpenSSL writes it', viaNode('pkcs1', 'des-ede3-cbc')],
];

describe.each(encrypted)('an encrypted key: %s', (_name, pem) => {
  it('is reported as encrypted without a passphrase', () => {
    const { findings } = check(pem);
    expect(findings).toEqual([{ kind: 'EncryptedKey' }]);
    expect(describeFinding(findings[0]!, FILES)).toBe(
      '--ssl-key key.pem: the key is encrypted; decrypt it (openssl pkey -in key.pem -out plain.pem) or enter its passphrase when asked',
    );
  });

  it('is decrypted with the right passphrase into an unencrypted PKCS#8 key', () => {
    const { findings, privateKeyPem } = check(pem, 'right horse battery');
    expect(findings).toEqual([]);
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(forge.pki.privateKeyFromPem(privateKeyPem ?? '').n.equals(key.privateKey.n)).toBe(true);
  });

  it('reports a wrong passphrase', () => {
    const { findings } = check(pem, 'wrong');
    expect(findings).toEqual([{ kind: 'WrongPassphrase' }]);
    expect(describeFinding(findings[0]!, FILES)).toBe('--ssl-key key.pem: the passphrase does not decrypt the key');
  });
});

describe('keys encrypted with a cipher node-forge cannot decrypt', () => {
  it.each([['PKCS#8', viaNode('pkcs8', 'camellia-256-cbc')], ['legacy PEM', viaNode('pkcs1', 'camellia-256-cbc')]])(
    '%s: encrypted without a passphrase, unsupported with one',
    (_name, pem) => {
      expect(check(pem).findings).toEqual([{ kind: 'EncryptedKey' }]);
      const { findings } = check(pem, 'right horse battery');
      expect(findings.map((f) => f.kind)).toEqual(['UnsupportedKey']);
      expect(describeFinding(findings[0]!, FILES)).toContain('encrypted with a cipher elasticrtc cannot decrypt');
    },
  );

  it('quotes an odd key file name in the openssl hint', () => {
    const text = describeFinding({ kind: 'EncryptedKey' }, { cert: 'c.pem', key: "my key's.pem" });
    expect(text).toBe(
      `--ssl-key my key's.pem: the key is encrypted; decrypt it (openssl pkey -in 'my key'\\''s.pem' -out plain.pem) or enter its passphrase when asked`,
    );
  });
});
