/**
 * The cameras app's web half without a browser: its routes under /app/cameras (the page generated
 * from the camera list, its files, the recorders' HLS, healthz), and the live view's protocol over
 * WebSocket against a controller in front of a fake KMS: one pipeline and one PlayerEndpoint per
 * camera shared by its viewers, one WebRtcEndpoint per viewer, released as they go; a lost camera
 * stream replaced; camera URLs and passwords never reach a page.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveDir } from '../../src/node/apps/cameras/layout.js';
import { type CamerasServer, startCamerasServer } from '../../src/node/apps/cameras/web/server.js';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { BROWSER_OFFER } from '../support/fake-kms/sample-offer.js';

const KEY = 'CamerasClusterKey0123456789';
const PASSWORD = 'Pa55w0rd-s3cret';
const CAMERAS = [
  { name: 'front-door', url: `rtsp://viewer:${PASSWORD}@192.0.2.10:554/stream1` },
  { name: 'yard_2', url: 'rtsp://192.0.2.11/live' },
];
const SEGMENT = Buffer.from([0x47, 0x40, 0x00, 0x10]);

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

const until = async (what: string, check: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The app's folder as the recorders leave it: front-door has a live playlist and a segment, yard_2 nothing yet. */
function hlsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'erc-cameras-web-'));
  opened.push({ close: () => rmSync(dir, { recursive: true, force: true }) });
  const front = liveDir(dir, 'front-door');
  mkdirSync(front, { recursive: true });
  writeFileSync(join(front, 'index.m3u8'), '#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nlive-1777885200.ts\n');
  writeFileSync(join(front, 'live-1777885200.ts'), SEGMENT);
  writeFileSync(join(front, 'notes.txt'), 'not HLS');
  writeFileSync(join(dir, 'live', 'secret.txt'), 'outside any camera');
  // a folder of no configured camera (one removed from the list)
  mkdirSync(liveDir(dir, 'old-camera'));
  writeFileSync(join(liveDir(dir, 'old-camera'), 'index.m3u8'), '#EXTM3U\n');
  return dir;
}

interface Setup {
  kms: FakeKms;
  controller: Controller;
  server: CamerasServer;
  dir: string;
  logs: string[];
}

/** `through`: the cluster URL is a controller in front of the fake KMS, or the fake itself (to lose it at once). */
async function setup(through: 'controller' | 'kms' | 'none' = 'controller'): Promise<Setup> {
  const kms = await startFakeKms({ path: 'kurento' });
  opened.push(kms);
  const controller = await startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1, PlayerEndpoint: 1 }, clusterId: 'cameras', now: Date.now });
  opened.push(controller);
  await controller.setNodes([{ id: 'node-0', kmsUrl: kms.url }]);
  const dir = hlsDir();
  const logs: string[] = [];
  const server = await startCamerasServer({
    host: '127.0.0.1',
    port: 0,
    cameras: CAMERAS,
    hlsDir: dir,
    ...(through === 'none' ? {} : { kurentoUrl: through === 'kms' ? kms.url : controller.url }),
    log: (l) => logs.push(l),
    kurento: { pingIntervalMs: 500, timeoutMs: 2_000, retryMs: [50, 100] },
    live: { retryMs: [100, 300] },
  });
  opened.push(server);
  if (through !== 'none') await until('the cluster up', () => server.liveState() === 'up');
  return { kms, controller, server, dir, logs };
}

type Message = Record<string, any>;

