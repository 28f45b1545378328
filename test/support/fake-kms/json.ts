/**
 * JSON as KMS's jsoncpp sees it: the writer puts object members in key order (jsoncpp keeps them
 * in a std::map), keeps `null` members and drops nothing else; the type tests follow
 * `Json::Value::isConvertibleTo`, which is looser than JavaScript's `typeof` (null converts to
 * anything scalar; numbers and booleans convert to strings).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Serialises like `Json::StreamWriterBuilder` with no indentation: sorted keys, no spaces. */
export function writeJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

export const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `isMember` on any value: false unless `v` is an object that has the key. */
export const hasMember = (v: unknown, key: string): boolean => isObject(v) && Object.prototype.hasOwnProperty.call(v, key);

/** `isConvertibleTo(stringValue)`. */
export const toStringOk = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** `asString()` of a value that passed {@link toStringOk}. */
export function asString(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(17).replace(/\.?0+$/, '');
  return String(v);
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/** `isInt() || isConvertibleTo(intValue)`. */
export const toIntOk = (v: unknown): boolean =>
  v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX);

/** `isInt64() || isConvertibleTo(intValue)` as the generated code tests it (only 32-bit values convert). */
export const toInt64Ok = (v: unknown): boolean => toIntOk(v) || (typeof v === 'number' && Number.isSafeInteger(v));

/** `isConvertibleTo(uintValue)`. */
export const toUintOk = (v: unknown): boolean =>
  v === null || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 4294967295);

export const asNumber = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'boolean' ? Number(v) : Number(v));

/** `isBool() || isConvertibleTo(booleanValue)`. */
export const toBoolOk = (v: unknown): boolean => v === null || typeof v === 'boolean' || typeof v === 'number';

/** `isDouble() || isConvertibleTo(realValue)`. */
export const toDoubleOk = (v: unknown): boolean => v === null || typeof v === 'boolean' || typeof v === 'number';

/** `size()`: members of an object, elements of an array, 0 otherwise. */
export const jsonSize = (v: unknown): number => (Array.isArray(v) ? v.length : isObject(v) ? Object.keys(v).length : 0);
