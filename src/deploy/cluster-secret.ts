import type { ClusterSettings } from '../cluster/settings.js';

/** The cluster secret's name in Secrets Manager. */
export const secretName = (stackName: string): string => `elasticrtc/${stackName}`;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Uniform random characters from Web Crypto (global: no module to load at start-up). */
function randomText(length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(length))) {
      if (byte < 248 && text.length < length) text += ALPHANUMERIC[byte % 62]; // 248 = 4 × 62: no bias
    }
  }
  return text;
}

const randomHex = (bytes: number) => Array.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');

/** Every secret the cluster needs: what the user gave, the rest generated here and never shown. */
export async function clusterSecretValue(s: ClusterSettings, now: Date): Promise<string> {
  const { dtlsCertificate } = await import('../tls/lazy.js');
  return JSON.stringify({
    apiKey: s.secrets.apiKey ?? randomText(32),
    turnSecret: randomHex(32),
    inspectorUser: s.inspectorUser,
    inspectorPassword: s.secrets.inspectorPassword ?? randomText(24),
    ...(s.secrets.elasticsearchPassword !== undefined ? { elasticsearchPassword: s.secrets.elasticsearchPassword } : {}),
    dtlsCertificate: dtlsCertificate(s.stackName, now),
    // The archive's stream URLs may hold a user and password: here, never in the template or user data.
    ...(s.streams.length > 0 ? { audioArchiveStreams: s.streams.map(({ name, url, segmentSeconds }) => ({ name, url, segmentSeconds })) } : {}),
    // So may the cameras' RTSP URLs (kvs-relay, cameras).
    ...(s.cameras.length > 0 ? { cameras: s.cameras.map(({ name, url }) => ({ name, url })) } : {}),
  });
}
