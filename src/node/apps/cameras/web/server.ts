import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { KurentoClient, type KurentoClientOptions, KurentoError, maskedUrl } from '../../../room/kurento.js';
import { sameOrigin } from '../../../same-origin.js';
import { redact } from '../../kvs-relay/pipeline.js';
import type { Camera } from '../layout.js';
import { playlistAges, serveHls } from './hls-files.js';
import { pageAssets } from './assets.js';
import { LiveError, LiveViews, type LiveOptions, type Viewer } from './live.js';
import { BASE } from './page.js';
import { type FromPage, type LiveState, parseFromPage, ProtocolError, type ToPage } from './protocol.js';

export const CAMERAS_PATHS = { page: BASE, socket: `${BASE}/ws`, health: `${BASE}/healthz`, hls: `${BASE}/hls/` } as const;

export interface CamerasServerOptions {
  host: string;
  port: number;
  /** The configured cameras; their URLs (credentials inside) go to Kurento only. */
  cameras: readonly Camera[];
  /**
   * The cameras app's directory (`CAMERAS_DEFAULTS.dir`), where the recorders write each camera's
   * live HLS: `liveDir(hlsDir, camera)` = `<hlsDir>/live/<camera>/index.m3u8` and its segments.
   */
  hlsDir: string;
  /** The cluster URL with its key, `ws[s]://host/<api-key>`; without it the page has no live view. */
  kurentoUrl?: string;
  log: (line: string) => void;
  /** Ping and reconnection timings of the Kurento link (tests shorten them). */
  kurento?: Pick<KurentoClientOptions, 'pingIntervalMs' | 'timeoutMs' | 'retryMs'>;
  /** Waits before a lost camera stream is pulled again, and the player's buffer. */
  live?: Pick<LiveOptions, 'retryMs' | 'networkCacheMs'>;
  /** A playlist older than this is stale in `/healthz`; default 30 s. */
  staleAfterMs?: number;
  /** Wall-clock time, ms (a command passes `ctx.clock.now`); default the system's. */
  now?: () => number;
}

/** The system's wall clock, for a caller that passes none (the same instant as Date.now()). */
const systemNow = () => performance.timeOrigin + performance.now();

export interface CamerasServer {
  /** `http://host:port/app/cameras/` */
  url: string;
  port: number;
  live: LiveViews | undefined;
  liveState(): LiveState;
  close(): Promise<void>;
}

const CLUSTER_DOWN = 'Live view: the media cluster cannot be reached. Recordings keep playing; live view resumes when it is back.';
const MESSAGES: Record<LiveState, string> = { up: 'The media cluster is reachable.', down: CLUSTER_DOWN, off: 'Live view is not configured on this server.' };

const pathOf = (req: IncomingMessage) => (req.url ?? '/').split('?', 1)[0] ?? '/';

/**
 * The cameras application's web half: the page at `/app/cameras`, the recorders' HLS under
 * `/app/cameras/hls/`, `/app/cameras/healthz`, and the live view's WebSocket `/app/cameras/ws`
 * (live.ts: one pipeline per camera through the cluster URL, shared by its viewers).
 */
