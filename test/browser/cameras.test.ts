/**
 * The cameras app's page in a real browser: two fake RTSP cameras (GStreamer's RTSP server), each
 * recorded by the real ffmpeg with the recorder's own command line (cameraFfmpegArgs) into a temp
 * folder, the cameras server, a controller in front of a fake KMS whose PlayerEndpoint pulls the
 * camera with ffmpeg (VP8 RTP) and whose WebRtcEndpoints are werift peers, and Debian's Chromium.
 * Both tiles play their HLS; "Live (low latency)" on one gets WebRTC video through the cluster
 * (inbound-rtp bytes from the page's own getStats); a second page of the same camera shares its
 * pipeline and player; the last viewer out releases them.
 * Screenshot: test-output/browser/cameras.png; `UPDATE_DOCS_IMAGES=1` also refreshes docs/images/cameras.png.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraFfmpegArgs } from '../../src/node/apps/cameras/ffmpeg.js';
import { LIVE_PLAYLIST, liveDir } from '../../src/node/apps/cameras/layout.js';
import { type CamerasServer, startCamerasServer } from '../../src/node/apps/cameras/web/server.js';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { type Browser, type Page, hasChromium, launchBrowser } from '../support/browser.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { type RtspCamera, startRtspCamera } from '../support/rtsp-camera.js';

const KEY = 'CamerasBrowserKey0123456789';
const PASSWORD = 'Cam3ra-Pa55';
const NAMES = ['front-door', 'parking'];
const OUT = join(process.cwd(), 'test-output', 'browser');

let dir = '';
let cameras: RtspCamera[] = [];
const recorders: ChildProcess[] = [];
let kms: FakeKms;
let controller: Controller;
let server: CamerasServer;
let browser: Browser;
const frames: string[] = [];

/** Polls `check` until it holds, or fails after `ms` naming `what`. */
async function until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One camera's recorder as the app runs it: ffmpeg with cameraFfmpegArgs, TZ=UTC. */
function record(name: string, url: string): void {
  const live = liveDir(dir, name);
  const runDir = join(dir, 'archive', name, 'run-1');
  mkdirSync(live, { recursive: true });
  mkdirSync(runDir, { recursive: true });
  const proc = spawn('ffmpeg', cameraFfmpegArgs({ url, liveDir: live, runDir, segmentSeconds: 60 }), { stdio: 'ignore', env: { ...process.env, TZ: 'UTC' } });
  recorders.push(proc);
}

beforeAll(async () => {
  if (!hasChromium()) return;
  dir = mkdtempSync(join(tmpdir(), 'erc-cameras-'));
  cameras = await Promise.all(NAMES.map(() => startRtspCamera('viewer', PASSWORD)));
  NAMES.forEach((name, i) => record(name, cameras[i]!.url));
  kms = await startFakeKms({ path: KEY, media: 'werift' });
  controller = await startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1, PlayerEndpoint: 1 }, clusterId: 'cameras', now: Date.now });
  await controller.setNodes([{ id: 'node-0', kmsUrl: kms.url }]);
  server = await startCamerasServer({
    host: '127.0.0.1',
    port: 0,
    cameras: NAMES.map((name, i) => ({ name, url: cameras[i]!.url })),
    hlsDir: dir,
    kurentoUrl: controller.url,
    log: () => undefined,
    kurento: { pingIntervalMs: 1_000, timeoutMs: 5_000, retryMs: [100, 250, 500] },
    live: { retryMs: [300, 600] },
  });
  browser = await launchBrowser();
  mkdirSync(OUT, { recursive: true });
  await until('both recorders’ playlists', () => NAMES.every((n) => existsSync(join(liveDir(dir, n), LIVE_PLAYLIST))), 20_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await controller?.close();
  await kms?.close();
  for (const r of recorders) r.kill('SIGKILL');
  for (const c of cameras) c.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const waitInPage = (page: Page, what: string, check: string, ms = 20_000) =>
  page.waitForFunction(check, { timeout: ms, polling: 100 }).catch((e: Error) => {
    throw new Error(`${what}: ${e.message}`);
  });

/** What the pages' consoles said about the Content-Security-Policy (nothing, if the page keeps to it). */
const violations: string[] = [];

/** A page of the cameras; `nativeHls: false` plays a browser without native HLS (hls.js then plays). */
async function openPage(nativeHls = true): Promise<Page> {
  const page = await browser.newPage();
  if (!nativeHls) {
    await page.evaluateOnNewDocument(() => {
      const media = (globalThis as unknown as { HTMLMediaElement: { prototype: { canPlayType(type: string): string } } }).HTMLMediaElement.prototype;
      const own = media.canPlayType;
      media.canPlayType = function (this: unknown, type: string) {
        return /mpegurl/i.test(type) ? '' : own.call(this, type);
      };
    });
  }
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });
  // Every WebSocket frame the page receives, to prove no camera URL or password reaches it.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string } }) => frames.push(e.response.payloadData));
  await page.goto(server.url);
  return page;
}

