/**
 * The credential file kvssink reads (`credential-path`), as the Kinesis Video producer SDK parses it:
 * amazon-kinesis-video-streams-producer-c v1.6.2 (the version producer-sdk-cpp v3.6.0 builds),
 * src/source/Common/FileCredentialProvider.c and Util.c (`convertTimestampToEpoch`):
 *
 * - one `fscanf("%11s %128s %128s %128s %2048s")`: `CREDENTIALS <access key id> <expiration>
 *   <secret access key> <session token>`, separated by white space; the marker must be `CREDENTIALS`;
 * - the expiration must be exactly `YYYY-MM-DDTHH:mm:SSZ` (20 characters, UTC, no fraction), and not
 *   in the past, else the read fails;
 * - the provider keeps what it read until `now + 38 s` passes `min(expiration, read time + 40 min)`
 *   (CREDENTIAL_FILE_READ_GRACE_PERIOD = 5 s + MIN_STREAMING_TOKEN_EXPIRATION_DURATION 30 s +
 *   STREAMING_TOKEN_EXPIRATION_GRACE_PERIOD 3 s; MAX_ENFORCED_TOKEN_EXPIRATION_DURATION = 40 min, in
 *   amazon-kinesis-video-streams-pic), then opens the file again. So it reads the file at least every
 *   ~40 minutes and whenever its credentials are 38 s from their end: the file must always hold
 *   credentials with more than that left. Nothing restarts for it.
 */

/** Role credentials, as the instance metadata service serves them. */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Milliseconds since the epoch. */
  expiration: number;
}

/** The producer SDK's buffers (MAX_ACCESS_KEY_LEN, MAX_SECRET_KEY_LEN, MAX_SESSION_TOKEN_LEN, MAX_AUTH_LEN). */
export const KVS_CREDENTIAL_LIMITS = { accessKeyId: 128, secretAccessKey: 128, sessionToken: 2048, file: 10_000 } as const;

/** How long before the credentials' end kvssink opens the file again (38 s), from the SDK's constants. */
export const KVS_CREDENTIAL_READ_GRACE_MS = 38_000;

/** A credential document kvssink could not read (the message never contains a secret). */
export class CredentialFormatError extends Error {}

/** `YYYY-MM-DDTHH:mm:SSZ`, the only expiration form the producer SDK accepts; fractions are cut (earlier, never later). */
export function kvsExpiration(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

const TOKEN = /^[\x21-\x7e]+$/; // printable, no white space: fscanf's %s stops at the first space

/** The file's text for these credentials; throws {@link CredentialFormatError} when kvssink could not read them whole. */
export function formatKvsCredentials(credentials: RoleCredentials): string {
  const fields = [
    ['access key id', credentials.accessKeyId, KVS_CREDENTIAL_LIMITS.accessKeyId],
    ['secret access key', credentials.secretAccessKey, KVS_CREDENTIAL_LIMITS.secretAccessKey],
    ['session token', credentials.sessionToken, KVS_CREDENTIAL_LIMITS.sessionToken],
  ] as const;
  for (const [name, value, max] of fields) {
    if (!TOKEN.test(value)) throw new CredentialFormatError(`the ${name} is empty or holds white space: kvssink reads white-space separated fields`);
    if (value.length > max) throw new CredentialFormatError(`the ${name} has ${value.length} characters: kvssink reads at most ${max}`);
  }
  if (!Number.isFinite(credentials.expiration)) throw new CredentialFormatError('the expiration is not a time');
  const text = `CREDENTIALS ${credentials.accessKeyId} ${kvsExpiration(credentials.expiration)} ${credentials.secretAccessKey} ${credentials.sessionToken}\n`;
  if (text.length >= KVS_CREDENTIAL_LIMITS.file) throw new CredentialFormatError(`the file would have ${text.length} characters: kvssink reads less than ${KVS_CREDENTIAL_LIMITS.file}`);
  return text;
}

/** Reads a credential file back as kvssink does (tests, status); `undefined` when kvssink would refuse it. */
export function parseKvsCredentials(text: string): RoleCredentials | undefined {
  const [marker, accessKeyId, expiration, secretAccessKey, sessionToken] = text.trim().split(/\s+/);
  if (marker !== 'CREDENTIALS' || !accessKeyId || !expiration || !secretAccessKey || !sessionToken) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(expiration)) return undefined;
  return { accessKeyId, secretAccessKey, sessionToken, expiration: Date.parse(expiration) };
}

/** Same credentials (what decides a rewrite). */
export function sameCredentials(a: RoleCredentials | undefined, b: RoleCredentials): boolean {
  return a !== undefined && a.accessKeyId === b.accessKeyId && a.secretAccessKey === b.secretAccessKey && a.sessionToken === b.sessionToken && kvsExpiration(a.expiration) === kvsExpiration(b.expiration);
}
