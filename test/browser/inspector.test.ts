/**
 * The inspector in a real browser (Debian's Chromium through puppeteer-core) against a local
 * cluster: two fake KMS nodes (one with its agent), a controller, applications on kurento-client.
 * The cluster's clock is injected: the test plays an hour of load first, so the charts and ages
 * are those of a cluster that has run; then it keeps real time. Screenshots of each page go to
 * test-output/browser/inspector/ (docs/images/inspector-*.png are copies of them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/node/agent/agent.js';
import type { AgentCloud } from '../../src/node/agent/cloud.js';
import type { Clock } from '../../src/node/context.js';
import type { NodeAddress } from '../../src/node/controller/cluster.js';
import { runKeeper } from '../../src/node/controller/keeper.js';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { type Browser, type Page, hasChromium, launchBrowser, outputPath } from '../support/browser.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { type KurentoClientInstance, type KurentoObject, SDP_OFFER, connectKurento } from '../support/kurento.js';

const KEY = 'InspectorBrowserKey01';
const USER = 'admin';
const PASSWORD = 'Inspector-Pa55word';
const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};
/** The cluster's time: played forward by the test for the first hour, then real time. */
const clock = { manual: Date.now() - 3_600_000, real: false, now: () => (clock.real ? Date.now() : clock.manual) };
const noCloud: AgentCloud = { putLoad: async () => undefined, heartbeat: async () => undefined, complete: async () => undefined, receive: async () => [], remove: async () => undefined, privateIp: async () => undefined };
const lines: string[] = [];
const AGENT_NODE = 'i-0d1e2f3a4b5c6d7e8';

type Element = KurentoObject & { connect(sink: KurentoObject, mediaType?: string): Promise<void>; setName(name: string): Promise<void> };

let nodes: FakeKms[] = [];
let agent: Agent;
let ctl: Controller;
let client: KurentoClientInstance;
let browser: Browser;
let page: Page;
let base = '';
const keeper = new AbortController();
let kept: Promise<void> | undefined;
let room: KurentoObject;
let roomNode = '';
let alice: Element;
const ids = { bob: '', filter: '', port: '', recorder: '' };

const shot = (name: string) => page.screenshot({ path: outputPath('inspector', `${name}.png`), fullPage: true });
const holder = (id: string) => nodes.find((n) => n.pipelines().includes(id));

/** An hour of a cluster's life, on the injected clock: rooms open, the load crosses the scale-out line, some rooms close. */
async function playAnHour(): Promise<KurentoObject[]> {
  const rooms: KurentoObject[] = [];
  for (let minute = 0; minute < 60; minute++) {
    if (minute % 5 === 2 && minute < 40) {
      const p = await client.create('MediaPipeline');
      for (let i = 0; i < 2; i++) await (await p.create('WebRtcEndpoint')).processOffer(SDP_OFFER);
      rooms.push(p);
    }
    if (minute === 44 || minute === 49 || minute === 53) await rooms.splice(1, 1)[0]?.release();
    for (let i = 0; i < 6; i++) {
      clock.manual += 10_000;
      ctl.cluster.status(AGENT_NODE, { state: 'SERVING' }); // the keeper's poll of the agent, at the played time
      ctl.cluster.sample();
    }
  }
  return rooms;
}

/** A pipeline worth a graph: two WebRTC peers, a pass-through, a recorder and a composite with two ports. */
async function demoRoom(): Promise<void> {
  room = await client.create('MediaPipeline');
  await (room as Element).setName('room-42');
  alice = (await room.create('WebRtcEndpoint')) as Element;
  await alice.setName('alice');
  await alice.processOffer(SDP_OFFER);
  await alice.gatherCandidates();
  const bob = (await room.create('WebRtcEndpoint')) as Element;
  await bob.setName('bob');
  await bob.processOffer(SDP_OFFER);
  const filter = (await room.create('PassThrough')) as Element;
  const recorder = (await room.create('RecorderEndpoint', { uri: 'file:///recordings/room-42.webm' })) as Element;
  const mixer = (await room.create('Composite')) as KurentoObject & { createHubPort(): Promise<Element> };
  const [inA, out] = [await mixer.createHubPort(), await mixer.createHubPort()];
  await alice.connect(filter);
  await filter.connect(bob);
  await bob.connect(alice);
  await alice.connect(inA);
  await out.connect(recorder);
  Object.assign(ids, { bob: bob.id, filter: filter.id, port: out.id, recorder: recorder.id });
  roomNode = ctl.cluster.nodeOf(room.id)?.id ?? '';
}

