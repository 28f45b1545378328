import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** Lowercase hex of `length` characters. */
export function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Uppercase letters and digits, like CloudFormation's name suffixes (`stack-Logical-1A2B3C4D5E6F`). */
export function suffix(length = 12): string {
  return [...randomBytes(length)].map((b) => UPPER[b % UPPER.length]).join('');
}

/** A request id or event id. */
export function uuid(): string {
  return randomUUID();
}

/** A stable number derived from `text` (for attributes that must not change between calls). */
export function stableDigits(text: string, length: number): string {
  const h = createHash('sha1').update(text).digest();
  return [...h].map((b) => String(b % 10)).join('').slice(0, length);
}

/** A stable hex string derived from `text`. */
export function stableHex(text: string, length: number): string {
  return createHash('sha1').update(text).digest('hex').slice(0, length);
}
