import type { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { certificateShape, parseDer, type CertificateShape } from './asn1-shapes.js';
import type { CertificateFinding } from './certificate-findings.js';
import { isAcceptedCurve, readX509, subjectOf } from './ec-keys.js';
import { describeNonPem, pemBlocks, toPem } from './pem-text.js';

/** One certificate of the file, in file order. */
export interface ReadCertificate extends CertificateShape {
  /** 1-based position among the file's certificates. */
  position: number;
  der: string;
  /** Normalised PEM of this certificate alone. */
  pem: string;
  /** node-forge's view, present only for RSA certificates (the only kind it parses). */
  forge?: forge.pki.Certificate;
  /** Node's view, present for EC certificates (node-forge reads only RSA keys). */
  x509?: X509Certificate;
  /** The subject as `CN=…, O=…`, or `certificate N in the file` when neither view is there. */
  name: string;
}

const CERTIFICATE_TYPES = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);

/** Formats a distinguished name as `C=…, O=…, CN=…` in certificate order. */
export const formatName = (attributes: forge.pki.CertificateField[]): string =>
  attributes.map((a) => `${a.shortName ?? a.name ?? a.type ?? '?'}=${String(a.value)}`).join(', ');

function readOne(der: string, position: number): ReadCertificate | undefined {
  const asn1 = parseDer(der);
  const shape = asn1 && certificateShape(asn1);
  if (!asn1 || !shape) return undefined;
  const read: ReadCertificate = { ...shape, position, der, pem: toPem('CERTIFICATE', der), name: `certificate ${position} in the file` };
  if (shape.algorithm.family === 'EC') {
    const x509 = readX509(der);
    if (x509) return { ...read, x509, name: subjectOf(x509) || read.name };
    // A curve Node cannot use is reported as such (by the leaf checks); an accepted one must be readable.
    return isAcceptedCurve(shape.algorithm) ? undefined : read;
  }
  if (shape.algorithm.family !== 'RSA') return read;
  try {
    const cert = forge.pki.certificateFromAsn1(asn1, false);
    return { ...read, forge: cert, name: formatName(cert.subject.attributes) || read.name };
  } catch {
    return undefined;
  }
}

function noCertificate(types: string[]): string {
  if (types.some((t) => t.endsWith('PRIVATE KEY'))) {
    return 'the file holds a private key, not a certificate (are --ssl-cert and --ssl-key swapped?)';
  }
  if (types.includes('CERTIFICATE REQUEST')) {
    return 'the file holds a certificate signing request, not the certificate issued for it';
  }
  return `no -----BEGIN CERTIFICATE----- block found (found ${types.join(', ')})`;
}

/**
 * Reads every CERTIFICATE block of a PEM file, dropping exact duplicates. Reports one
 * UnparseableCertificate finding when there is none, or for each block that is not a certificate.
 */
export function readCertificates(text: string): { certificates: ReadCertificate[]; findings: CertificateFinding[] } {
  const blocks = pemBlocks(text);
  const fail = (detail: string) => ({ certificates: [], findings: [{ kind: 'UnparseableCertificate' as const, detail }] });
  if (blocks === undefined) return fail('the PEM armour is malformed');
  if (blocks.length === 0) return fail(describeNonPem(text, 'certificate'));
  const bodies = blocks.filter((b) => CERTIFICATE_TYPES.has(b.type)).map((b) => b.body);
  if (bodies.length === 0) return fail(noCertificate(blocks.map((b) => b.type)));
  const unique = bodies.filter((der, i) => bodies.indexOf(der) === i);
  const certificates: ReadCertificate[] = [];
  const findings: CertificateFinding[] = [];
  unique.forEach((der, i) => {
    const read = readOne(der, i + 1);
    if (read) certificates.push(read);
    else {
      const which = unique.length === 1 ? 'the CERTIFICATE block' : `certificate ${i + 1} of ${unique.length} in the file`;
      findings.push({ kind: 'UnparseableCertificate', detail: `${which} is not a valid X.509 certificate` });
    }
  });
  return { certificates, findings };
}
