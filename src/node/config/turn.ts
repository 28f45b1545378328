import { createHmac } from 'node:crypto';

/** How long a TURN credential that KMS is given stays valid. */
export const KMS_TURN_CREDENTIAL_TTL_S = 24 * 3600;

/** A TURN REST API credential (coturn `use-auth-secret`): the user carries its own expiry. */
export interface TurnCredential {
  /** `<expiry unix seconds>:<name>` */
  username: string;
  /** base64(HMAC-SHA1(secret, username)) */
  password: string;
  expiresAt: number;
}

/**
 * A short-lived credential that coturn accepts for `secret` until `now + ttl` (the TURN REST API of
 * draft-uberti-behave-turn-rest, as coturn implements it with `use-auth-secret`).
 */
export function turnCredential(secret: string, name: string, nowMs: number, ttlS = KMS_TURN_CREDENTIAL_TTL_S): TurnCredential {
  const expiresAt = Math.floor(nowMs / 1000) + ttlS;
  const username = `${expiresAt}:${name}`;
  return { username, password: createHmac('sha1', secret).update(username).digest('base64'), expiresAt };
}
