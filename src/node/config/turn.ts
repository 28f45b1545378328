import { createHmac } from 'node:crypto';

/**
 * How long the TURN credential KMS is given stays valid: KMS reads it once, at start, and coturn
 * checks it again on every allocation refresh, so it must outlast the node's sessions.
 */
export const KMS_TURN_CREDENTIAL_TTL_S = 3 * 86_400;
/** Renewal starts this long before the end (when KMS is idle: renewing restarts it). */
export const KMS_TURN_RENEW_BEFORE_S = 36 * 3600;

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
