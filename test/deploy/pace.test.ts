import { describe, expect, it } from 'vitest';
import { CallBudget, nextBackoff, nextPollDelay } from '../../src/deploy/pace.js';

describe('nextPollDelay', () => {
  const base = { nearlyDone: false, backoff: 0, random: 0 };
  it('polls every 2 s in the first minute, then 5 s on a terminal and 10 s otherwise', () => {
    expect(nextPollDelay({ ...base, elapsed: 30_000, pace: 'plain' })).toBe(2000);
    expect(nextPollDelay({ ...base, elapsed: 61_000, pace: 'terminal' })).toBe(5000);
    expect(nextPollDelay({ ...base, elapsed: 61_000, pace: 'plain' })).toBe(10_000);
  });
  it('adds jitter, never subtracts it', () => {
    expect(nextPollDelay({ ...base, elapsed: 61_000, pace: 'terminal', random: 0.999 })).toBe(5999);
    expect(nextPollDelay({ ...base, elapsed: 61_000, pace: 'plain', random: 0.5 })).toBe(11_000);
  });
  it('polls fast when the final event is due', () => {
    expect(nextPollDelay({ ...base, elapsed: 600_000, pace: 'plain', nearlyDone: true })).toBe(2000);
  });
  it('backs off by doubling, up to 30 s', () => {
    expect(nextBackoff(0, 2000)).toBe(4000);
    expect(nextBackoff(4000, 2000)).toBe(8000);
    expect(nextBackoff(16_000, 2000)).toBe(30_000);
    expect(nextBackoff(30_000, 2000)).toBe(30_000);
    expect(nextPollDelay({ ...base, elapsed: 0, pace: 'plain', backoff: 8000 })).toBe(8000);
  });
});

describe('CallBudget', () => {
  it('allows anything in the first minute and 12 calls per minute after it', () => {
    const b = new CallBudget(0);
    for (let t = 0; t < 60_000; t += 1000) b.record(t);
    expect(b.earliestCall(59_000)).toBe(59_000);
    // The 60 calls of the first minute are outside the budget: the first poll after it is not held back.
    expect(b.earliestCall(60_000)).toBe(60_000);
    for (let t = 60_000; t < 66_000; t += 500) b.record(t); // 12 calls after the first minute
    expect(b.earliestCall(66_000)).toBe(120_001);
    const later = new CallBudget(0);
    for (let t = 60_000; t < 120_000; t += 5_000) later.record(t); // 12 calls
    expect(later.earliestCall(119_000)).toBe(120_001);
    expect(later.earliestCall(120_500)).toBe(120_500);
  });
});
