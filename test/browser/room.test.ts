/**
 * The ROOM demo in a real browser: Debian's Chromium (fake camera and microphone) in two pages,
 * the room server, a controller, and two fake KMS nodes whose WebRtcEndpoints have a real media
 * plane (werift). Two participants join the same room through the controller; each page shows the
 * other's video and receives RTP (inbound-rtp bytesReceived from the page's own getStats). With the
 * controller gone the page says the cluster cannot be reached, and recovers when it is back.
 * Screenshots: test-output/browser/room-*.png; `UPDATE_DOCS_IMAGES=1` also refreshes docs/images/room.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { type RoomServer, startRoomServer } from '../../src/node/room/server.js';
import { type Browser, type Page, hasChromium, launchBrowser } from '../support/browser.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';

const KEY = 'RoomClusterKey0123456789';
const OUT = join(process.cwd(), 'test-output', 'browser');
let nodes: FakeKms[] = [];
let controller: Controller;
let controllerPort = 0;
let room: RoomServer;
let browser: Browser;
const frames: string[] = [];

const startCluster = async (port = 0) => {
  const c = await startController({ host: '127.0.0.1', port, apiKey: KEY, costMap: { WebRtcEndpoint: 1 }, clusterId: 'demo', now: Date.now });
  await c.setNodes(nodes.map((n, i) => ({ id: `node-${i}`, kmsUrl: n.url })));
  return c;
};

beforeAll(async () => {
  nodes = await Promise.all([0, 1].map(() => startFakeKms({ path: KEY, media: 'werift' })));
  controller = await startCluster();
  controllerPort = controller.port;
  room = await startRoomServer({ host: '127.0.0.1', port: 0, kurentoUrl: controller.url, kurento: { pingIntervalMs: 1_000, timeoutMs: 5_000, retryMs: [100, 250, 500] } });
  browser = await launchBrowser({ fakeMedia: true });
  mkdirSync(OUT, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await room?.close();
  await controller?.close();
  await Promise.all(nodes.map((n) => n.close()));
});

/** Polls `check` in the page until it returns true, or fails after `ms` naming `what`. */
const waitInPage = (page: Page, what: string, check: string, ms = 20_000) =>
  page.waitForFunction(check, { timeout: ms, polling: 100 }).catch((e: Error) => {
    throw new Error(`${what}: ${e.message}`);
  });

async function openPage(): Promise<Page> {
  const page = await browser.newPage();
  // Every WebSocket frame the page receives, to prove the api key never reaches it.
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', (e: { response: { payloadData: string } }) => frames.push(e.response.payloadData));
  await page.goto(room.url);
  return page;
}

async function joinRoom(page: Page, name: string, roomName: string): Promise<void> {
  // Chromium gives input to the page in front only.
  await page.bringToFront();
  await waitInPage(page, 'the join button enabled', "!document.getElementById('join-button').disabled");
  await page.$eval('#room-name', (el) => ((el as unknown as { value: string }).value = ''));
  await page.type('#room-name', roomName);
  await page.type('#user-name', name);
  await page.click('#join-button');
}

async function leave(page: Page): Promise<void> {
  await page.bringToFront();
  await page.click('#leave-button');
}

/** Inbound RTP bytes per kind from the page's peer for `name` (RTCPeerConnection.getStats). */
const inboundBytes = (page: Page, name: string) =>
  page.evaluate(async (n) => {
    const peers = (globalThis as unknown as { roomPeers: Record<string, { pc: { getStats(): Promise<Map<string, Record<string, unknown>>> } }> }).roomPeers;
    const out: Record<string, number> = {};
    const peer = peers[n];
    if (!peer) return out;
    (await peer.pc.getStats()).forEach((s) => {
      if (s['type'] === 'inbound-rtp') out[String(s['kind'])] = (out[String(s['kind'])] ?? 0) + Number(s['bytesReceived'] ?? 0);
    });
    return out;
  }, name);

