import WebSocket from 'ws';

/** How long KMS has to answer `ping` with `pong`. */
export const CHECK_TIMEOUT_MS = 5_000;

export type CheckFailure = 'refused' | 'upgrade-refused' | 'no-answer' | 'wrong-answer';

export type CheckResult = { ok: true; ms: number } | { ok: false; failure: CheckFailure; detail: string };

/**
 * Readiness of a Kurento Media Server: opens its JSON-RPC WebSocket, sends `ping` and expects the
 * result `{value: "pong"}`. A bare WebSocket upgrade proves nothing: KMS answers 101 on any path and
 * keeps the socket open. Settles within `timeoutMs` (plus the socket's close), never later.
 */
export function checkKms(url: string, timeoutMs = CHECK_TIMEOUT_MS, now: () => number = () => performance.now()): Promise<CheckResult> {
  const started = now();
  return new Promise((resolve) => {
    let settled = false;
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    const finish = (result: CheckResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ ok: false, failure: 'no-answer', detail: `no answer to ping within ${timeoutMs / 1000} s` }), timeoutMs);
    ws.on('unexpected-response', (_req, res) => finish({ ok: false, failure: 'upgrade-refused', detail: `WebSocket upgrade refused: HTTP ${res.statusCode ?? '?'}` }));
    ws.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED' || error.code === 'ECONNRESET' || error.code === 'EHOSTUNREACH';
      finish({ ok: false, failure: refused ? 'refused' : 'upgrade-refused', detail: refused ? `connection refused (${error.code})` : error.message });
    });
    ws.on('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { interval: timeoutMs } })));
    ws.on('close', (code) => finish({ ok: false, failure: 'wrong-answer', detail: `socket closed before pong (code ${code})` }));
    ws.on('message', (data) => {
      let answer: { id?: unknown; result?: { value?: unknown }; error?: { message?: unknown } } | undefined;
      try {
        answer = JSON.parse(String(data)) as typeof answer;
      } catch {
        return finish({ ok: false, failure: 'wrong-answer', detail: 'the answer to ping is not JSON' });
      }
      if (answer?.id !== 1) return; // an event or another answer: keep waiting
      if (answer.result?.value === 'pong') return finish({ ok: true, ms: Math.round(now() - started) });
      const why = answer.error ? `error: ${String(answer.error.message)}` : `result ${JSON.stringify(answer.result)}`;
      finish({ ok: false, failure: 'wrong-answer', detail: `ping answered with ${why}` });
    });
  });
}

/** The sentence `check` prints for a result. */
export const describeCheck = (url: string, r: CheckResult): string =>
  r.ok ? `kms ${url}: pong in ${r.ms} ms` : `kms ${url}: ${r.failure}: ${r.detail}`;
