import WebSocket from 'ws';

/** A JSON-RPC error or a transport failure talking to Kurento. */
export class KmsRpcError extends Error {}

/**
 * One short Kurento session: opens the JSON-RPC socket, sends the requests in order, closes the
 * session (`closeSession`, which releases whatever the session referenced) and the socket. Answers
 * come back as their `result`; settles within `timeoutMs`.
 */
export function kmsSession(url: string, requests: readonly { method: string; params: object }[], timeoutMs = 5_000): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs, perMessageDeflate: false });
    const results: unknown[] = [];
    let sessionId: string | undefined;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.close();
      if (error) reject(error);
      else resolve(results);
    };
    const timer = setTimeout(() => finish(new KmsRpcError(`Kurento did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
    const send = (i: number) => {
      const request = i < requests.length ? requests[i] : { method: 'closeSession', params: {} };
      if (!request) return;
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: `erc-${i}`, method: request.method, params: { ...request.params, ...(sessionId ? { sessionId } : {}) } }));
    };
    ws.on('error', (e) => finish(new KmsRpcError(`Kurento: ${e.message}`)));
    ws.on('close', (code) => finish(settled ? undefined : new KmsRpcError(`Kurento closed the socket (code ${code})`)));
    ws.on('open', () => send(0));
    ws.on('message', (data) => {
      let msg: { id?: string; result?: { sessionId?: string; value?: unknown }; error?: { message?: string } };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return finish(new KmsRpcError('Kurento answered something that is not JSON'));
      }
      if (typeof msg.id !== 'string' || !msg.id.startsWith('erc-')) return; // events
      const i = Number(msg.id.slice(4));
      if (msg.error) return finish(new KmsRpcError(`Kurento: ${msg.error.message ?? 'error'}`));
      sessionId ??= msg.result?.sessionId;
      if (i >= requests.length) return finish(); // closeSession answered
      results.push(msg.result?.value);
      send(i + 1);
    });
  });
}

/** The ids of the pipelines KMS holds (its ServerManager), on a short session. */
export async function kmsPipelines(url: string, timeoutMs?: number): Promise<string[]> {
  const [value] = await kmsSession(url, [{ method: 'invoke', params: { object: 'manager_ServerManager', operation: 'getPipelines', operationParams: {} } }], timeoutMs);
  if (!Array.isArray(value)) throw new KmsRpcError('Kurento answered getPipelines without a list');
  return value.map(String);
}
