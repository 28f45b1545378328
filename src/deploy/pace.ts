/**
 * The polling budget of `product.md`: every 2 s in the first minute, then every 5 s on a terminal or
 * 10 s otherwise, with jitter added (never subtracted); a faster "terminal poll" when the final event
 * is due; throttling doubles the interval up to 30 s; and never more than 12 calls in any minute after
 * the first.
 */
export type Pace = 'terminal' | 'plain';

export const FIRST_MINUTE_MS = 60_000;
export const FAST_POLL_MS = 2_000;
export const MAX_BACKOFF_MS = 30_000;
export const CALLS_PER_MINUTE = 12;

const STEADY_MS: Record<Pace, number> = { terminal: 5_000, plain: 10_000 };
const JITTER_MS: Record<Pace, number> = { terminal: 1_000, plain: 2_000 };

/** The delay before the next poll. `random` is in [0, 1). */
export function nextPollDelay(o: { elapsed: number; pace: Pace; nearlyDone: boolean; backoff: number; random: number }): number {
  if (o.backoff > 0) return o.backoff;
  if (o.elapsed < FIRST_MINUTE_MS || o.nearlyDone) return FAST_POLL_MS + Math.floor(o.random * 400);
  return STEADY_MS[o.pace] + Math.floor(o.random * JITTER_MS[o.pace]);
}

/** The next back-off after a throttled or failed poll: double the wait (the last back-off, else the current interval), at most 30 s. */
export const nextBackoff = (previous: number, interval: number): number => Math.min(MAX_BACKOFF_MS, 2 * (previous > 0 ? previous : interval));

/**
 * A sliding window that keeps the calls of any minute after the first under the budget. Only calls
 * made after the first minute count: the fast polls of the first minute are outside the budget, and
 * counting them stalled the first poll after it for ~35 s.
 */
export class CallBudget {
  private readonly calls: number[] = [];
  constructor(private readonly start: number) {}

  record(at: number): void {
    if (at - this.start >= FIRST_MINUTE_MS) this.calls.push(at);
  }

  /** The earliest time at or after `at` when one more call stays within budget. */
  earliestCall(at: number): number {
    if (at - this.start < FIRST_MINUTE_MS) return at;
    const windowStart = at - 60_000;
    const recent = this.calls.filter((t) => t > windowStart);
    if (recent.length < CALLS_PER_MINUTE) return at;
    const oldest = recent[recent.length - CALLS_PER_MINUTE];
    return oldest === undefined ? at : oldest + 60_000 + 1;
  }
}
