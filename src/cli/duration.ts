import { UsageError } from './errors.js';

/**
 * Parses `--timeout`: `90m`, `1h30m`, `45s`, or a bare number of minutes. CloudFormation counts whole
 * minutes, so the value must be at least one minute.
 */
export function parseTimeout(raw: unknown, flag = 'timeout'): number {
  const text = String(raw).trim();
  const expected = 'expected a duration such as 60m, 1h30m or 90 (minutes), at least 1m and at most 24h';
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 60_000;
  } else {
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
    if (!m || text === '') throw new UsageError('InvalidTimeout', `--${flag} ${text}: ${expected}`);
    ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
  }
  if (ms < 60_000 || ms > 24 * 3_600_000) throw new UsageError('InvalidTimeout', `--${flag} ${text}: ${expected}`);
  return ms;
}