/** A page's socket: every frame it received, and a way to wait for the next of an id. */
async function page(server: CamerasServer) {
  const ws = new WebSocket(new URL('ws', server.url.replace(/^http/, 'ws')));
  opened.push({ close: () => ws.terminate() });
  const received: Message[] = [];
  const raw: string[] = [];
  ws.on('message', (d) => {
    raw.push(String(d));
    received.push(JSON.parse(String(d)) as Message);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let seen = 0;
  return {
    ws,
    raw,
    send: (m: Message) => ws.send(JSON.stringify(m)),
    next: async (id: string): Promise<Message> => {
      let found: Message | undefined;
      await until(`message ${id}`, () => {
        const i = received.findIndex((m, j) => j >= seen && m['id'] === id);
        if (i < 0) return false;
        found = received[i];
        seen = i + 1;
        return true;
      });
      return found!;
    },
  };
}

/** A GET with the path sent as written (fetch would resolve `..`). */
const rawGet = (server: CamerasServer, path: string) =>
  new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

const ofType = (kms: FakeKms, type: string) => kms.objects().filter((o) => o.type === type);
const invoked = (kms: FakeKms, operation: string) => kms.requests.filter((q) => (q.params as Message | undefined)?.['operation'] === operation);

describe('the cameras server over HTTP', () => {
  it('serves the page made from the camera list, with a strict CSP, and its files; no camera URL or password anywhere', async () => {
    const { server } = await setup();
    const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), { redirect: 'manual', ...init });
    for (const path of ['/app/cameras', '/app/cameras/']) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob: mediastream:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const html = await (await get('/app/cameras/')).text();
    expect([...html.matchAll(/<figure class="tile" data-camera="([^"]+)"/g)].map((m) => m[1])).toEqual(['front-door', 'yard_2']);
    expect(html.match(/Live \(low latency\)/g)).toHaveLength(2);
    expect(html).toContain('<script src="/app/cameras/hls.js" defer></script>');
    expect(html).not.toMatch(/https?:\/\/|rtsp/); // nothing from a CDN, no camera URL

    const js = await get('/app/cameras/cameras.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const css = await get('/app/cameras/cameras.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const hls = await get('/app/cameras/hls.js', { headers: { 'accept-encoding': 'gzip' } });
    expect([hls.status, hls.headers.get('content-type'), hls.headers.get('content-encoding')]).toEqual([200, 'text/javascript; charset=utf-8', 'gzip']);
    const hlsText = await hls.text();
    expect(hlsText.length).toBeGreaterThan(300_000);
    expect(hlsText).toContain('isSupported');
    const again = await get('/app/cameras/hls.js', { headers: { 'if-none-match': hls.headers.get('etag')! } });
    expect(again.status).toBe(304);

    expect((await get('/')).status).toBe(404);
    expect((await get('/app/cameras/other')).status).toBe(404);
    expect((await get('/app/cameras/', { method: 'POST' })).status).toBe(405);
    for (const body of [html, await js.text(), await css.text(), await (await get('/app/cameras/healthz')).text()]) {
      for (const secret of [PASSWORD, 'rtsp:', '192.0.2.1', KEY]) expect(body).not.toContain(secret);
    }
  });

  it('serves each known camera’s playlist and segments with their types; anything else, or outside, is 404', async () => {
    const { server } = await setup();
    const get = (path: string, init?: RequestInit) => fetch(new URL(path, server.url), init);
    const playlist = await get('/app/cameras/hls/front-door/index.m3u8');
    expect([playlist.status, playlist.headers.get('content-type'), playlist.headers.get('cache-control')]).toEqual([200, 'application/vnd.apple.mpegurl', 'no-cache']);
    expect(await playlist.text()).toContain('live-1777885200.ts');
    const segment = await get('/app/cameras/hls/front-door/live-1777885200.ts');
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    expect(Buffer.from(await segment.arrayBuffer())).toEqual(SEGMENT);
    expect(segment.headers.get('cache-control')).toBe('max-age=60');
    const head = await get('/app/cameras/hls/front-door/live-1777885200.ts', { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(SEGMENT.length)]);

    expect((await get('/app/cameras/hls/yard_2/index.m3u8')).status).toBe(404); // known, nothing recorded yet
    expect((await get('/app/cameras/hls/back-door/index.m3u8')).status).toBe(404); // not a camera
    expect((await get('/app/cameras/hls/old-camera/index.m3u8')).status).toBe(404); // not a configured camera, though on disk
    expect((await get('/app/cameras/hls/front-door/notes.txt')).status).toBe(404); // not an HLS file
    for (const path of [
      '/app/cameras/hls/front-door/../secret.txt',
      '/app/cameras/hls/front-door/..%2Fsecret.txt',
      '/app/cameras/hls/front-door/%2e%2e%2fsecret.txt',
      '/app/cameras/hls/..%2Ffront-door/index.m3u8',
      '/app/cameras/hls/front-door/..%5C..%5Csecret.txt',
      '/app/cameras/hls/front-door/.hidden.m3u8',
      '/app/cameras/hls/front-door/sub/live-1777885200.ts',
      '/app/cameras/hls/front-door/%E0%A4%A.ts',
      '/app/cameras/hls/%2e%2e/secret.txt',
    ]) expect([path, await rawGet(server, path)]).toEqual([path, 404]);
  });

  it('healthz: which cameras have a fresh playlist, and whether the cluster is reachable', async () => {
    const { server, dir, kms } = await setup('kms');
    const health = async () => (await (await fetch(new URL('healthz', server.url))).json()) as Message;
    expect(await health()).toEqual({
      status: 'ok',
      cluster: 'up',
      cameras: [
        { name: 'front-door', playlist: 'fresh', viewers: 0 },
        { name: 'yard_2', playlist: 'missing', viewers: 0 },
      ],
    });
    const old = new Date(Date.now() - 120_000);
    utimesSync(join(liveDir(dir, 'front-door'), 'index.m3u8'), old, old);
    expect((await health())['cameras'][0]).toEqual({ name: 'front-door', playlist: 'stale', viewers: 0 });
    kms.kill('refuse');
    await until('the cluster down', () => server.liveState() === 'down');
    const down = await fetch(new URL('healthz', server.url));
    expect(down.status).toBe(200);
    expect(((await down.json()) as Message)['cluster']).toBe('down');
  });

  it('without a cluster URL: no live button, cluster "off", a view refused', async () => {
    const { server } = await setup('none');
    const html = await (await fetch(server.url)).text();
    expect(html).not.toContain('Live (low latency)');
    expect(html).toContain('data-live="off"');
    expect(((await (await fetch(new URL('healthz', server.url))).json()) as Message)['cluster']).toBe('off');
    const p = await page(server);
    expect(await p.next('cluster')).toEqual({ id: 'cluster', state: 'off', message: 'Live view is not configured on this server.' });
    p.send({ id: 'view', camera: 'front-door', sdpOffer: BROWSER_OFFER });
    expect(await p.next('error')).toEqual({ id: 'error', camera: 'front-door', message: 'Live view is not configured on this server.' });
  });

  it('upgrades only /app/cameras/ws, and only from its own origin', async () => {
    const { server } = await setup();
    const status = (path: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(new URL(path, server.url.replace(/^http/, 'ws')), { headers });
        ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => (ws.close(), resolve(101)));
        ws.on('error', () => undefined);
      });
    expect(await status('/app/cameras/ws')).toBe(101);
    expect(await status('/app/ws')).toBe(404);
    expect(await status('/app/cameras/ws', { origin: 'https://elsewhere.example' })).toBe(404);
    expect(await status('/app/cameras/ws', { origin: `http://${new URL(server.url).host}` })).toBe(101);
  });
});

