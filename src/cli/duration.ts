import { UsageError } from './errors.js';

/**
 * Parses `--timeout`: `90m`, `1h30m`, `45s`, or a bare number of minutes; from 1 s to 24 h. The client
 * stops waiting after exactly this long; CloudFormation, which counts whole minutes, gets it rounded up.
 */
export function parseTimeout(raw: unknown, flag = 'timeout'): number {
  const text = String(raw).trim();
  const expected = 'invalid: expected a positive duration such as 30m, 1h, 1h30m or 90 (minutes), at most 24h';
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 60_000;
  } else {
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
    if (!m || text === '') throw new UsageError('InvalidTimeout', `--${flag} ${text}: ${expected}`);
    ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  }
  if (ms < 1000 || ms > 24 * 3_600_000) throw new UsageError('InvalidTimeout', `--${flag} ${text}: ${expected}`);
  return ms;
}
