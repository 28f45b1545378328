import type { KeyObject, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { isError, type CertificateFinding } from './certificate-findings.js';
import { orderChain } from './chain-order.js';
import { certificateHasKey, curveBits } from './ec-keys.js';
import { dnsNames, isChainAuthority, keyBits, leafFindings, x509DnsNames, x509Validity } from './leaf-checks.js';
import { toPem } from './pem-text.js';
import { formatName, readCertificates, type ReadCertificate } from './read-certificates.js';
import { readPrivateKey, type ReadKey } from './read-private-key.js';

/** What a usable certificate/key pair holds, ready for display and for ACM import. */
export interface CertificateInfo {
  /** DNS names: SAN dNSName entries lowercased; the CN only when there are no SAN DNS names. */
  names: string[];
  /** True when any name starts with `*.`. */
  wildcard: boolean;
  notBefore: Date;
  notAfter: Date;
  /** The leaf's subject, e.g. `CN=demo.example.com`. */
  subject: string;
  /** The RSA modulus size, or the EC curve's size (256, 384). */
  keyBits: number;
  /** `RSA`, `EC P-256` or `EC P-384`. */
  keyAlgorithm: string;
  /** The name of the leaf's signature algorithm, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`. */
  signatureAlgorithm: string;
  /** The leaf only, normalised PEM. */
  certificatePem: string;
  /** The other certificates, each followed by the one that signed it ('' when none). */
  chainPem: string;
  /** Unencrypted PKCS#8 PEM of the key (decrypted when a passphrase was given), for ACM import only. */
  privateKeyPem: string;
}

/** The outcome of {@link checkCertificatePair}. */
export interface CertificateCheck {
  /** Present whenever both files could be read, even with error findings: check {@link isError} first. */
  info?: CertificateInfo;
  /** Every finding, errors first. */
  findings: CertificateFinding[];
}

function matches(cert: ReadCertificate, key: forge.pki.rsa.PrivateKey): boolean {
  const pub = cert.forge?.publicKey as forge.pki.rsa.PublicKey | undefined;
  return pub !== undefined && pub.n.equals(key.n) && pub.e.equals(key.e);
}

const ecMatches = (cert: ReadCertificate, key: KeyObject): boolean => cert.x509 !== undefined && certificateHasKey(cert.x509, key);

function keyFindings(key: ReadKey, leaf: ReadCertificate | undefined): CertificateFinding[] {
  if (leaf && key.algorithm && key.algorithm.family !== leaf.algorithm.family) return [{ kind: 'KeyMismatch' }];
  if (leaf && key.finding?.kind === 'UnsupportedKey' && key.algorithm) {
    // An EC key on another curve than the certificate's is not its key.
    if (key.algorithm.family === 'EC' && key.algorithm.label !== leaf.algorithm.label) return [{ kind: 'KeyMismatch' }];
    return []; // same kind of key as the certificate: the certificate's UnsupportedKey already says it
  }
  if (key.rsa && leaf?.forge && !matches(leaf, key.rsa)) return [{ kind: 'KeyMismatch' }];
  if (key.ec && leaf?.x509 && !ecMatches(leaf, key.ec)) return [{ kind: 'KeyMismatch' }];
  return key.finding ? [key.finding] : [];
}

function chainFindings(files: ReadCertificate[], leaf: ReadCertificate, order: ReturnType<typeof orderChain>): CertificateFinding[] {
  const findings: CertificateFinding[] = [];
  if (order.unlinked.length > 0) {
    const after = (order.chain[order.chain.length - 1] ?? leaf).name;
    findings.push({ kind: 'ChainBroken', after, unlinked: order.unlinked.map((c) => c.name) });
  } else if ([leaf, ...order.chain].some((c, i) => c !== files[i])) {
    findings.push({ kind: 'ChainOutOfOrder' });
  }
  for (const c of order.chain) {
    if ((c.forge || c.x509) && c.version === 3 && !isChainAuthority(c)) findings.push({ kind: 'NotACertificateAuthority', subject: c.name });
  }
  return findings;
}

function infoOf(read: ReadCertificate, leaf: forge.pki.Certificate, chain: ReadCertificate[], key: forge.pki.rsa.PrivateKey): CertificateInfo {
  const names = dnsNames(leaf);
  const pkcs8 = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key));
  return {
    names,
    wildcard: names.some((n) => n.startsWith('*.')),
    notBefore: leaf.validity.notBefore,
    notAfter: leaf.validity.notAfter,
    subject: formatName(leaf.subject.attributes),
    keyBits: keyBits(leaf),
    keyAlgorithm: 'RSA',
    signatureAlgorithm: forge.pki.oids[leaf.signatureOid] ?? leaf.signatureOid,
    certificatePem: read.pem,
    chainPem: chain.map((c) => c.pem).join(''),
    privateKeyPem: toPem('PRIVATE KEY', forge.asn1.toDer(pkcs8).getBytes()),
  };
}

/** Names of the signature algorithms an EC certificate may carry (node-forge names only RSA ones). */
const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
};

function ecInfoOf(read: ReadCertificate, leaf: X509Certificate, chain: ReadCertificate[], key: KeyObject): CertificateInfo {
  const names = x509DnsNames(leaf);
  const oid = read.signatureOid ?? '';
  return {
    names,
    wildcard: names.some((n) => n.startsWith('*.')),
    ...x509Validity(leaf),
    subject: read.name,
    keyBits: curveBits(read.algorithm),
    keyAlgorithm: read.algorithm.label,
    signatureAlgorithm: SIGNATURE_NAMES[oid] ?? forge.pki.oids[oid] ?? oid,
    certificatePem: read.pem,
    chainPem: chain.map((c) => c.pem).join(''),
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * Checks a PEM certificate file (leaf, optionally followed by its chain) and a PEM key file at
 * `now`, and reports every finding at once. The leaf is the certificate the key belongs to (else
 * the first one); the others are put in signing order. RSA keys, and EC keys on the curves ACM and
 * the load balancer take (P-256, P-384), are checked alike; other keys are reported as unsupported.
 */
export function checkCertificatePair(certificateText: string, keyText: string, now: Date, passphrase?: string): CertificateCheck {
  const read = readCertificates(certificateText);
  const key = readPrivateKey(keyText, passphrase);
  const files = read.certificates;
  const { rsa, ec } = key;
  const leaf = (rsa && files.find((c) => matches(c, rsa))) ?? (ec && files.find((c) => ecMatches(c, ec))) ?? files[0];
  const findings = [...read.findings, ...keyFindings(key, leaf)];
  let info: CertificateInfo | undefined;
  if (leaf) {
    const order = orderChain(leaf, files.filter((c) => c !== leaf));
    findings.push(...leafFindings(leaf, now), ...chainFindings(files, leaf, order));
    const chain = [...order.chain, ...order.unlinked];
    if (leaf.forge && rsa) info = infoOf(leaf, leaf.forge, chain, rsa);
    else if (leaf.x509 && ec) info = ecInfoOf(leaf, leaf.x509, chain, ec);
  }
  const sorted = [...findings.filter(isError), ...findings.filter((f) => !isError(f))];
  return info ? { info, findings: sorted } : { findings: sorted };
}