const tile = (name: string) => `document.querySelector('figure[data-camera="${name}"]')`;
/** The tile's video has decoded frames and its time moves on. */
const playing = (name: string) =>
  `(() => { const v = ${tile(name)}.querySelector('video'); const q = v.getVideoPlaybackQuality(); window.__t = window.__t || {}; const was = window.__t['${name}']; window.__t['${name}'] = v.currentTime; return v.readyState >= 2 && !v.paused && q.totalVideoFrames > 10 && was !== undefined && v.currentTime > was; })()`;

/** Inbound RTP video bytes of the page's live peer for `name` (RTCPeerConnection.getStats). */
const inboundVideoBytes = (page: Page, name: string) =>
  page.evaluate(async (n) => {
    const peers = (globalThis as unknown as { cameraPeers: Record<string, { pc: { getStats(): Promise<Map<string, Record<string, unknown>>> } }> }).cameraPeers;
    let bytes = 0;
    (await peers[n]?.pc.getStats())?.forEach((s) => {
      if (s['type'] === 'inbound-rtp' && s['kind'] === 'video') bytes += Number(s['bytesReceived'] ?? 0);
    });
    return bytes;
  }, name);

async function videoArrives(page: Page, name: string): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const bytes = await inboundVideoBytes(page, name);
    if (bytes > 0) return bytes;
    if (Date.now() > deadline) throw new Error(`no inbound RTP video for ${name}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function clickLive(page: Page, name: string): Promise<void> {
  await page.bringToFront();
  await waitInPage(page, `the live button of ${name} enabled`, `!${tile(name)}.querySelector('button.live').disabled`);
  await page.click(`figure[data-camera="${name}"] button.live`);
}

const ofType = (type: string) => kms.objects().filter((o) => o.type === type);

describe.skipIf(!hasChromium())('the cameras page in Chromium', () => {
  let first: Page;
  let second: Page;

  const players = (page: Page) => page.$$eval('figure.tile', (els) => els.map((e) => (e as unknown as { dataset: { player: string } }).dataset.player));

  it('shows one tile per camera, each playing its live HLS: natively where the browser can, else with hls.js', async () => {
    first = await openPage();
    expect(await first.$$eval('figure.tile', (els) => els.map((e) => (e as unknown as { dataset: { camera: string } }).dataset.camera))).toEqual(NAMES);
    for (const name of NAMES) await waitInPage(first, `${name} plays its HLS`, playing(name), 30_000);
    // a recent Chromium plays HLS itself (Debian's 156 does); another browser gets hls.js, served by the cameras server
    const native = await first.evaluate("document.createElement('video').canPlayType('application/vnd.apple.mpegurl') !== ''");
    expect(await players(first)).toEqual(NAMES.map(() => (native ? 'native' : 'hls.js')));
    second = await openPage(false);
    for (const name of NAMES) await waitInPage(second, `${name} plays its HLS with hls.js`, playing(name), 30_000);
    expect(await players(second)).toEqual(NAMES.map(() => 'hls.js'));
    expect(violations).toEqual([]);
  }, 60_000);

  it('"Live (low latency)" switches a tile to WebRTC through the cluster: one pipeline, one player, video received', async () => {
    await clickLive(first, 'front-door');
    await waitInPage(first, 'the live video shown', `(() => { const v = ${tile('front-door')}.querySelector('video'); return !!v.srcObject && v.videoWidth > 0 && v.readyState >= 2; })()`);
    expect(await videoArrives(first, 'front-door')).toBeGreaterThan(0);
    expect(await first.$eval('figure[data-camera="front-door"]', (e) => (e as unknown as { dataset: { mode: string } }).dataset.mode)).toBe('live');
    expect(kms.pipelines()).toHaveLength(1);
    expect(ofType('PlayerEndpoint')).toHaveLength(1);
    expect(ofType('WebRtcEndpoint')).toHaveLength(1);
    // the other tile still plays its HLS
    await waitInPage(first, 'parking still plays its HLS', playing('parking'));
    // the two tiles, without the empty page below them
    await first.setViewport({ width: 880, height: 470 });
    await first.screenshot({ path: join(OUT, 'cameras.png') });
    // docs/apps.md's picture, refreshed on demand only (a PNG rewritten by every run would be noise in git)
    if (process.env.UPDATE_DOCS_IMAGES === '1') copyFileSync(join(OUT, 'cameras.png'), join(process.cwd(), 'docs', 'images', 'cameras.png'));
  }, 60_000);

  it('a second page watching the same camera live shares its pipeline and player', async () => {
    await clickLive(second, 'front-door');
    expect(await videoArrives(second, 'front-door')).toBeGreaterThan(0);
    expect(kms.pipelines()).toHaveLength(1);
    expect(ofType('PlayerEndpoint')).toHaveLength(1);
    expect(ofType('WebRtcEndpoint')).toHaveLength(2);
    const html = [await first.content(), await second.content()];
    for (const text of [...html, ...frames]) for (const secret of [PASSWORD, 'rtsp:', KEY]) expect(text).not.toContain(secret);
    expect(frames.some((f) => f.includes('"viewAnswer"'))).toBe(true);
    expect(violations).toEqual([]);
  }, 60_000);

  it('the last viewer out releases the pipeline and its player; the tile plays HLS again', async () => {
    await second.close();
    await until('the second viewer’s endpoint released', () => ofType('WebRtcEndpoint').length === 1);
    expect(kms.pipelines()).toHaveLength(1);
    await first.bringToFront();
    await first.click('figure[data-camera="front-door"] button.live');
    await until('the pipeline released', () => kms.pipelines().length === 0);
    expect(ofType('PlayerEndpoint')).toEqual([]);
    await waitInPage(first, 'front-door plays its HLS again', playing('front-door'), 30_000);
  }, 60_000);

  it('a camera that goes away: the fake’s player ends (EndOfStream), the live tile says so, the server tries again with new players, and the tile is live again once the camera is back', async () => {
    await clickLive(first, 'parking');
    expect(await videoArrives(first, 'parking')).toBeGreaterThan(0);
    const before = ofType('PlayerEndpoint').map((p) => p.id);
    cameras[1]!.stop();
    await waitInPage(first, 'the tile says the stream was lost', `/stream was lost/.test(${tile('parking')}.querySelector('.state').textContent)`);
    expect(await first.$eval('figure[data-camera="parking"]', (e) => [e.getAttribute('data-mode'), e.getAttribute('data-trouble')])).toEqual(['live', '1']);
    await until('a new player', () => ofType('PlayerEndpoint').some((p) => !before.includes(p.id)));
    expect(kms.pipelines()).toHaveLength(1);
    const text = await first.content();
    for (const secret of [PASSWORD, 'rtsp:']) expect(text).not.toContain(secret);

    cameras[1] = await startRtspCamera('viewer', PASSWORD, cameras[1]!.port);
    await waitInPage(first, 'the tile live again', `(() => { const t = ${tile('parking')}; return !t.dataset.trouble && t.querySelector('.state').textContent === 'live · WebRTC'; })()`);
    const bytes = await inboundVideoBytes(first, 'parking');
    const deadline = Date.now() + 10_000;
    while ((await inboundVideoBytes(first, 'parking')) <= bytes) {
      if (Date.now() > deadline) throw new Error('no new video after the camera came back');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);
});