async function mediaFlows(page: Page, from: string): Promise<Record<string, number>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const bytes = await inboundBytes(page, from);
    if ((bytes['video'] ?? 0) > 0 && (bytes['audio'] ?? 0) > 0) return bytes;
    if (Date.now() > deadline) throw new Error(`no inbound RTP from ${from}: ${JSON.stringify(bytes)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const videoShown = (name: string) => `(() => { const v = document.querySelector('figure[data-name="${name}"] video'); return !!v && v.videoWidth > 0 && v.readyState >= 2 && !v.paused; })()`;

const endpoints = () => nodes.flatMap((n) => n.objects()).filter((o) => o.type === 'WebRtcEndpoint');
const pipelines = () => nodes.flatMap((n) => n.pipelines());

describe.skipIf(!hasChromium())('the ROOM demo in Chromium', () => {
  let alice: Page;
  let bob: Page;

  it('two participants in one room see and hear each other: video shown, inbound RTP in both pages', async () => {
    alice = await openPage();
    bob = await openPage();
    await joinRoom(alice, 'alice', 'demo');
    await waitInPage(alice, 'alice sees herself', videoShown('alice'));
    await joinRoom(bob, 'bob', 'demo');
    await waitInPage(alice, 'alice sees bob', videoShown('bob'));
    await waitInPage(bob, 'bob sees alice', videoShown('alice'));
    const atAlice = await mediaFlows(alice, 'bob');
    const atBob = await mediaFlows(bob, 'alice');
    expect(atAlice['video']).toBeGreaterThan(0);
    expect(atBob['video']).toBeGreaterThan(0);
    // one pipeline for the room, placed by the controller on one node; 2 outgoing + 2 incoming endpoints
    expect(pipelines()).toHaveLength(1);
    expect(endpoints()).toHaveLength(4);
    expect(await alice.$eval('#room-title', (el) => el.textContent)).toBe('Room demo');
    await alice.screenshot({ path: join(OUT, 'room-alice.png') });
    await bob.screenshot({ path: join(OUT, 'room-bob.png') });
    // docs/apps.md's picture, refreshed on demand only (a PNG rewritten by every run would be noise in git)
    if (process.env.UPDATE_DOCS_IMAGES === '1') copyFileSync(join(OUT, 'room-alice.png'), join(process.cwd(), 'docs', 'images', 'room.png'));
    // the api key stays on the server: not in the page, its script, nor any frame it received
    for (const text of [await alice.content(), await (await fetch(new URL('room.js', room.url))).text(), ...frames]) expect(text).not.toContain(KEY);
    expect(frames.some((f) => f.includes('"receiveVideoAnswer"'))).toBe(true);
  }, 90_000);

  it('leaving releases the endpoints; the last one out releases the room’s pipeline', async () => {
    await leave(bob);
    await waitInPage(alice, 'bob gone from alice’s page', "!document.querySelector('figure[data-name=\"bob\"]')");
    const deadline = Date.now() + 5_000;
    while (endpoints().length !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(endpoints()).toHaveLength(1);
    await leave(alice);
    while (pipelines().length !== 0 && Date.now() < deadline + 5_000) await new Promise((r) => setTimeout(r, 50));
    expect(pipelines()).toEqual([]);
    expect(room.rooms.rooms.size).toBe(0);
  }, 30_000);

  it('says clearly when the cluster cannot be reached, and recovers when it is back', async () => {
    await controller.close();
    await waitInPage(alice, 'the unreachable-cluster banner', "(() => { const b = document.getElementById('banner'); return !b.hidden && /cannot be reached/.test(b.textContent); })()");
    expect(await alice.$eval('#join-button', (el) => (el as unknown as { disabled: boolean }).disabled)).toBe(true);
    const fresh = await openPage();
    await waitInPage(fresh, 'the banner on a page opened while the cluster is down', "!document.getElementById('banner').hidden");
    expect(await fresh.$eval('#banner', (el) => el.textContent)).toMatch(/media cluster cannot be reached/);
    await fresh.screenshot({ path: join(OUT, 'room-cluster-down.png') });
    const health = (await (await fetch(new URL('healthz', room.url))).json()) as { cluster: string };
    expect(health.cluster).toBe('down');

    controller = await startCluster(controllerPort);
    await waitInPage(fresh, 'the banner gone once the cluster is back', "document.getElementById('banner').hidden", 15_000);
    await joinRoom(fresh, 'carol', 'again');
    await waitInPage(fresh, 'carol sees herself', videoShown('carol'));
    await leave(fresh);
  }, 60_000);
});
