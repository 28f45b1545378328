/**
 * A stand-in for Kurento Media Server's JSON-RPC WebSocket, faithful to what a readiness check meets
 * (Kurento/kurento server/media-server transport/websocket): the upgrade is answered 101 on any path;
 * on a path other than the configured one the socket is closed with 1002 "Invalid path"; `ping` is
 * answered `{value: "pong"}` with the request's id. Modes make it misbehave the ways a check must see.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export type StandInMode =
  /** Like KMS. */
  | 'kms'
  /** Upgrades and keeps the socket open, never answers (KMS stuck, or not KMS). */
  | 'silent'
  /** Answers the upgrade with HTTP 404 (not a WebSocket server). */
  | 'http-404'
  /** Answers ping with an error. */
  | 'error';

export interface KmsStandIn {
  url: string;
  port: number;
  /** Requests received, in order. */
  requests: { path: string; method?: string }[];
  mode: StandInMode;
  /** What getPipelines answers. */
  pipelines: string[];
  close(): Promise<void>;
}

const SESSION = '3a0f1f6e-7b0e-4a50-9a3c-6f4a4a1b2c3d';

/**
 * Also answers, like KMS: `invoke` of `getPipelines` on `manager_ServerManager` (the ids in
 * `pipelines`), and `closeSession`; every answer after the first carries the session id.
 */
export async function startKmsStandIn(options: { path: string; mode?: StandInMode; port?: number; pipelines?: string[] }): Promise<KmsStandIn> {
  const requests: KmsStandIn['requests'] = [];
  const server: Server = createServer((_req, res) => {
    res.statusCode = 404; // KMS answers a plain GET with an error status
    res.end();
  });
  const wss = new WebSocketServer({ noServer: true });
  const state: KmsStandIn = { url: '', port: 0, requests, mode: options.mode ?? 'kms', pipelines: options.pipelines ?? [], close: async () => undefined };
  server.on('upgrade', (req, socket, head) => {
    const path = (req.url ?? '/').split('?')[0]?.replace(/^\//, '') ?? '';
    requests.push({ path });
    if (state.mode === 'http-404') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (path !== options.path) {
        ws.close(1002, 'Invalid path');
        return;
      }
      ws.on('message', (data) => {
        let msg: { id?: unknown; method?: string; jsonrpc?: string };
        try {
          msg = JSON.parse(String(data)) as typeof msg;
        } catch {
          return;
        }
        requests.push({ path, ...(msg.method ? { method: msg.method } : {}) });
        if (state.mode === 'silent' || msg.id === undefined) return;
        if (state.mode === 'error') return ws.send(JSON.stringify({ id: msg.id, jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' } }));
        const answer = (result: object) => ws.send(JSON.stringify({ id: msg.id, jsonrpc: '2.0', result }));
        const params = (msg as { params?: { object?: string; operation?: string } }).params ?? {};
        if (msg.method === 'ping') answer({ value: 'pong' });
        else if (msg.method === 'invoke' && params.object === 'manager_ServerManager' && params.operation === 'getPipelines') answer({ value: state.pipelines, sessionId: SESSION });
        else if (msg.method === 'closeSession') answer({ sessionId: SESSION });
        else ws.send(JSON.stringify({ id: msg.id, jsonrpc: '2.0', error: { code: 40101, message: `${params.object ?? ''} not found` } }));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  state.url = `ws://127.0.0.1:${port}/${options.path}`;
  state.close = async () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}
