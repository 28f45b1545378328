import type { CheckResult } from '../check.js';

/**
 * Readiness of the room server: `GET /app/healthz` answered 200 within `timeoutMs` (what the app
 * target group asks). Never throws.
 */
export async function checkRoom(url: string, timeoutMs = 5_000, now: () => number = () => performance.now()): Promise<CheckResult> {
  const started = now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    if (res.status === 200) return { ok: true, ms: Math.round(now() - started) };
    return { ok: false, failure: 'wrong-answer', detail: `HTTP ${res.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { ok: false, failure: 'refused', detail: 'connection refused (ECONNREFUSED)' };
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { ok: false, failure: 'no-answer', detail: `no answer within ${timeoutMs / 1000} s` };
    return { ok: false, failure: 'refused', detail: error instanceof Error ? `${error.message}${cause?.code ? ` (${cause.code})` : ''}` : String(error) };
  }
}
