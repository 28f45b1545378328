import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';
import forge from 'node-forge';
import type { ClusterSettings } from '../../cluster/settings.js';

/** The cluster secret's name in Secrets Manager. */
export const secretName = (stackName: string): string => `elasticrtc/${stackName}`;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (length: number) => Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');

/**
 * The DTLS certificate every node of the cluster presents (Firefox needs the same one across media
 * servers): RSA 2048 made by Node's native crypto, self-signed with SHA-256, valid five years. The PEM
 * holds the certificate and its key, as Kurento's `pemCertificateRSA` expects.
 */
export function dtlsCertificate(stackName: string, now: Date): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = now;
  cert.validity.notAfter = new Date(now.getTime() + 5 * 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: `elasticrtc-${stackName}`.slice(0, 64) }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return `${forge.pki.certificateToPem(cert)}${keyPem}`;
}

/** Every secret the cluster needs: what the user gave, the rest generated here and never shown. */
export function clusterSecretValue(s: ClusterSettings, now: Date): string {
  return JSON.stringify({
    apiKey: s.secrets.apiKey ?? randomText(32),
    turnSecret: randomBytes(32).toString('hex'),
    inspectorUser: s.inspectorUser,
    inspectorPassword: s.secrets.inspectorPassword ?? randomText(24),
    ...(s.secrets.elasticsearchPassword !== undefined ? { elasticsearchPassword: s.secrets.elasticsearchPassword } : {}),
    dtlsCertificate: dtlsCertificate(s.stackName, now),
  });
}
