/** Which of the two input files a finding is about. */
export type TlsFile = 'cert' | 'key';

/**
 * One thing wrong with a certificate/key pair. Findings never carry key material: only kinds,
 * dates, sizes, certificate subjects and fixed explanatory text.
 */
export type CertificateFinding =
  /** The certificate file holds no readable X.509 certificate (empty, DER, no PEM armour, a key…). */
  | { kind: 'UnparseableCertificate'; detail: string }
  /** The key file holds no readable private key. */
  | { kind: 'UnparseableKey'; detail: string }
  /** The key is encrypted (PKCS#8 or legacy `Proc-Type: 4,ENCRYPTED`) and no passphrase was given. */
  | { kind: 'EncryptedKey' }
  /** A passphrase was given but does not decrypt the key. */
  | { kind: 'WrongPassphrase' }
  /** A key type, size or encryption elasticrtc cannot check, or ACM cannot import. */
  | { kind: 'UnsupportedKey'; file: TlsFile; detail: string }
  /** The leaf certificate's validity ended before `now`. */
  | { kind: 'Expired'; notBefore: Date; notAfter: Date }
  /** The leaf certificate's validity starts after `now`. */
  | { kind: 'NotYetValid'; notBefore: Date; notAfter: Date }
  /** The key's public part matches no certificate in the file (compared with the first one). */
  | { kind: 'KeyMismatch' }
  /** The leaf names no DNS host: no SAN dNSName entries and no host name as common name. */
  | { kind: 'NoDnsNames' }
  /** The leaf is not an X.509 version 3 certificate, which ACM requires (`version` is 1-based). */
  | { kind: 'NotVersion3'; version: number }
  /** No certificate in the file signs `after`, so the `unlinked` ones cannot follow it. */
  | { kind: 'ChainBroken'; after: string; unlinked: string[] }
  /** Warning: an RSA key shorter than 2048 bits. */
  | { kind: 'WeakKey'; bits: number }
  /** Warning: the leaf is signed with SHA-1. */
  | { kind: 'Sha1Signature' }
  /** Warning: the file's certificates are not leaf first, then each signed by the next; they are reordered. */
  | { kind: 'ChainOutOfOrder' }
  /** Warning: a certificate in the chain is not marked as a certificate authority. */
  | { kind: 'NotACertificateAuthority'; subject: string };

const WARNINGS: ReadonlySet<CertificateFinding['kind']> = new Set([
  'WeakKey',
  'Sha1Signature',
  'ChainOutOfOrder',
  'NotACertificateAuthority',
]);

/** True when the finding must stop a create; warnings (weak key, SHA-1, chain order, CA flag) don't. */
export const isError = (f: CertificateFinding): boolean => !WARNINGS.has(f.kind);

const day = (d: Date): string => d.toISOString().slice(0, 10);
const shown = (file: string): string => JSON.stringify(file).slice(1, -1);
/** Certificate subjects are outside text: quoted and escaped so they cannot drive the terminal. */
const quoted = (subject: string): string => JSON.stringify(subject);
const shellWord = (file: string): string => (/^[\w./@%+=:,-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`);

/**
 * Formats a finding as the lowercase clause users see, naming the flag and the file, e.g.
 * `--ssl-key key.pem: does not match the certificate in --ssl-cert cert.pem`.
 */
export function describeFinding(f: CertificateFinding, files: { cert: string; key: string }): string {
  const cert = `--ssl-cert ${shown(files.cert)}`;
  const key = `--ssl-key ${shown(files.key)}`;
  const valid = (v: { notBefore: Date; notAfter: Date }): string => `(valid ${day(v.notBefore)} to ${day(v.notAfter)})`;
  switch (f.kind) {
    case 'UnparseableCertificate':
      return `${cert}: cannot read a certificate: ${f.detail}`;
    case 'UnparseableKey':
      return `${key}: cannot read a private key: ${f.detail}`;
    case 'EncryptedKey':
      return `${key}: the key is encrypted; decrypt it (openssl pkey -in ${shellWord(files.key)} -out plain.pem) or enter its passphrase when asked`;
    case 'WrongPassphrase':
      return `${key}: the passphrase does not decrypt the key`;
    case 'UnsupportedKey':
      return `${f.file === 'cert' ? cert : key}: ${f.detail}`;
    case 'Expired':
      return `${cert}: the certificate expired on ${day(f.notAfter)} ${valid(f)}`;
    case 'NotYetValid':
      return `${cert}: the certificate is not valid before ${day(f.notBefore)} ${valid(f)}`;
    case 'KeyMismatch':
      return `${key}: does not match the certificate in ${cert}`;
    case 'NoDnsNames':
      return `${cert}: the certificate names no DNS host (no subjectAltName DNS entries and no host name as common name)`;
    case 'NotVersion3':
      return `${cert}: the certificate is X.509 version ${f.version}; ACM imports only version 3 certificates (reissue it with a subjectAltName)`;
    case 'ChainBroken':
      return `${cert}: the chain is broken: no certificate in the file signs ${quoted(f.after)}, so ${f.unlinked.map(quoted).join(', ')} cannot follow it; add the missing intermediate certificate or remove the unrelated ones`;
    case 'WeakKey':
      return `${cert}: the certificate's RSA key has only ${f.bits} bits; use 2048 or more`;
    case 'Sha1Signature':
      return `${cert}: the certificate is signed with SHA-1, which browsers reject; reissue it with SHA-256`;
    case 'ChainOutOfOrder':
      return `${cert}: the certificates are not in order (the server certificate first, then each followed by the one that signed it); they will be imported in the right order`;
    case 'NotACertificateAuthority':
      return `${cert}: ${quoted(f.subject)} in the chain is not a certificate authority; clients may reject the certificates it signed`;
  }
}
