import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { type ClusterState, KurentoClient, type KurentoClientOptions, KurentoError, maskedUrl } from './kurento.js';
import { PAGE_CSS, PAGE_HTML, PAGE_JS } from './page.js';
import { type FromPage, parseFromPage, ProtocolError, type ToPage } from './protocol.js';
import { sameOrigin } from '../same-origin.js';
import { type Participant, RoomError, Rooms } from './rooms.js';

/** The room server's port on an app node (the app target group's). */
export const ROOM_PORT = 8080;
/** Everything is under /app, so one load-balancer rule routes the page, its socket and the health check. */
export const ROOM_PATHS = { page: '/app/', socket: '/app/ws', health: '/app/healthz' } as const;

export interface RoomServerOptions {
  host: string;
  port: number;
  /** The cluster URL with its key, `ws[s]://host/<api-key>`: never sent to a page. */
  kurentoUrl: string;
  log?: (line: string) => void;
  /** Ping and reconnection timings of the Kurento link (tests shorten them). */
  kurento?: Pick<KurentoClientOptions, 'pingIntervalMs' | 'timeoutMs' | 'retryMs'>;
}

export interface RoomServer {
  /** `http://host:port/app/` */
  url: string;
  port: number;
  rooms: Rooms;
  clusterState(): ClusterState;
  close(): Promise<void>;
}

const CLUSTER_DOWN = 'The media cluster cannot be reached. The room server keeps trying; rooms resume when it is back.';
const clusterMessage = (state: ClusterState) => (state === 'up' ? 'The media cluster is reachable.' : CLUSTER_DOWN);

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob: mediastream:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const ASSETS: Record<string, [string, string]> = {
  '/app/': ['text/html; charset=utf-8', PAGE_HTML],
  '/app/index.html': ['text/html; charset=utf-8', PAGE_HTML],
  '/app/room.js': ['text/javascript; charset=utf-8', PAGE_JS],
  '/app/room.css': ['text/css; charset=utf-8', PAGE_CSS],
};

const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?', 1)[0] ?? '/';

/**
 * The ROOM demo: one page at `/app/`, its WebSocket at `/app/ws`, `GET /app/healthz` for the load
 * balancer (200 while the server runs, even with the cluster out of reach: the page then says so).
 * A Kurento client of the cluster URL holds the rooms' pipelines; the api key stays here.
 */
export async function startRoomServer(o: RoomServerOptions): Promise<RoomServer> {
  const log = o.log ?? (() => undefined);
  const pages = new Set<WebSocket>();
  const post = (ws: WebSocket, m: ToPage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const kurento = new KurentoClient({
    url: o.kurentoUrl,
    ...o.kurento,
    log: (line) => log(`kurento: ${line}`),
    onState: (state, detail) => {
      log(`media cluster ${state}: ${detail}`);
      for (const ws of pages) post(ws, { id: 'cluster', state, message: clusterMessage(state) });
      if (state === 'up') rooms.retryReleases();
    },
    onSessionLost: () => rooms.closeAll('The media cluster lost this room (it was unreachable too long). Join again.'),
  });
  // The client calls back only once started, below: `rooms` exists by then.
  const rooms = new Rooms(kurento, log);

  const server: Server = createServer((req, res) => serve(req, res, () => kurento.state, rooms));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 256 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    // A WebSocket from another site is refused: the page is the only client of /app/ws.
    if (pathOf(req) !== ROOM_PATHS.socket || !sameOrigin(req)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      pages.add(ws);
      const send = (m: ToPage) => post(ws, m);
      send({ id: 'cluster', state: kurento.state, message: clusterMessage(kurento.state) });
      let participant: Participant | undefined;
      let queue = Promise.resolve();
      const handle = async (m: FromPage) => {
        switch (m.id) {
          case 'joinRoom':
            if (participant && !participant.left) throw new RoomError(`you are in room ${participant.room.name}: leave it first`);
            if (kurento.state !== 'up') throw new RoomError(CLUSTER_DOWN);
            participant = await rooms.join(m.name, m.room, send);
            return;
          case 'receiveVideoFrom':
            if (!participant) throw new RoomError('join a room first');
            return rooms.receiveVideoFrom(participant, m.sender, m.sdpOffer);
          case 'onIceCandidate':
            if (participant) await rooms.addIceCandidate(participant, m.name, m.candidate);
            return;
          case 'leaveRoom':
            if (participant) await rooms.leave(participant);
            participant = undefined;
        }
      };
      // Messages of one page are handled in order: an offer before its candidates.
      ws.on('message', (data) => {
        queue = queue.then(async () => {
          try {
            await handle(parseFromPage(String(data)));
          } catch (error) {
            const known = error instanceof RoomError || error instanceof ProtocolError || error instanceof KurentoError;
            if (!known) log(`unexpected: ${String(error)}`);
            send({ id: 'error', message: error instanceof Error ? error.message : String(error) });
          }
        });
      });
      // The load balancer closes an idle connection after 60 s: a ping frame keeps it busy.
      const keepAlive = setInterval(() => ws.ping(), 25_000);
      ws.on('close', () => {
        clearInterval(keepAlive);
        pages.delete(ws);
        queue = queue.then(() => (participant ? rooms.leave(participant) : undefined));
      });
      ws.on('error', () => undefined);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log(`listening on ${o.host}:${port}, the cluster at ${maskedUrl(o.kurentoUrl)}`);
  kurento.start();
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}${ROOM_PATHS.page}`,
    port,
    rooms: rooms,
    clusterState: () => kurento.state,
    close: async () => {
      kurento.close();
      for (const ws of pages) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serve(req: IncomingMessage, res: ServerResponse, state: () => ClusterState, rooms: Rooms): void {
  const path = pathOf(req);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    return;
  }
  if (path === ROOM_PATHS.health) {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify({ status: 'ok', cluster: state(), rooms: rooms.rooms.size })}\n`);
    return;
  }
  if (path === '/app') {
    res.writeHead(301, { location: ROOM_PATHS.page }).end();
    return;
  }
  const asset = ASSETS[path];
  if (!asset) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, { 'content-type': asset[0], ...SECURITY_HEADERS });
  res.end(req.method === 'HEAD' ? undefined : asset[1]);
}
