import type { Problem } from './problems.js';

/** The outcome of parsing one flag: a value, or the problems found. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: Problem[] };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T>(flag: string, value: string, expected: string): Parsed<T> => ({ ok: false, problems: [{ flag, value, expected }] });

/** A whole number in [min, max], given as a number or a digit string. */
export function parseInteger(flag: string, raw: unknown, min: number, max: number): Parsed<number> {
  const text = String(raw).trim();
  if (!/^-?\d+$/.test(text)) return fail(flag, text, `expected a whole number from ${min} to ${max}`);
  const value = Number(text);
  if (value < min || value > max) return fail(flag, text, `expected a whole number from ${min} to ${max}`);
  return ok(value);
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** One IPv4 CIDR block, e.g. `203.0.113.0/24`, with its host bits clear. */
export function checkCidr(cidr: string): string | undefined {
  const m = IPV4_CIDR.exec(cidr);
  if (!m) return 'expected an IPv4 CIDR block such as 203.0.113.0/24';
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return 'expected an IPv4 CIDR block such as 203.0.113.0/24';
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 2 ** (32 - prefix);
  if (address % hostBits !== 0) {
    const base = address - (address % hostBits);
    const dotted = [24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.');
    return `has host bits set; did you mean ${dotted}/${prefix}?`;
  }
  return undefined;
}

/** A comma-separated list of IPv4 CIDR blocks (at least one, no duplicates). */
export function parseCidrList(flag: string, raw: string): Parsed<string[]> {
  const items = raw.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((i) => i === '')) return fail(flag, raw, 'expected CIDR blocks separated by commas, e.g. 203.0.113.0/24,198.51.100.7/32');
  const problems = items.flatMap((i) => {
    const why = checkCidr(i);
    return why ? [{ flag, value: i, expected: why }] : [];
  });
  if (problems.length > 0) return { ok: false, problems };
  return ok([...new Set(items)]);
}

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** `--tags k=v,k2=v2`: user tags for the stack (the `elasticrtc:` and `aws:` prefixes are reserved). */
export function parseTags(flag: string, raw: string): Parsed<Record<string, string>> {
  const tags: Record<string, string> = {};
  if (raw.trim() === '') return ok(tags);
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    const value = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (eq < 0 || !TAG_KEY.test(key) || !TAG_VALUE.test(value)) {
      return fail(flag, pair, 'expected key=value pairs separated by commas, e.g. team=media,env=prod');
    }
    if (/^(aws|elasticrtc):/i.test(key)) return fail(flag, key, 'uses a reserved prefix ("aws:" and "elasticrtc:" are set by AWS and elasticrtc)');
    tags[key] = value;
  }
  if (Object.keys(tags).length > 47) return fail(flag, raw, 'has more than 47 tags (CloudFormation allows 50, elasticrtc uses 3)');
  return ok(tags);
}