describe('the live view', () => {
  it('two viewers of one camera share one pipeline and one player, with a WebRtcEndpoint each; the last out releases it all', async () => {
    const { kms, server, logs } = await setup();
    const alice = await page(server);
    expect(await alice.next('cluster')).toEqual({ id: 'cluster', state: 'up', message: 'The media cluster is reachable.' });
    alice.send({ id: 'view', camera: 'front-door', sdpOffer: BROWSER_OFFER });
    const answer = await alice.next('viewAnswer');
    expect(answer).toMatchObject({ camera: 'front-door', sdpAnswer: expect.stringMatching(/^v=0\r\n/) });
    expect(await alice.next('iceCandidate')).toMatchObject({ camera: 'front-door', candidate: { candidate: expect.stringMatching(/^candidate:/), sdpMid: '0', sdpMLineIndex: 0 } });

    const bob = await page(server);
    bob.send({ id: 'view', camera: 'front-door', sdpOffer: BROWSER_OFFER });
    await bob.next('viewAnswer');
    await until('the player connected to both endpoints', () => invoked(kms, 'connect').length === 2);
    expect(kms.pipelines()).toHaveLength(1);
    const [player] = ofType(kms, 'PlayerEndpoint');
    expect(ofType(kms, 'PlayerEndpoint')).toHaveLength(1);
    expect(player!.constructorParams).toMatchObject({ uri: CAMERAS[0]!.url, networkCache: 200 });
    const endpoints = ofType(kms, 'WebRtcEndpoint');
    expect(endpoints).toHaveLength(2);
    expect(invoked(kms, 'connect').map((q) => [(q.params as Message)['object'], (q.params as Message)['operationParams']['sink']]).sort()).toEqual(endpoints.map((e) => [player!.id, e.id]).sort());
    expect(invoked(kms, 'play')).toHaveLength(1);
    expect(((await (await fetch(new URL('healthz', server.url))).json()) as Message)['cameras'][0]['viewers']).toBe(2);

    // the browser's candidates reach its endpoint
    bob.send({ id: 'onIceCandidate', camera: 'front-door', candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 51901 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    await until('the candidate added', () => invoked(kms, 'addIceCandidate').length === 1);

    // alice goes back to HLS: her endpoint goes, the pipeline stays for bob
    alice.send({ id: 'stop', camera: 'front-door' });
    await until('alice’s endpoint released', () => ofType(kms, 'WebRtcEndpoint').length === 1);
    expect(kms.pipelines()).toHaveLength(1);
    // bob closes his page: the pipeline goes, with its player
    bob.ws.close();
    await until('the pipeline released', () => kms.pipelines().length === 0);
    expect(server.live!.feeds.size).toBe(0);
    for (const frame of [...alice.raw, ...bob.raw, ...logs]) for (const secret of [PASSWORD, KEY]) expect(frame).not.toContain(secret);
  });

  it('a lost camera stream (EndOfStream, Error) is said to the viewers and a new player takes over; its error text is masked', async () => {
    const { kms, server } = await setup();
    const alice = await page(server);
    alice.send({ id: 'view', camera: 'front-door', sdpOffer: BROWSER_OFFER });
    await alice.next('viewAnswer');
    await until('the player plays', () => invoked(kms, 'play').length === 1);
    const first = ofType(kms, 'PlayerEndpoint')[0]!;
    kms.emit(first.id, 'EndOfStream');
    expect(await alice.next('source')).toEqual({ id: 'source', camera: 'front-door', state: 'lost', message: 'The camera’s stream was lost (the camera ended its stream): trying again in 0.1 s.' });
    await until('a new player plays', () => invoked(kms, 'play').length === 2);
    const players = ofType(kms, 'PlayerEndpoint');
    // its video flows (KMS says so on the player): the stream is back
    kms.emit(players[0]!.id, 'MediaFlowOutStateChanged', { state: 'FLOWING', padName: 'default', mediaType: 'VIDEO' });
    expect(await alice.next('source')).toEqual({ id: 'source', camera: 'front-door', state: 'playing', message: 'The camera’s stream is back.' });
    expect(players.map((p) => p.id)).not.toContain(first.id);
    expect(players).toHaveLength(1);
    const endpoint = ofType(kms, 'WebRtcEndpoint')[0]!.id;
    expect(invoked(kms, 'connect').filter((q) => (q.params as Message)['object'] === players[0]!.id).map((q) => (q.params as Message)['operationParams']['sink'])).toEqual([endpoint]);

    kms.emit(players[0]!.id, 'Error', { description: `could not open ${CAMERAS[0]!.url}: 401`, errorCode: 1, type: 'PLAYER_ERROR' });
    const lost = await alice.next('source');
    expect(lost['message']).toContain('rtsp://viewer:****@192.0.2.10:554/stream1: 401');
    expect(lost['message']).not.toContain(PASSWORD);
    // its video had flowed: the waits started again
    expect(lost['message']).toMatch(/trying again in 0\.1 s\.$/);
    await until('a third player plays', () => invoked(kms, 'play').length === 3);
    // lost again with no video meanwhile: the wait grows
    kms.emit(ofType(kms, 'PlayerEndpoint')[0]!.id, 'EndOfStream');
    expect((await alice.next('source'))['message']).toMatch(/trying again in 0\.3 s\.$/);
    // a viewer arriving meanwhile hears of it with its answer
    const bob = await page(server);
    bob.send({ id: 'view', camera: 'front-door', sdpOffer: BROWSER_OFFER });
    await bob.next('viewAnswer');
    expect((await bob.next('source'))['message']).toMatch(/^The camera’s stream was lost \(the camera ended its stream\): trying again in 0\.3 s\.$/);
    await until('a fourth player plays', () => invoked(kms, 'play').length === 4);
    expect(ofType(kms, 'PlayerEndpoint')).toHaveLength(1);
    expect(kms.pipelines()).toHaveLength(1);
  });

  it('refuses what it cannot do, and keeps the page', async () => {
    const { server } = await setup();
    const p = await page(server);
    p.ws.send('not json');
    expect((await p.next('error')).message).toBe('the message is not JSON');
    p.send({ id: 'dance' });
    expect((await p.next('error')).message).toBe('unknown message "dance"');
    p.send({ id: 'view', camera: 'garage', sdpOffer: BROWSER_OFFER });
    expect(await p.next('error')).toEqual({ id: 'error', camera: 'garage', message: 'no camera named "garage"' });
    p.send({ id: 'view', camera: 'front-door' });
    expect((await p.next('error')).message).toBe('sdpOffer is missing or longer than 65536 characters');
  });

  it('says when the cluster is lost and refuses views meanwhile; a session lost closes the views, saying so; then live works again', async () => {
    const { kms, server } = await setup('kms');
    const alice = await page(server);
    alice.send({ id: 'view', camera: 'yard_2', sdpOffer: BROWSER_OFFER });
    await alice.next('viewAnswer');
    kms.kill('refuse');
    expect(await alice.next('cluster')).toEqual({ id: 'cluster', state: 'down', message: 'Live view: the media cluster cannot be reached. Recordings keep playing; live view resumes when it is back.' });
    const bob = await page(server);
    expect((await bob.next('cluster')).state).toBe('down');
    bob.send({ id: 'view', camera: 'yard_2', sdpOffer: BROWSER_OFFER });
    expect((await bob.next('error')).message).toMatch(/^Live view: the media cluster cannot be reached/);

    kms.restart();
    expect(await alice.next('viewClosed')).toEqual({ id: 'viewClosed', camera: 'yard_2', message: 'The media cluster lost this live view (it was unreachable too long). Try Live again.' });
    expect((await alice.next('cluster')).state).toBe('up');
    expect(server.live!.feeds.size).toBe(0);
    bob.send({ id: 'view', camera: 'yard_2', sdpOffer: BROWSER_OFFER });
    await bob.next('viewAnswer');
    expect(kms.pipelines()).toHaveLength(1);
  });
});
