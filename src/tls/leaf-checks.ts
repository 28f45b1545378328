import type { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import type { CertificateFinding } from './certificate-findings.js';
import { commonName, isAcceptedCurve, sanDnsNames } from './ec-keys.js';
import type { ReadCertificate } from './read-certificates.js';
import { unsupportedAlgorithm } from './read-private-key.js';

/** RSA modulus sizes ACM imports. */
const ACM_RSA_BITS = new Set([1024, 2048, 3072, 4096]);
/** A host name of at least two labels, optionally a wildcard: what a CN must look like to count. */
const HOST_NAME = /^(\*\.)?[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)+$/;

const normalise = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/** The certificate's DNS names: SAN dNSName entries lowercased, else the CN when it is a dotted host name. */
export function dnsNames(cert: forge.pki.Certificate): string[] {
  const san = cert.getExtension('subjectAltName') as { altNames?: { type: number; value: unknown }[] } | undefined;
  const fromSan = (san?.altNames ?? [])
    .filter((a) => a.type === 2 && typeof a.value === 'string')
    .map((a) => normalise(String(a.value)))
    .filter((n) => n !== '');
  if (fromSan.length > 0) return fromSan.filter((n, i) => fromSan.indexOf(n) === i);
  const cn = cert.subject.getField('CN') as { value?: unknown } | null;
  const name = typeof cn?.value === 'string' ? normalise(cn.value) : '';
  return HOST_NAME.test(name) ? [name] : [];
}

/** The DNS names of a certificate Node read (EC), by the same rules as {@link dnsNames}. */
export function x509DnsNames(cert: X509Certificate): string[] {
  const fromSan = sanDnsNames(cert).map(normalise).filter((n) => n !== '');
  if (fromSan.length > 0) return fromSan.filter((n, i) => fromSan.indexOf(n) === i);
  const name = normalise(commonName(cert) ?? '');
  return HOST_NAME.test(name) ? [name] : [];
}

/** The validity of a certificate Node read. */
export const x509Validity = (cert: X509Certificate): { notBefore: Date; notAfter: Date } => ({ notBefore: new Date(cert.validFrom), notAfter: new Date(cert.validTo) });

/** Signature algorithms made with SHA-1: RSA (PKCS#1) and ECDSA. */
const SHA1_SIGNATURES = new Set(['1.2.840.113549.1.1.5', '1.2.840.10045.4.1']);

/** True when a certificate in the chain says it is a certificate authority, whichever library read it. */
export const isChainAuthority = (c: ReadCertificate): boolean => (c.forge ? isAuthority(c.forge) : c.x509?.ca === true);

/** Checks a leaf certificate with an EC key: as {@link leafFindings} does an RSA one, with the curve for the size. */
function ecLeafFindings(leaf: ReadCertificate, cert: X509Certificate, now: Date): CertificateFinding[] {
  const findings: CertificateFinding[] = [];
  if (leaf.version !== 3) findings.push({ kind: 'NotVersion3', version: leaf.version });
  const { notBefore, notAfter } = x509Validity(cert);
  if (now.getTime() < notBefore.getTime()) findings.push({ kind: 'NotYetValid', notBefore, notAfter });
  else if (now.getTime() > notAfter.getTime()) findings.push({ kind: 'Expired', notBefore, notAfter });
  if (x509DnsNames(cert).length === 0) findings.push({ kind: 'NoDnsNames' });
  if (!isAcceptedCurve(leaf.algorithm)) findings.push({ kind: 'UnsupportedKey', file: 'cert', detail: unsupportedAlgorithm(leaf.algorithm, 'the certificate has') });
  if (SHA1_SIGNATURES.has(leaf.signatureOid ?? '')) findings.push({ kind: 'Sha1Signature' });
  return findings;
}

/** The RSA modulus size of a certificate node-forge could read. */
export const keyBits = (cert: forge.pki.Certificate): number => (cert.publicKey as forge.pki.rsa.PublicKey).n.bitLength();

/** True when the certificate says it is a certificate authority (basicConstraints cA). */
export function isAuthority(cert: forge.pki.Certificate): boolean {
  const constraints = cert.getExtension('basicConstraints') as { cA?: boolean } | undefined;
  return constraints?.cA === true;
}

/** Checks the server (leaf) certificate on its own: type, version, validity at `now`, names, key and signature. */
export function leafFindings(leaf: ReadCertificate, now: Date): CertificateFinding[] {
  const cert = leaf.forge;
  if (!cert && leaf.x509) return ecLeafFindings(leaf, leaf.x509, now);
  if (!cert) return [{ kind: 'UnsupportedKey', file: 'cert', detail: unsupportedAlgorithm(leaf.algorithm, 'the certificate has') }];
  const findings: CertificateFinding[] = [];
  if (cert.version !== 2) findings.push({ kind: 'NotVersion3', version: cert.version + 1 });
  const { notBefore, notAfter } = cert.validity;
  if (now.getTime() < notBefore.getTime()) findings.push({ kind: 'NotYetValid', notBefore, notAfter });
  else if (now.getTime() > notAfter.getTime()) findings.push({ kind: 'Expired', notBefore, notAfter });
  if (dnsNames(cert).length === 0) findings.push({ kind: 'NoDnsNames' });
  const bits = keyBits(cert);
  if (!ACM_RSA_BITS.has(bits)) {
    const detail = `the certificate's RSA key has ${bits} bits; ACM imports only 1024, 2048, 3072 and 4096-bit RSA keys`;
    findings.push({ kind: 'UnsupportedKey', file: 'cert', detail });
  }
  if (bits < 2048) findings.push({ kind: 'WeakKey', bits });
  if (cert.signatureOid === forge.pki.oids['sha1WithRSAEncryption']) findings.push({ kind: 'Sha1Signature' });
  return findings;
}
