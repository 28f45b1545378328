import { createHash, generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import type { NodeInputs } from '../../src/node/config/files.js';
import { nodeSettings } from '../../src/node/node-settings.js';
import type { ClusterSecret } from '../../src/node/secret.js';

/** A DTLS certificate and key, as `create` makes them (RSA, self-signed). */
export function dtlsPem(): string {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.UTC(2026, 0, 1));
  cert.validity.notAfter = new Date(Date.UTC(2031, 0, 1));
  cert.setSubject([{ name: 'commonName', value: 'elasticrtc-test' }]);
  cert.setIssuer([{ name: 'commonName', value: 'elasticrtc-test' }]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return `${forge.pki.certificateToPem(cert)}${keyPem}`;
}

/** A cluster secret with recognisable values, so tests can search for them anywhere. */
export function testSecret(overrides: Partial<ClusterSecret> = {}): ClusterSecret {
  return {
    apiKey: 'ApiKey0123456789abcdefABCDEF',
    turnSecret: createHash('sha256').update('turn').digest('hex'),
    inspectorUser: 'admin',
    inspectorPassword: 'InspectorPassword-42',
    dtlsCertificate: dtlsPem(),
    ...overrides,
  };
}

export const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);

/** What `configure` makes files from, with an env file's worth of settings. */
export function nodeInputs(env: Record<string, string> = {}, secret: ClusterSecret = testSecret()): NodeInputs {
  return {
    settings: nodeSettings({ STACK_NAME: 'demo', REGION: 'eu-west-1', BUCKET: 'eu-west-1-demo', ...env }),
    secret,
    publicIp: '203.0.113.10',
    privateIp: '10.0.0.10',
    instanceId: 'i-0123456789abcdef0',
    nowMs: NOW,
  };
}
