import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { KeyAlgorithm } from './asn1-shapes.js';

/**
 * The curves of the EC keys elasticrtc takes: those both ACM imports and the load balancer serves
 * (ACM also imports P-521, which the load balancer's TLS policies do not offer).
 */
export const ACCEPTED_CURVES: readonly string[] = ['P-256', 'P-384'];

/** Bits of each accepted curve (the `keyBits` of a certificate's info). */
const CURVE_BITS: Readonly<Record<string, number>> = { 'P-256': 256, 'P-384': 384 };

/** OpenSSL's curve names (`asymmetricKeyDetails.namedCurve`) as the NIST names people know. */
const NIST_NAMES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** True for an EC key or certificate on a curve elasticrtc takes. */
export const isAcceptedCurve = (algorithm: KeyAlgorithm): boolean => algorithm.family === 'EC' && ACCEPTED_CURVES.some((c) => algorithm.label === `EC ${c}`);

/** The size of an accepted curve's keys, in bits (0 for any other). */
export const curveBits = (algorithm: KeyAlgorithm): number => CURVE_BITS[algorithm.label.replace(/^EC /, '')] ?? 0;

/** The algorithm of a key Node has read: its curve, named as in certificates (`EC P-256`). */
export function ecAlgorithmOf(key: KeyObject): KeyAlgorithm {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return { family: 'EC', label: curve ? `EC ${NIST_NAMES[curve] ?? curve}` : 'EC' };
}

/** Reads an unencrypted EC key from DER (`sec1` or `pkcs8`), or undefined when Node cannot. */
export function ecKeyFromDer(der: string, type: 'sec1' | 'pkcs8'): KeyObject | undefined {
  try {
    const key = createPrivateKey({ key: Buffer.from(der, 'binary'), format: 'der', type });
    return key.asymmetricKeyType === 'ec' ? key : undefined;
  } catch {
    return undefined;
  }
}

/** Decrypts a legacy encrypted PEM key (`Proc-Type: 4,ENCRYPTED`) with Node's OpenSSL. */
export function decryptLegacyPem(armoured: string, passphrase: string): { key: KeyObject } | { error: 'wrong-passphrase' | 'unsupported-cipher' } {
  try {
    return { key: createPrivateKey({ key: armoured, format: 'pem', passphrase }) };
  } catch (e) {
    return { error: e instanceof Error && /unsupported|unknown cipher/i.test(e.message) ? 'unsupported-cipher' : 'wrong-passphrase' };
  }
}

/** Node's view of a certificate (DER as a binary string), or undefined when it cannot read it. */
export function readX509(der: string): X509Certificate | undefined {
  try {
    return new X509Certificate(Buffer.from(der, 'binary'));
  } catch {
    return undefined;
  }
}

/** True when `key` is the private key of the certificate's public key. */
export function certificateHasKey(x509: X509Certificate, key: KeyObject): boolean {
  try {
    return x509.checkPrivateKey(key);
  } catch {
    return false;
  }
}

/** True when `issuer`'s key made the signature of `child`. */
export function verifiedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** The DNS names of Node's `subjectAltName` text (`DNS:a, DNS:"b,c", IP Address:…`), as written. */
export function sanDnsNames(x509: X509Certificate): string[] {
  const names: string[] = [];
  for (const m of (x509.subjectAltName ?? '').matchAll(/(?:^|, )DNS:("(?:[^"\\]|\\.)*"|[^,]*)/g)) {
    const raw = m[1] ?? '';
    try {
      names.push(raw.startsWith('"') ? String(JSON.parse(raw)) : raw);
    } catch {
      // A quoted name Node escaped in a way JSON does not read: not a usable DNS name anyway.
    }
  }
  return names;
}

/** The subject's common name, when it has exactly one. */
export function commonName(x509: X509Certificate): string | undefined {
  const cns = (x509.subject ?? '').split('\n').filter((l) => l.startsWith('CN='));
  return cns.length === 1 ? cns[0]?.slice(3) : undefined;
}

/** The subject as `O=…, CN=…`, in certificate order. */
export const subjectOf = (x509: X509Certificate): string => (x509.subject ?? '').split('\n').filter((l) => l !== '').join(', ');
