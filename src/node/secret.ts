/** The cluster secret as `create` stores it in Secrets Manager (`elasticrtc/<stack>`). */
export interface ClusterSecret {
  apiKey: string;
  turnSecret: string;
  inspectorUser: string;
  inspectorPassword: string;
  /** PEM: the cluster's DTLS certificate and its private key, shared by every node. */
  dtlsCertificate: string;
  elasticsearchPassword?: string;
  /** audio-archive's streams (`{name, url, segmentSeconds}`), URLs with their credentials; checked where used. */
  audioArchiveStreams?: unknown[];
  /** kvs-relay's and the cameras app's cameras (`{name, url}`), URLs with their credentials; checked where used. */
  cameras?: unknown[];
}

/** A secret that cannot be used: the message names the field, never its value. */
export class SecretError extends Error {}

const REQUIRED = ['apiKey', 'turnSecret', 'inspectorUser', 'inspectorPassword', 'dtlsCertificate'] as const;

/** Reads the secret's JSON; every required field must be a non-empty string. */
export function parseClusterSecret(text: string): ClusterSecret {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SecretError('the cluster secret is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new SecretError('the cluster secret is not a JSON object');
  const o = parsed as Record<string, unknown>;
  const missing = REQUIRED.filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) throw new SecretError(`the cluster secret has no ${missing.join(', ')}`);
  if (!/^[A-Za-z0-9]+$/.test(String(o.apiKey))) throw new SecretError('the cluster secret\'s apiKey is not alphanumeric');
  const pem = String(o.dtlsCertificate);
  if (!pem.includes('-----BEGIN CERTIFICATE-----') || !/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(pem)) {
    throw new SecretError('the cluster secret\'s dtlsCertificate needs a PEM certificate and its private key');
  }
  return {
    apiKey: String(o.apiKey),
    turnSecret: String(o.turnSecret),
    inspectorUser: String(o.inspectorUser),
    inspectorPassword: String(o.inspectorPassword),
    dtlsCertificate: pem,
    ...(typeof o.elasticsearchPassword === 'string' ? { elasticsearchPassword: o.elasticsearchPassword } : {}),
    ...(Array.isArray(o.audioArchiveStreams) ? { audioArchiveStreams: o.audioArchiveStreams as unknown[] } : {}),
    ...(Array.isArray(o.cameras) ? { cameras: o.cameras as unknown[] } : {}),
  };
}
