/**
 * ECDSA test certificates, built in the test with a pinned validity: node-forge lays out the
 * certificate (names, validity, extensions) and Node's crypto signs it, since node-forge has no EC.
 * The subject key and the issuer's key may each be EC or RSA, for mixed chains.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export type Curve = 'P-256' | 'P-384' | 'P-521' | 'secp256k1';

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const keys = new Map<string, KeyPair>();

/** An EC key pair generated once per test file, name and curve. */
export function ecKey(name = 'server', curve: Curve = 'P-256'): KeyPair {
  const id = `${name}/${curve}`;
  let pair = keys.get(id);
  if (!pair) {
    pair = generateKeyPairSync('ec', { namedCurve: curve });
    keys.set(id, pair);
  }
  return pair;
}

/** Node's key objects for a node-forge RSA key pair (for an RSA certificate in an EC chain). */
export function fromForge(pair: forge.pki.rsa.KeyPair): KeyPair {
  const privateKey = createPrivateKey(forge.pki.privateKeyToPem(pair.privateKey));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A certificate made by {@link makeAnyCert}. */
export interface BuiltCert {
  pem: string;
  cn: string | undefined;
}

export interface AnyCertSpec {
  /** The certificate's key pair: EC, or RSA through {@link fromForge}. */
  key: KeyPair;
  cn?: string;
  sans?: string[];
  notBefore?: Date;
  notAfter?: Date;
  /** Signs with this issuer's key, naming its subject CN as the issuer; self-signed when absent. */
  issuer?: { cn: string | undefined; key: KeyPair };
  ca?: boolean;
  noConstraints?: boolean;
  sha1?: boolean;
  version1?: boolean;
  serial?: string;
}

const OIDS = {
  ecdsa: { sha1: '1.2.840.10045.4.1', sha256: '1.2.840.10045.4.3.2' },
  rsa: { sha1: '1.2.840.113549.1.1.5', sha256: '1.2.840.113549.1.1.11' },
};

function algorithmIdentifier(signer: KeyObject, sha1: boolean): forge.asn1.Asn1 {
  const { asn1 } = forge;
  const ec = signer.asymmetricKeyType === 'ec';
  const oid = (ec ? OIDS.ecdsa : OIDS.rsa)[sha1 ? 'sha1' : 'sha256'];
  const parts = [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes())];
  if (!ec) parts.push(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''));
  return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, parts);
}

/** A placeholder RSA public key for node-forge's layout; the real subject key replaces it. */
let placeholder: forge.pki.PublicKey | undefined;
function placeholderKey(): forge.pki.PublicKey {
  placeholder ??= forge.pki.publicKeyFromPem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
  return placeholder;
}

/** Builds and signs an X.509 certificate whose key, and whose issuer's key, may be EC or RSA. */
export function makeAnyCert(spec: AnyCertSpec): BuiltCert {
  const { asn1 } = forge;
  const cert = forge.pki.createCertificate();
  cert.publicKey = placeholderKey();
  cert.serialNumber = spec.serial ?? '0b';
  cert.validity.notBefore = spec.notBefore ?? new Date('2030-01-01T00:00:00Z');
  cert.validity.notAfter = spec.notAfter ?? new Date('2031-01-01T00:00:00Z');
  const name = (cn: string | undefined) => (cn === undefined ? [] : [{ shortName: 'CN', value: cn }]);
  cert.setSubject(name(spec.cn));
  cert.setIssuer(name(spec.issuer ? spec.issuer.cn : spec.cn));
  if (spec.version1) cert.version = 0;
  else {
    const extensions: object[] = [];
    if (!spec.noConstraints) extensions.push({ name: 'basicConstraints', cA: spec.ca === true, critical: true });
    if (spec.sans) extensions.push({ name: 'subjectAltName', altNames: spec.sans.map((value) => ({ type: 2, value })) });
    cert.setExtensions(extensions);
  }
  const signer = (spec.issuer?.key ?? spec.key).privateKey;
  // node-forge lays out its own signature algorithm first (replaced below by the signer's).
  (cert as unknown as { siginfo: { algorithmOid: string } }).siginfo.algorithmOid = OIDS.rsa.sha256;
  const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const fields = tbs.value as forge.asn1.Asn1[];
  // [0] version, serial, signature algorithm, issuer, validity, subject, subject public key info, [3] extensions
  fields[2] = algorithmIdentifier(signer, spec.sha1 === true);
  fields[6] = asn1.fromDer(spec.key.publicKey.export({ type: 'spki', format: 'der' }).toString('binary'));
  const tbsDer = asn1.toDer(tbs).getBytes();
  const signature = sign(spec.sha1 ? 'sha1' : 'sha256', Buffer.from(tbsDer, 'binary'), signer).toString('binary');
  const whole = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.fromDer(tbsDer),
    algorithmIdentifier(signer, spec.sha1 === true),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, `\u0000${signature}`),
  ]);
  return { pem: forge.pem.encode({ type: 'CERTIFICATE', body: asn1.toDer(whole).getBytes() }).replace(/\r\n/g, '\n'), cn: spec.cn };
}

/** The EC private key as PEM: PKCS#8 (`PRIVATE KEY`) or SEC 1 (`EC PRIVATE KEY`), optionally encrypted. */
export function ecKeyPem(pair: KeyPair, type: 'pkcs8' | 'sec1' = 'pkcs8', passphrase?: string): string {
  const encryption = passphrase === undefined ? {} : { cipher: 'aes-256-cbc', passphrase };
  return pair.privateKey.export({ type, format: 'pem', ...encryption } as Parameters<KeyObject['export']>[0] & { format: 'pem' }).toString();
}