beforeAll(async () => {
  if (!hasChromium()) throw new Error('Chromium is missing: scripts/test-deps.sh installs Debian\'s chromium');
  nodes = await Promise.all([0, 1].map(() => startFakeKms({ path: KEY, clock: { now: () => clock.now() } })));
  agent = new Agent({ host: '127.0.0.1', port: 0, kmsUrl: nodes[0]!.url, cluster: 'demo', group: 'demo-nodes', hook: 'demo-drain', instanceId: 'i-0d1e2f3a4b5c6d7e8', heartbeatTimeoutS: 600, costMap: { WebRtcEndpoint: 20 }, cloud: noCloud, clock: realClock, drainPollMs: 200 });
  await agent.start();
  ctl = await startController({
    host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 20 }, clusterId: 'demo', now: () => clock.now(), log: (l) => lines.push(l),
    inspector: { user: USER, password: PASSWORD, leakAfterMs: 30 * 60_000 },
  });
  const addresses: NodeAddress[] = [
    { id: 'i-0d1e2f3a4b5c6d7e8', kmsUrl: nodes[0]!.url, statusUrl: `http://127.0.0.1:${agent.port}/status` },
    { id: 'i-0f9e8d7c6b5a49382', kmsUrl: nodes[1]!.url },
  ];
  kept = runKeeper({ controller: ctl, nodes: async () => addresses }, { now: () => clock.now(), sleep: (ms, signal) => realClock.sleep(ms / 20, signal) }, keeper.signal);
  await new Promise((r) => setTimeout(r, 300));
  client = await connectKurento(`ws://127.0.0.1:${ctl.port}/${KEY}`);
  await playAnHour();
  clock.real = true;
  await demoRoom();
  base = `http://127.0.0.1:${ctl.port}`;
  browser = await launchBrowser();
  page = await browser.newPage();
  page.on('pageerror', (e) => console.log('PAGEERROR', e));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  client?.close();
  keeper.abort();
  await kept;
  await ctl?.close();
  await agent?.stop();
  await Promise.all(nodes.map((n) => n.close()));
});

