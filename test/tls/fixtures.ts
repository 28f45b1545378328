import forge from 'node-forge';

/** The pinned clock of every TLS test: certificates are valid 2030-01-01 to 2031-01-01 by default. */
export const NOW = new Date('2030-06-15T12:00:00Z');
export const FILES = { cert: 'cert.pem', key: 'key.pem' };

const keys = new Map<string, forge.pki.rsa.KeyPair>();

/** An RSA key pair generated once per test file and name (2048 bits unless told). */
export function rsaKey(name = 'server', bits = 2048): forge.pki.rsa.KeyPair {
  const id = `${name}/${bits}`;
  let pair = keys.get(id);
  if (!pair) {
    pair = forge.pki.rsa.generateKeyPair({ bits, e: 0x10001 });
    keys.set(id, pair);
  }
  return pair;
}

export interface CertSpec {
  key: forge.pki.rsa.KeyPair;
  cn?: string;
  sans?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Signs with this issuer; self-signed when absent. */
  issuer?: { cert: forge.pki.Certificate; key: forge.pki.rsa.KeyPair };
  ca?: boolean;
  /** Leaves out basicConstraints entirely. */
  noConstraints?: boolean;
  sha1?: boolean;
  version1?: boolean;
  serial?: string;
}

/** Builds and signs an X.509 certificate. */
export function makeCert(spec: CertSpec): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = spec.key.publicKey;
  cert.serialNumber = spec.serial ?? '0a';
  cert.validity.notBefore = spec.notBefore ?? new Date('2030-01-01T00:00:00Z');
  cert.validity.notAfter = spec.notAfter ?? new Date('2031-01-01T00:00:00Z');
  const subject = spec.cn === undefined ? [] : [{ shortName: 'CN', value: spec.cn }];
  cert.setSubject(subject);
  cert.setIssuer(spec.issuer ? spec.issuer.cert.subject.attributes : subject);
  if (spec.version1) cert.version = 0;
  else {
    const extensions: object[] = [];
    if (!spec.noConstraints) extensions.push({ name: 'basicConstraints', cA: spec.ca === true, critical: true });
    if (spec.sans) extensions.push({ name: 'subjectAltName', altNames: spec.sans.map((value) => ({ type: 2, value })) });
    cert.setExtensions(extensions);
  }
  const signer = spec.issuer?.key ?? spec.key;
  cert.sign(signer.privateKey, spec.sha1 ? forge.md.sha1.create() : forge.md.sha256.create());
  return cert;
}

export const certPem = (...certs: forge.pki.Certificate[]): string => certs.map((c) => forge.pki.certificateToPem(c)).join('');
export const keyPem = (pair: forge.pki.rsa.KeyPair): string => forge.pki.privateKeyToPem(pair.privateKey);
export const pkcs8Pem = (pair: forge.pki.rsa.KeyPair): string =>
  forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(pair.privateKey)));

/** Base64 fragments of a key's private parts, to prove they never reach a message. */
export function keySecrets(pair: forge.pki.rsa.KeyPair): string[] {
  const body = keyPem(pair).split('\n').filter((l) => !l.startsWith('-----') && l.trim() !== '');
  const d = pair.privateKey.d.toString(16);
  return [...body.slice(1, 4).map((l) => l.trim()), d.slice(0, 32)];
}
