/** Self-signed test certificates (node-forge signs; node's crypto makes the RSA key quickly). */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/** A PEM certificate and its private key. */
export interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

interface Options {
  commonName: string;
  sans?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

/** A self-signed RSA-2048 certificate for `commonName` (and `sans`). */
export function selfSigned(o: Options): TestCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(privateKeyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '0a1b2c3d';
  cert.validity.notBefore = o.notBefore ?? new Date(Date.UTC(2024, 0, 1));
  cert.validity.notAfter = o.notAfter ?? new Date(Date.UTC(2025, 0, 1));
  const subject = [{ name: 'commonName', value: o.commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'subjectAltName', altNames: [o.commonName, ...(o.sans ?? [])].map((value) => ({ type: 2, value })) }]);
  cert.sign(key, forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem };
}
