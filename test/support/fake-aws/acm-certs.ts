/**
 * ACM state: certificates (imported or seeded) and which live stack resources use them. An
 * imported certificate is read with `crypto.X509Certificate`: domain name, SANs, validity, key.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { AwsError } from './errors.js';
import { hex, uuid } from './ids.js';
import { aliveAt, type Lived } from './lifetime.js';
import type { World } from './world.js';

/** Status values the fake uses. */
export type CertificateStatus = 'ISSUED' | 'PENDING_VALIDATION' | 'EXPIRED';

/** One certificate. */
export interface CertificateRecord {
  arn: string;
  type: 'IMPORTED' | 'AMAZON_ISSUED';
  domainName: string;
  /** The domain name first, then the other DNS names. */
  sans: string[];
  /** A fixed status (seeded certificates); otherwise ISSUED until `notAfter`, then EXPIRED. */
  status?: CertificateStatus;
  notBefore: number;
  notAfter: number;
  createdAt: number;
  importedAt?: number;
  keyAlgorithm: string;
  serial: string;
  subject: string;
  issuer: string;
  tags: Record<string, string>;
  certificatePem?: string;
  chainPem?: string;
  privateKeyPem?: string;
}

/** A stack resource that uses certificates (a listener, a listener certificate). */
export interface CertificateUse extends Lived {
  certificateArns: string[];
  /** What DescribeCertificate lists in `InUseBy`: the load balancer. */
  user: string;
}

/** A certificate to seed with `addCertificate`. */
export interface CertificateSeed {
  domainName: string;
  sans?: string[];
  /** Default ISSUED (EXPIRED when `notAfter` is in the past). */
  status?: CertificateStatus;
  /** Milliseconds since the epoch; default 395 days after `now()`. */
  notAfter?: number;
  tags?: Record<string, string>;
}

const DAY = 86_400_000;

/** A new certificate ARN. */
export function newCertificateArn(world: World): string {
  return `arn:aws:acm:${world.options.region}:${world.options.accountId}:certificate/${uuid()}`;
}

/** Adds an Amazon-issued certificate; returns its ARN. */
export function seedCertificate(world: World, def: CertificateSeed): string {
  const now = world.options.now();
  const notAfter = def.notAfter ?? now + 395 * DAY;
  const arn = newCertificateArn(world);
  world.certificates.push({
    arn,
    type: 'AMAZON_ISSUED',
    domainName: def.domainName,
    sans: [...new Set([def.domainName, ...(def.sans ?? [])])],
    status: def.status ?? (notAfter <= now ? 'EXPIRED' : 'ISSUED'),
    notBefore: now - DAY,
    notAfter,
    createdAt: now,
    keyAlgorithm: 'RSA_2048',
    serial: hex(32).replace(/(..)(?!$)/g, '$1:'),
    subject: `CN=${def.domainName}`,
    issuer: 'C=US, O=Amazon, CN=Amazon RSA 2048 M02',
    tags: { ...def.tags },
  });
  return arn;
}

/** Status of a certificate at `t`. */
export function statusAt(c: CertificateRecord, t: number): CertificateStatus {
  return c.status ?? (t >= c.notAfter ? 'EXPIRED' : 'ISSUED');
}

/** What uses a certificate at `t` (load balancer ARNs). */
export function usersAt(world: World, arn: string, t: number): string[] {
  return [...new Set(world.certificateUses.filter((u) => aliveAt(u, t) && u.certificateArns.includes(arn)).map((u) => u.user))];
}

const invalid = (message: string): AwsError => new AwsError('ValidationException', message);

function keyAlgorithm(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' && [1024, 2048, 3072, 4096].includes(details.modulusLength ?? 0)) return `RSA_${details.modulusLength}`;
  const curves: Record<string, string> = { prime256v1: 'EC_prime256v1', secp384r1: 'EC_secp384r1', secp521r1: 'EC_secp521r1' };
  const curve = key.asymmetricKeyType === 'ec' ? curves[details.namedCurve ?? ''] : undefined;
  if (curve) return curve;
  throw invalid('The certificate key algorithm is not supported.');
}

function parseCertificate(pem: string, what: string): X509Certificate {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw invalid(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  try {
    return new X509Certificate(pem);
  } catch {
    throw invalid(`Unable to parse ${what}. Please ensure the ${what} is in PEM format.`);
  }
}

/** The certificate fields an import sets, read from PEM text; a `ValidationException` when malformed. */
export function readImport(certificatePem: string, privateKeyPem: string, chainPem: string | undefined): Omit<CertificateRecord, 'arn' | 'type' | 'createdAt' | 'tags'> {
  const cert = parseCertificate(certificatePem, 'certificate');
  if (chainPem !== undefined) parseCertificate(chainPem, 'certificate chain');
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    throw invalid('Unable to parse private key. Please ensure the private key is in PEM format and not encrypted.');
  }
  if (!cert.checkPrivateKey(key)) throw invalid('The private key does not match the public key in the certificate.');
  const dns = (cert.subjectAltName ?? '').split(', ').filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4));
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject ?? '')?.[1];
  const domainName = cn ?? dns[0];
  if (!domainName) throw invalid('The certificate has neither a common name nor a DNS subject alternative name.');
  return {
    domainName,
    sans: [...new Set([domainName, ...dns])],
    notBefore: Date.parse(cert.validFrom),
    notAfter: Date.parse(cert.validTo),
    keyAlgorithm: keyAlgorithm(cert.publicKey),
    serial: cert.serialNumber.toLowerCase().replace(/(..)(?!$)/g, '$1:'),
    subject: (cert.subject ?? '').split('\n').join(','),
    issuer: (cert.issuer ?? '').split('\n').join(','),
    certificatePem,
    chainPem,
    privateKeyPem,
  };
}
