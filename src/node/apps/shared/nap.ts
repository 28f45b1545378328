import type { Clock } from '../../context.js';

/**
 * Sleeps on the clock until `ms` pass or `signal` aborts, leaving no listener on `signal` behind: a
 * loop that naps on one long-lived signal would otherwise add one per nap (the clock listens on the
 * signal it is given until it aborts).
 */
export async function nap(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const own = new AbortController();
  const wake = () => own.abort();
  signal.addEventListener('abort', wake, { once: true });
  try {
    await clock.sleep(ms, own.signal);
  } finally {
    signal.removeEventListener('abort', wake);
  }
}