describe('the inspector in Chromium', () => {
  it('serves nothing but the login page without a session', async () => {
    await page.goto(`${base}/inspector/pipelines`);
    expect(new URL(page.url()).pathname).toBe('/inspector/login');
    const statuses = await page.evaluate(async () => Promise.all(['/inspector/api/nodes', '/inspector/api/pipelines', '/inspector/assets/app.js'].map(async (p) => (await fetch(p)).status)));
    expect(statuses).toEqual([401, 401, 401]);
    expect(await page.$('form[action="/inspector/login"] input[name=password][type=password]')).not.toBeNull();
    await shot('login');
  });

  it('refuses a wrong password', async () => {
    await page.type('#user', USER);
    await page.type('#password', 'not-the-password');
    const [res] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(res?.status()).toBe(401);
    expect(new URL(page.url()).pathname).toBe('/inspector/login');
    expect(await page.$eval('.error', (e) => e.textContent)).toBe('Wrong user or password.');
    expect(await page.cookies()).toEqual([]);
    await shot('login-refused');
  });

  it('logs in and shows the nodes: state, load against the thresholds, CPU, memory, pipelines, the last hour', async () => {
    await page.type('#user', USER);
    await page.type('#password', PASSWORD);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/inspector/nodes');
    const [cookie] = await page.cookies();
    expect(cookie).toMatchObject({ name: 'erc_inspector', httpOnly: true, sameSite: 'Strict', path: '/inspector' });
    await page.waitForSelector('section.node .chart polyline');
    const cards = await page.$$eval('section.node', (all) => all.map((c) => ({
      id: c.getAttribute('data-node'),
      state: c.querySelector('.badge')?.textContent,
      load: c.querySelector('.v.load')?.textContent,
      text: c.textContent,
      points: c.querySelector('.chart polyline')?.getAttribute('points')?.split(' ').length ?? 0,
      drain: c.querySelector('button[data-action=drain]') !== null,
    })));
    expect(cards.map((c) => [c.id, c.state, c.drain])).toEqual([['i-0d1e2f3a4b5c6d7e8', 'UP', true], ['i-0f9e8d7c6b5a49382', 'UP', false]]);
    for (const [i, c] of cards.entries()) {
      const n = [...ctl.cluster.nodes.values()][i]!;
      expect(c.load).toBe(`${Math.round(n.load({ WebRtcEndpoint: 20 }) * 10) / 10} %`);
      expect(c.text).toContain(`Pipelines${n.pipelines.size}`);
      expect(c.text).toContain('CPU5 % of 2');
      expect(c.text).toContain('Memory256.0 MiB');
      expect(c.text).toContain('scale-in below 25 % · scale-out at 75 %');
      expect(c.points).toBeGreaterThan(300); // an hour of 10 s samples
    }
    await shot('nodes');
  });

  it('lists the pipelines of the cluster and flags the old idle ones', async () => {
    await page.click('nav a[href="/inspector/pipelines"]');
    await page.waitForSelector('tr[data-pipeline]');
    const rows = await page.$$eval('tr[data-pipeline]', (all) => all.map((r) => ({ id: r.getAttribute('data-pipeline'), cells: [...r.querySelectorAll('td')].map((td) => td.textContent) })));
    const expected = nodes.flatMap((n) => n.pipelines());
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(expected));
    expect(rows.filter((r) => r.cells[4] === 'possibly leaked').length).toBeGreaterThan(0);
    const roomRow = rows.find((r) => r.id === room.id);
    expect(roomRow?.cells.slice(3)).toEqual(['7', 'ok']);
    await shot('pipelines');
  });

  it('shows a pipeline appearing and disappearing live', async () => {
    const p = await client.create('MediaPipeline');
    await p.create('WebRtcEndpoint');
    await page.waitForSelector(`tr[data-pipeline="${p.id}"]`, { timeout: 5_000 });
    expect(await page.$eval(`tr[data-pipeline="${p.id}"] td:nth-child(4)`, (td) => td.textContent)).toBe('1');
    await p.release();
    await page.waitForFunction(`document.querySelector('tr[data-pipeline="${p.id}"]') === null && document.querySelectorAll('tr[data-pipeline]').length > 0`, { timeout: 5_000 });
  });

  it('shows one pipeline: its graph, each element\'s statistics and a live tail of its events', async () => {
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-pipeline="${room.id}"] a`)]);
    await page.waitForSelector('#graph svg g.box');
    const boxes = await page.$$eval('#graph g.box', (all) => all.map((g) => g.getAttribute('data-element')));
    expect(boxes).toHaveLength(7);
    const edges = await page.$$eval('#graph path.edge', (all) => all.map((p) => `${p.getAttribute('data-source')}>${p.getAttribute('data-sink')}`));
    expect(edges).toHaveLength(5); // alice→filter, filter→bob, bob→alice, alice→port, port→recorder (media types merged)
    expect(edges).toEqual(expect.arrayContaining([`${alice.id}>${ids.filter}`, `${ids.filter}>${ids.bob}`, `${ids.bob}>${alice.id}`, `${ids.port}>${ids.recorder}`]));
    const rows = await page.$$eval(`section[data-element-stats="${alice.id}"] tr[data-stream]`, (all) => all.map((r) => r.getAttribute('data-stream')?.split(' ').slice(1).join(' ')));
    expect(rows).toHaveLength(4);
    expect(await page.$eval(`section[data-element-stats="${alice.id}"] .facts`, (e) => e.textContent)).toContain('media DISCONNECTED · connection DISCONNECTED');
    await page.waitForSelector('#events div[data-type="TailStarted"]');
    const node = holder(room.id)!;
    node.emit(alice.id, 'IceComponentStateChanged', { streamId: 1, componentId: 1, state: 'CONNECTED' });
    node.emit(alice.id, 'MediaFlowInStateChanged', { state: 'FLOWING', padName: 'default', mediaType: 'VIDEO' });
    node.emit(alice.id, 'MediaFlowOutStateChanged', { state: 'FLOWING', padName: 'default', mediaType: 'AUDIO' });
    await page.waitForSelector('#events div[data-type="MediaFlowOutStateChanged"]', { timeout: 5_000 });
    expect(await page.$eval('#events div[data-type="IceComponentStateChanged"]', (e) => e.textContent)).toContain('"state":"CONNECTED"');
    await shot('pipeline');
  });

  it('releases a pipeline only after confirmation, and logs who did it', async () => {
    await page.click('button[data-action=release]');
    await page.waitForSelector('dialog#confirm[open]');
    expect(await page.$eval('#confirm-text', (e) => e.textContent)).toContain(room.id);
    await page.click('dialog#confirm button[value=cancel]');
    await new Promise((r) => setTimeout(r, 200));
    expect(holder(room.id)).toBeDefined();
    await page.click('button[data-action=release]');
    await page.waitForSelector('dialog#confirm[open]');
    await page.click('#confirm-ok');
    await page.waitForFunction("document.querySelector('main').textContent.includes('The pipeline was released.')", { timeout: 5_000 });
    expect(holder(room.id)).toBeUndefined();
    expect(lines.filter((l) => l.includes(room.id))).toEqual([`inspector: ${USER}: release pipeline ${room.id}: released on node ${roomNode}`]);
  });

  it('drains a node only after confirmation', async () => {
    await page.goto(`${base}/inspector/nodes`);
    await page.waitForSelector('button[data-action=drain]');
    await page.click('button[data-action=drain]');
    await page.waitForSelector('dialog#confirm[open]');
    await page.click('#confirm-ok');
    await page.waitForSelector('section.node .badge[data-state=DRAINING]', { timeout: 5_000 });
    expect(agent.state).toBe('DRAINING');
    expect(lines).toContain(`inspector: ${USER}: drain node i-0d1e2f3a4b5c6d7e8: draining`);
    expect(await page.$eval('section.node .drain', (e) => e.textContent)).toMatch(/^Draining for \d+ s: \d+ pipeline\(s\) left; the limit is in 9 min/);
  });

  it('logs out', async () => {
    await Promise.all([page.waitForNavigation(), page.click('header form button')]);
    expect(new URL(page.url()).pathname).toBe('/inspector/login');
    await page.goto(`${base}/inspector/nodes`);
    expect(new URL(page.url()).pathname).toBe('/inspector/login');
  });
});
