import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { Cluster, type NodeAddress } from './cluster.js';
import { kmsTurnUrl } from '../config/kurento.js';
import { turnCredential } from '../config/turn.js';
import { ClientSession } from './session.js';
import { type InspectorOptions, createInspector, isInspectorPath } from './inspector/index.js';

/** A credential given to one endpoint: a day, longer than any session it serves should need. */
export const ENDPOINT_TURN_TTL_S = 86_400;

export interface ControllerOptions {
  host: string;
  port: number;
  apiKey: string;
  costMap: Readonly<Record<string, number>>;
  /** The same at every controller of a cluster (the stack name): `connect` answers it as `serverId`. */
  clusterId: string;
  now: () => number;
  /** With TURN on: the cluster's TURN secret; each new WebRtcEndpoint gets a fresh credential. */
  turnSecret?: string;
  log?: (line: string) => void;
  /** The inspector at `/inspector` (docs/inspector.md), with the cluster secret's inspector login; without it, `/inspector` is 404. */
  inspector?: InspectorOptions;
  /** One load sample per node this often (ms), kept an hour, for the inspector's charts; default 10 s. */
  historyEveryMs?: number;
}

export interface Controller {
  url: string;
  port: number;
  cluster: Cluster;
  sessions: Set<ClientSession>;
  setNodes(nodes: readonly NodeAddress[]): Promise<void>;
  /** Closes every client socket with `code` (1001 when the node drains: clients resume elsewhere). */
  closeClients(code: number, reason: string): void;
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** True when the request's path (without query) is `/<api-key>`, compared in constant time. */
export function pathHasKey(req: IncomingMessage, apiKey: string): boolean {
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  return timingSafeEqual(digest(path), digest(`/${apiKey}`));
}

/**
 * The cluster's one URL, `ws[s]://host/<api-key>`: Kurento JSON-RPC in, sessions placed and routed
 * over the nodes. Any other path is refused before any JSON-RPC; `GET /healthz` is the load
 * balancer's health check.
 */
export async function startController(o: ControllerOptions): Promise<Controller> {
  const cluster = new Cluster({ costMap: o.costMap, now: o.now, ...(o.historyEveryMs ? { historyEveryMs: o.historyEveryMs } : {}), ...(o.log ? { log: o.log } : {}) });
  const sampler = setInterval(() => cluster.sample(), o.historyEveryMs ?? 10_000);
  sampler.unref();
  const inspector = o.inspector ? createInspector(o.inspector, { cluster, costMap: o.costMap, now: o.now, ...(o.log ? { log: o.log } : {}) }) : undefined;
  const sessions = new Set<ClientSession>();
  const secret = o.turnSecret;
  // coturn runs beside each KMS; KMS's TURN URL needs an IPv4 literal (its turnURL pattern).
  const turnUrl = secret ? (host: string) => (/^\d+\.\d+\.\d+\.\d+$/.test(host) ? kmsTurnUrl(turnCredential(secret, 'kms', o.now(), ENDPOINT_TURN_TTL_S), host) : undefined) : undefined;
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      const up = cluster.up().length;
      res.writeHead(up > 0 ? 200 : 503, { 'content-type': 'text/plain' }).end(up > 0 ? 'ok\n' : 'no media server\n');
      return;
    }
    if (inspector && isInspectorPath(req.url)) return inspector.handle(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    if (!pathHasKey(req, o.apiKey)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new ClientSession(ws, { cluster, serverId: o.clusterId, ...(turnUrl ? { turnUrl } : {}), ...(o.log ? { log: o.log } : {}) });
      sessions.add(session);
      // Requests of one client are handled in order, as KMS handles them on one socket.
      let queue = Promise.resolve();
      ws.on('message', (data) => {
        const text = String(data);
        queue = queue.then(() => session.handle(text));
      });
      ws.on('close', () => {
        sessions.delete(session);
        session.close();
      });
      ws.on('error', () => undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port, o.host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://${o.host}:${port}/${o.apiKey}`,
    port,
    cluster,
    sessions,
    setNodes: (nodes) => cluster.setNodes(nodes),
    closeClients: (code, reason) => {
      for (const s of sessions) s.client.close(code, reason);
    },
    close: async () => {
      for (const s of sessions) s.client.terminate();
      clearInterval(sampler);
      cluster.close();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const newClusterId = (): string => randomUUID();