export async function startCamerasServer(o: CamerasServerOptions): Promise<CamerasServer> {
  const now = o.now ?? systemNow;
  const urls = new Map(o.cameras.map((c) => [c.name, c.url]));
  const names = [...urls.keys()];
  const known = new Set(names);
  // Every camera URL and password is masked in whatever is logged or said to a page.
  const scrub = (text: string) => o.cameras.reduce((t, c) => redact(t, c.url), text);
  const log = (line: string) => o.log(scrub(line));
  const pages = new Set<WebSocket>();
  const post = (ws: WebSocket, m: ToPage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const tellAll = (state: LiveState) => {
    for (const ws of pages) post(ws, { id: 'cluster', state, message: MESSAGES[state] });
  };
  let live: LiveViews | undefined;
  const kurento = o.kurentoUrl
    ? new KurentoClient({
        url: o.kurentoUrl,
        ...o.kurento,
        log: (line) => log(`kurento: ${line}`),
        onState: (state, detail) => {
          log(`media cluster ${state}: ${detail}`);
          tellAll(state);
          if (state === 'up') live?.retryReleases();
        },
        onSessionLost: () => live?.closeAll('The media cluster lost this live view (it was unreachable too long). Try Live again.'),
      })
    : undefined;
  if (kurento) live = new LiveViews(kurento, urls, { ...o.live, log, redact: scrub });
  const liveState = (): LiveState => kurento?.state ?? 'off';

  const asset = pageAssets(names, kurento !== undefined);

  const health = async () => {
    const ages = await playlistAges(o.hlsDir, names, now());
    const stale = o.staleAfterMs ?? 30_000;
    const cameras = names.map((name) => {
      const age = ages.get(name);
      return { name, playlist: age === undefined ? 'missing' : age <= stale ? 'fresh' : 'stale', viewers: live?.viewers(name) ?? 0 };
    });
    return { status: 'ok', cluster: liveState(), cameras };
  };

  const server: Server = createServer((req, res) => {
    const path = pathOf(req);
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
    if (path === CAMERAS_PATHS.health) {
      void health().then((h) => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(h)}\n`));
      return;
    }
    if (path.startsWith(CAMERAS_PATHS.hls)) {
      void serveHls(req, res, o.hlsDir, known, path.slice(CAMERAS_PATHS.hls.length)).catch((e: unknown) => {
        log(`serving ${path}: ${String(e)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('error\n');
      });
      return;
    }
    const file = asset(path);
    if (!file) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    file.send(req, res);
  });

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 256 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    // Another site's WebSocket is refused: the page is the only client of /app/cameras/ws.
    if (pathOf(req) !== CAMERAS_PATHS.socket || !sameOrigin(req)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      pages.add(ws);
      onPage(ws);
    });
  });

  /** One page: its live tiles (camera → viewer), its messages handled in order (an offer before its candidates). */
  const onPage = (ws: WebSocket) => {
    const send = (m: ToPage) => post(ws, m);
    send({ id: 'cluster', state: liveState(), message: MESSAGES[liveState()] });
    const viewers = new Map<string, Viewer>();
    let queue = Promise.resolve();
    const handle = async (m: FromPage) => {
      if (!known.has(m.camera)) throw new LiveError(`no camera named ${JSON.stringify(m.camera.slice(0, 64))}`);
      const current = viewers.get(m.camera);
      if (m.id === 'onIceCandidate') return current ? live?.addIceCandidate(current, m.candidate) : undefined;
      if (current) {
        viewers.delete(m.camera);
        await live?.leave(current);
      }
      if (m.id === 'stop') return;
      if (!live || !kurento) throw new LiveError(MESSAGES.off);
      if (kurento.state !== 'up') throw new LiveError(CLUSTER_DOWN);
      const viewer: Viewer = { camera: m.camera, send, closed: false };
      viewers.set(m.camera, viewer);
      await live.view(viewer, m.sdpOffer);
    };
    ws.on('message', (data) => {
      queue = queue.then(async () => {
        let camera: string | undefined;
        try {
          const m = parseFromPage(String(data));
          camera = m.camera;
          await handle(m);
        } catch (error) {
          const expected = error instanceof LiveError || error instanceof ProtocolError || error instanceof KurentoError;
          if (!expected) log(`unexpected: ${String(error)}`);
          if (camera !== undefined && viewers.get(camera)?.closed) viewers.delete(camera);
          send({ id: 'error', ...(camera !== undefined ? { camera } : {}), message: scrub(error instanceof Error ? error.message : String(error)) });
        }
      });
    });
    // The load balancer closes an idle connection after 60 s: a ping frame keeps it busy.
    const keepAlive = setInterval(() => ws.ping(), 25_000);
    ws.on('close', () => {
      clearInterval(keepAlive);
      pages.delete(ws);
      queue = queue.then(async () => {
        for (const v of viewers.values()) await live?.leave(v);
        viewers.clear();
      });
    });
    ws.on('error', () => undefined);
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log(`listening on ${o.host}:${port}, ${names.length} camera(s), ${o.kurentoUrl ? `live view through ${maskedUrl(o.kurentoUrl)}` : 'no live view (no cluster URL)'}`);
  kurento?.start();
  return {
    url: `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}${BASE}/`,
    port,
    live,
    liveState,
    close: async () => {
      await live?.stop('The camera server is stopping.');
      kurento?.close();
      for (const ws of pages) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
