import { describe, expect, it } from 'vitest';
import { parseTimeout } from '../../src/cli/duration.js';
import { UsageError } from '../../src/cli/errors.js';

describe('parseTimeout', () => {
  it.each([
    ['60m', 3_600_000],
    ['90', 5_400_000],
    ['1h30m', 5_400_000],
    ['45s', 45_000],
    ['2h', 7_200_000],
  ])('%s → %d ms', (raw, ms) => expect(parseTimeout(raw)).toBe(ms));

  it.each(['0', '0s', 'soon', '25h', '-5m', '1.5h', ''])('%s is a usage error naming the flag', (raw) => {
    expect(() => parseTimeout(raw)).toThrow(UsageError);
    expect(() => parseTimeout(raw)).toThrow(/^--timeout /);
  });

  it('a negative duration says the value is invalid and what is expected', () => {
    expect(() => parseTimeout('-5m')).toThrow('--timeout -5m: invalid: expected a positive duration such as 30m, 1h');
  });
});
