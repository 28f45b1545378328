import type { Imds } from '../../imds.js';
import type { RoleCredentials } from './credential-file.js';

/** Where the sidecar takes the instance role's credentials from. */
export interface CredentialSource {
  roleCredentials(): Promise<RoleCredentials>;
}

/** Credentials IMDS would not give (the message never contains a secret). */
export class CredentialSourceError extends Error {}

const ROLES = 'iam/security-credentials/';

/**
 * The instance role's credentials from IMDSv2 (token PUT, then `iam/security-credentials/<role>`;
 * the role is the one the listing names, asked again on every read so a changed instance profile is
 * followed). https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/instancedata-data-retrieval.html
 */
export function imdsCredentialSource(imds: Pick<Imds, 'get'>): CredentialSource {
  return {
    async roleCredentials() {
      const role = (await imds.get(ROLES)).split('\n').map((l) => l.trim()).find(Boolean);
      if (!role) throw new CredentialSourceError('instance metadata names no role: the instance has no instance profile');
      const text = await imds.get(`${ROLES}${role}`);
      let doc: Record<string, unknown>;
      try {
        doc = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new CredentialSourceError(`instance metadata ${ROLES}${role}: not JSON`);
      }
      if (doc.Code !== 'Success') throw new CredentialSourceError(`instance metadata ${ROLES}${role}: Code ${String(doc.Code)}`);
      const { AccessKeyId, SecretAccessKey, Token, Expiration } = doc;
      const expiration = typeof Expiration === 'string' ? Date.parse(Expiration) : NaN;
      if (typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string' || typeof Token !== 'string' || Number.isNaN(expiration)) {
        throw new CredentialSourceError(`instance metadata ${ROLES}${role}: AccessKeyId, SecretAccessKey, Token or Expiration missing`);
      }
      return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: Token, expiration };
    },
  };
}
