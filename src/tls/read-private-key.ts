import type { KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { children, parseDer, privateKeyInfoAlgorithm, sec1Algorithm, type KeyAlgorithm } from './asn1-shapes.js';
import type { CertificateFinding } from './certificate-findings.js';
import { ACCEPTED_CURVES, decryptLegacyPem, ecAlgorithmOf, ecKeyFromDer, isAcceptedCurve } from './ec-keys.js';
import { describeNonPem, pemBlocks, type PemBlock } from './pem-text.js';

/** What the key file holds: an RSA or EC key, another algorithm, and/or the reason it cannot be used. */
export interface ReadKey {
  rsa?: forge.pki.rsa.PrivateKey;
  /** An EC key on an accepted curve (P-256, P-384), read by Node: node-forge reads only RSA keys. */
  ec?: KeyObject;
  /** Known whenever the key's algorithm could be seen, even if it cannot be used. */
  algorithm?: KeyAlgorithm;
  finding?: CertificateFinding;
}

/** Ciphers node-forge can decrypt in legacy `Proc-Type: 4,ENCRYPTED` PEM. */
const LEGACY_CIPHERS = new Set(['DES-CBC', 'DES-EDE3-CBC', 'AES-128-CBC', 'AES-192-CBC', 'AES-256-CBC']);

const bad = (detail: string): ReadKey => ({ finding: { kind: 'UnparseableKey', detail } });
const cannotDecrypt: ReadKey = {
  finding: {
    kind: 'UnsupportedKey',
    file: 'key',
    detail: 'the key is encrypted with a cipher elasticrtc cannot decrypt; decrypt it with openssl pkey and give the plain key',
  },
};

/** Explains why a key that is neither RSA nor EC on an accepted curve cannot be used. */
export function unsupportedAlgorithm(algorithm: KeyAlgorithm, what: 'the certificate has' | 'the key is'): string {
  const tail =
    algorithm.family === 'EC'
      ? `the load balancer takes EC keys only on the curves ${ACCEPTED_CURVES.join(' and ')} (or RSA keys of 2048 bits or more): reissue the certificate with one of them`
      : 'ACM does not import this kind of key: use an RSA 2048 certificate';
  return `${what} an ${algorithm.label} key; ${tail}`;
}

const unsupported = (algorithm: KeyAlgorithm): ReadKey => ({ algorithm, finding: { kind: 'UnsupportedKey', file: 'key', detail: unsupportedAlgorithm(algorithm, 'the key is') } });

/** An EC key read by Node, kept when its curve is accepted. */
function fromEcKey(key: KeyObject): ReadKey {
  const algorithm = ecAlgorithmOf(key);
  return isAcceptedCurve(algorithm) ? { ec: key, algorithm } : unsupported(algorithm);
}

/** An unencrypted EC key: its curve is read first, so a curve Node cannot use is still named. */
function fromEcDer(der: string, type: 'sec1' | 'pkcs8', algorithm: KeyAlgorithm): ReadKey {
  if (!isAcceptedCurve(algorithm)) return unsupported(algorithm);
  const key = ecKeyFromDer(der, type);
  return key ? fromEcKey(key) : bad('the EC key is malformed');
}

function fromRsaAsn1(asn1: forge.asn1.Asn1): ReadKey {
  try {
    return { rsa: forge.pki.privateKeyFromAsn1(asn1) as forge.pki.rsa.PrivateKey, algorithm: { family: 'RSA', label: 'RSA' } };
  } catch {
    return bad('the RSA key is malformed');
  }
}

/** Reads a PKCS#8 PrivateKeyInfo: RSA and EC keys are used, others reported by algorithm. */
function fromPrivateKeyInfo(info: forge.asn1.Asn1): ReadKey {
  const algorithm = privateKeyInfoAlgorithm(info);
  if (algorithm === undefined) return bad('the PRIVATE KEY block is not a valid PKCS#8 key');
  if (algorithm.family === 'EC') return fromEcDer(forge.asn1.toDer(info).getBytes(), 'pkcs8', algorithm);
  if (algorithm.family !== 'RSA') return unsupported(algorithm);
  return fromRsaAsn1(info);
}

function decryptPkcs8(block: PemBlock, passphrase: string): ReadKey {
  const encrypted = parseDer(block.body);
  if (!encrypted || children(encrypted).length !== 2) return bad('the ENCRYPTED PRIVATE KEY block is malformed');
  let info: forge.asn1.Asn1 | null;
  try {
    info = forge.pki.decryptPrivateKeyInfo(encrypted, passphrase);
  } catch (e) {
    // node-forge rejects unknown schemes before decrypting; ASN.1 errors after it mean a wrong passphrase.
    if (e instanceof Error && /unsupported|unknown|^Cannot read/i.test(e.message)) return cannotDecrypt;
    return { finding: { kind: 'WrongPassphrase' } };
  }
  // Garbage that happens to pass the padding check is a wrong passphrase too.
  return info && privateKeyInfoAlgorithm(info) ? fromPrivateKeyInfo(info) : { finding: { kind: 'WrongPassphrase' } };
}

/** A legacy encrypted SEC 1 key (`EC PRIVATE KEY` with `Proc-Type: 4,ENCRYPTED`), decrypted by Node. */
function decryptLegacyEc(block: PemBlock, passphrase: string): ReadKey {
  const out = decryptLegacyPem(block.armoured, passphrase);
  if ('error' in out) return out.error === 'unsupported-cipher' ? cannotDecrypt : { finding: { kind: 'WrongPassphrase' } };
  return out.key.asymmetricKeyType === 'ec' ? fromEcKey(out.key) : bad('the EC PRIVATE KEY block holds another kind of key');
}

function decryptLegacy(block: PemBlock, passphrase: string): ReadKey {
  if (block.type === 'EC PRIVATE KEY') return decryptLegacyEc(block, passphrase);
  if (block.type !== 'RSA PRIVATE KEY' && block.type !== 'PRIVATE KEY') return bad(`the ${block.type} block cannot be read`);
  if (!LEGACY_CIPHERS.has(block.legacyCipher ?? '')) return cannotDecrypt;
  try {
    const key = forge.pki.decryptRsaPrivateKey(block.armoured, passphrase) as forge.pki.rsa.PrivateKey | null;
    return key ? { rsa: key, algorithm: { family: 'RSA', label: 'RSA' } } : { finding: { kind: 'WrongPassphrase' } };
  } catch {
    return { finding: { kind: 'WrongPassphrase' } };
  }
}

function readBlock(block: PemBlock, passphrase: string | undefined): ReadKey {
  if (block.type === 'EC PRIVATE KEY' && block.legacyCipher === undefined) return fromEcDer(block.body, 'sec1', sec1Algorithm(parseDer(block.body)));
  if (block.type === 'DSA PRIVATE KEY') return unsupported({ family: 'other', label: 'DSA' });
  if (block.type === 'OPENSSH PRIVATE KEY') {
    return bad('the key is in OpenSSH format; convert it to PEM (ssh-keygen -p -m PKCS8 -f FILE rewrites it in place)');
  }
  const encrypted = block.type === 'ENCRYPTED PRIVATE KEY' || block.legacyCipher !== undefined;
  if (encrypted && passphrase === undefined) return { finding: { kind: 'EncryptedKey' } };
  if (block.type === 'ENCRYPTED PRIVATE KEY') return decryptPkcs8(block, passphrase ?? '');
  if (block.legacyCipher !== undefined) return decryptLegacy(block, passphrase ?? '');
  const asn1 = parseDer(block.body);
  if (!asn1) return bad(`the ${block.type} block is not valid DER`);
  return block.type === 'PRIVATE KEY' ? fromPrivateKeyInfo(asn1) : fromRsaAsn1(asn1);
}

function noKey(types: string[]): string {
  if (types.some((t) => t.includes('CERTIFICATE'))) {
    return 'the file holds a certificate, not a private key (are --ssl-cert and --ssl-key swapped?)';
  }
  if (types.some((t) => t.endsWith('PUBLIC KEY'))) return 'the file holds a public key; the private key is needed';
  return `no PEM private key block ("BEGIN PRIVATE KEY" or "BEGIN RSA PRIVATE KEY") found (found ${types.join(", ")})`;
}

/** Reads the first private key of a PEM file, decrypting it with `passphrase` when it is encrypted. */
export function readPrivateKey(text: string, passphrase?: string): ReadKey {
  const blocks = pemBlocks(text);
  if (blocks === undefined) return bad('the PEM armour is malformed');
  if (blocks.length === 0) return bad(describeNonPem(text, 'key'));
  const block = blocks.find((b) => b.type.endsWith('PRIVATE KEY'));
  return block ? readBlock(block, passphrase) : bad(noKey(blocks.map((b) => b.type)));
}
