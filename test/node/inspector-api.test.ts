/**
 * The inspector's JSON API against a local cluster: three fake KMS nodes (one with a real agent),
 * a controller, and applications driving it with the official kurento-client 7.3.0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/node/agent/agent.js';
import type { AgentCloud } from '../../src/node/agent/cloud.js';
import type { Clock } from '../../src/node/context.js';
import { keepController } from '../../src/node/controller/keeper.js';
import type { NodeAddress } from '../../src/node/controller/cluster.js';
import { type Controller, startController } from '../../src/node/controller/server.js';
import type { NodeView, PipelineRow } from '../../src/node/controller/inspector/views.js';
import type { PipelineView } from '../../src/node/controller/inspector/pipeline.js';
import type { TailLine } from '../../src/node/controller/inspector/tail.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { EventReader, type InspectorLogin, login } from '../support/inspector-http.js';
import { type KurentoClientInstance, type KurentoObject, SDP_OFFER, connectKurento } from '../support/kurento.js';

const KEY = 'InspectorApiKey0123';
const USER = 'ops';
const PASSWORD = 'inspector-password';
const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
/** The cluster's time: the fake nodes' and the controller's (agents keep real time). */
const clock = { t: Date.now() };
const lines: string[] = [];
const noCloud: AgentCloud = { putLoad: async () => undefined, heartbeat: async () => undefined, complete: async () => undefined, receive: async () => [], remove: async () => undefined, privateIp: async () => undefined };

let nodes: FakeKms[] = [];
let agent: Agent;
let ctl: Controller;
let addresses: NodeAddress[] = [];
let client: KurentoClientInstance;
let s: InspectorLogin;
let base = '';

type Connectable = KurentoObject & { connect(sink: KurentoObject, mediaType?: string): Promise<void> };

beforeAll(async () => {
  nodes = await Promise.all([0, 1, 2].map(() => startFakeKms({ path: KEY, clock: { now: () => clock.t } })));
  agent = new Agent({ host: '127.0.0.1', port: 0, kmsUrl: nodes[0]!.url, cluster: 'demo', group: 'demo-nodes', hook: 'demo-drain', instanceId: 'i-0aaa', heartbeatTimeoutS: 600, costMap: { WebRtcEndpoint: 10 }, cloud: noCloud, clock: realClock, drainPollMs: 50 });
  await agent.start();
  ctl = await startController({
    host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 10 }, clusterId: 'demo', now: () => clock.t, log: (l) => lines.push(l),
    inspector: { user: USER, password: PASSWORD, thresholds: { scaleOut: 70, scaleIn: 20 }, limits: { idleMs: 1e12, maxMs: 1e12 } },
  });
  addresses = nodes.map((n, i) => ({ id: `node-${i}`, kmsUrl: n.url, ...(i === 0 ? { statusUrl: `http://127.0.0.1:${agent.port}/status` } : {}) }));
  await keepController({ controller: ctl, nodes: async () => addresses });
  base = `http://127.0.0.1:${ctl.port}`;
  s = await login(base, USER, PASSWORD);
  client = await connectKurento(`ws://127.0.0.1:${ctl.port}/${KEY}`);
});

afterAll(async () => {
  client.close();
  await ctl.close();
  await agent.stop();
  await Promise.all(nodes.map((n) => n.close()));
});

const getJson = async <T>(path: string): Promise<T> => {
  const res = await s.get(`/inspector/api${path}`);
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
};
const nodeViews = async () => (await getJson<{ now: number; thresholds: unknown; nodes: NodeView[] }>('/nodes')).nodes;
const pipelineRows = async () => (await getJson<{ leakAfterMs: number; pipelines: PipelineRow[] }>('/pipelines')).pipelines;
const holder = (pipelineId: string) => nodes.findIndex((n) => n.pipelines().includes(pipelineId));
const waitFor = async (check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};
/** Nothing the inspector did is still referenced on any node. */
const inspectorHoldsNothing = () => nodes.every((n) => n.objects().every((o) => !o.sessions.some((x) => x.startsWith('erc-inspector-'))) && n.sessions().every((x) => !x.id.startsWith('erc-inspector-') || x.objects.length === 0));

describe('nodes', () => {
  it('lists every node: state, load (cost model) against the thresholds, CPU, memory, pipelines, never the api key', async () => {
    const pipeline = await client.create('MediaPipeline');
    await pipeline.create('WebRtcEndpoint');
    await pipeline.create('WebRtcEndpoint');
    const at = holder(pipeline.id);
    await waitFor(async () => (await nodeViews())[at]?.elements === 2);
    const body = await getJson<{ thresholds: unknown; nodes: NodeView[] }>('/nodes');
    expect(body.thresholds).toEqual({ scaleOut: 70, scaleIn: 20 });
    expect(body.nodes.map((n) => [n.id, n.state, n.hasAgent])).toEqual([['node-0', 'UP', true], ['node-1', 'UP', false], ['node-2', 'UP', false]]);
    const n = body.nodes[at] as NodeView;
    expect(n).toMatchObject({ host: `127.0.0.1:${nodes[at]!.port}`, cpus: 2, cpuPercent: 5, memoryKiB: 262_144, pipelines: 1, elements: 2, load: 10 });
    expect(JSON.stringify(body)).not.toContain(KEY);
    expect(body.nodes[0]).toMatchObject({ agentReachable: true });
    await pipeline.release();
    expect(inspectorHoldsNothing()).toBe(true);
  });

  it('keeps a load history: one sample per 10 s, an hour long', async () => {
    const pipeline = await client.create('MediaPipeline');
    const at = holder(pipeline.id);
    await pipeline.create('WebRtcEndpoint');
    for (let i = 0; i < 30; i++) {
      clock.t += 10_000;
      ctl.cluster.sample();
    }
    const n = (await nodeViews())[at] as NodeView;
    expect(n.history.length).toBeGreaterThanOrEqual(30);
    expect(n.history.at(-1)).toEqual({ t: Math.floor(clock.t / 10_000) * 10_000, load: 5 });
    const steps = n.history.slice(-30).map((h, i, a) => (i === 0 ? 10_000 : h.t - (a[i - 1] as { t: number }).t));
    expect(new Set(steps)).toEqual(new Set([10_000]));
    await pipeline.release();
  });

  it('shows a node whose media server is gone as LOST', async () => {
    const spare = await startFakeKms({ path: KEY, clock: { now: () => clock.t } });
    await ctl.setNodes([...addresses, { id: 'node-spare', kmsUrl: spare.url }]);
    expect((await nodeViews()).find((n) => n.id === 'node-spare')?.state).toBe('UP');
    spare.kill();
    await waitFor(async () => (await nodeViews()).find((n) => n.id === 'node-spare')?.state === 'LOST', 6_000);
    await ctl.setNodes(addresses);
    await spare.close();
  });
});

describe('pipelines', () => {
  it('lists the pipelines of every node with node, age and element count; flags old ones where no media flows', async () => {
    const made: KurentoObject[] = [];
    for (let i = 0; i < 4; i++) {
      const p = await client.create('MediaPipeline');
      for (let j = 0; j < i; j++) await p.create('PassThrough');
      made.push(p);
    }
    clock.t += 90_000;
    const rows = await pipelineRows();
    for (const [i, p] of made.entries()) {
      const row = rows.find((r) => r.id === p.id);
      expect(row, p.id).toMatchObject({ node: `node-${holder(p.id)}`, elements: i, possiblyLeaked: false, leakReason: 'younger than the leak age' });
      expect(row?.ageMs).toBeGreaterThanOrEqual(90_000);
      expect(row?.ageMs).toBeLessThan(100_000);
    }
    expect(new Set(rows.map((r) => r.node)).size).toBeGreaterThan(1);
    clock.t += 4 * 3_600_000;
    const later = await pipelineRows();
    for (const p of made) expect(later.find((r) => r.id === p.id)).toMatchObject({ possiblyLeaked: true, leakReason: 'old, and no media flows into any element' });
    for (const p of made) await p.release();
    await waitFor(async () => (await pipelineRows()).every((r) => !made.some((p) => p.id === r.id)));
    expect(inspectorHoldsNothing()).toBe(true);
  });
});

describe('one pipeline', () => {
  let pipeline: KurentoObject;
  let wa: Connectable, pt: Connectable, wb: Connectable, composite: KurentoObject & { createHubPort(): Promise<Connectable> }, recorder: KurentoObject;
  let port1: Connectable, port2: Connectable;

  beforeAll(async () => {
    pipeline = await client.create('MediaPipeline');
    wa = (await pipeline.create('WebRtcEndpoint')) as Connectable;
    await wa.processOffer(SDP_OFFER);
    pt = (await pipeline.create('PassThrough')) as Connectable;
    wb = (await pipeline.create('WebRtcEndpoint')) as Connectable;
    composite = (await pipeline.create('Composite')) as typeof composite;
    port1 = (await composite.createHubPort()) as Connectable;
    port2 = (await composite.createHubPort()) as Connectable;
    recorder = await pipeline.create('RecorderEndpoint', { uri: 'file:///tmp/x.webm' });
    await wa.connect(pt);
    await pt.connect(wb);
    await wb.connect(wa, 'VIDEO');
    await wa.connect(port1);
    await port2.connect(recorder);
  });

  it('gives the graph: every element (hub ports under their hub) and every connection with its media type', async () => {
    const p = await getJson<PipelineView & { ageMs: number }>(`/pipelines/${encodeURIComponent(pipeline.id)}`);
    expect(p.node).toBe(`node-${holder(pipeline.id)}`);
    const byId = new Map(p.elements.map((e) => [e.id, e]));
    expect(new Set(byId.keys())).toEqual(new Set([wa.id, pt.id, wb.id, composite.id, port1.id, port2.id, recorder.id]));
    expect(byId.get(port1.id)).toMatchObject({ type: 'HubPort', parent: composite.id });
    expect(byId.get(wa.id)).toMatchObject({ type: 'WebRtcEndpoint', parent: pipeline.id });
    expect(byId.get(wa.id)?.classes).toEqual(['WebRtcEndpoint', 'BaseRtpEndpoint', 'SdpEndpoint', 'SessionEndpoint', 'Endpoint', 'MediaElement', 'MediaObject']);
    expect(byId.get(composite.id)?.classes).toContain('Hub');
    const edges = p.connections.map((c) => `${c.source === wa.id ? 'wa' : c.source === pt.id ? 'pt' : c.source === wb.id ? 'wb' : c.source === port2.id ? 'port2' : c.source}>${c.sink === wa.id ? 'wa' : c.sink === pt.id ? 'pt' : c.sink === wb.id ? 'wb' : c.sink === port1.id ? 'port1' : c.sink === recorder.id ? 'rec' : c.sink}:${c.type}`);
    expect(edges.sort()).toEqual(['pt>wb:AUDIO', 'pt>wb:DATA', 'pt>wb:VIDEO', 'port2>rec:AUDIO', 'port2>rec:DATA', 'port2>rec:VIDEO', 'wa>port1:AUDIO', 'wa>port1:DATA', 'wa>port1:VIDEO', 'wa>pt:AUDIO', 'wa>pt:DATA', 'wa>pt:VIDEO', 'wb>wa:VIDEO'].sort());
    expect(inspectorHoldsNothing()).toBe(true);
  });

  it('gives each element\'s statistics from getStats and its WebRTC state', async () => {
    const p = await getJson<PipelineView>(`/pipelines/${encodeURIComponent(pipeline.id)}`);
    const a = p.elements.find((e) => e.id === wa.id);
    // The fake KMS negotiates the offer's audio and video: one inbound and one outbound RTP stream each.
    expect(a?.stats?.streams.map((x) => `${x.mediaType} ${x.direction}`)).toEqual(['AUDIO inbound', 'AUDIO outbound', 'VIDEO inbound', 'VIDEO outbound']);
    for (const x of a?.stats?.streams ?? []) {
      expect(x).toMatchObject({ packets: 0, bytes: 0, packetsLost: 0, fractionLost: 0 });
      expect(x.ssrc).toMatch(/^\d+$/);
      if (x.direction === 'inbound') expect(x.jitterMs).toBe(0);
      else expect(x).toMatchObject({ roundTripTimeMs: 0, bitrate: 0 });
    }
    expect(a?.stats).toMatchObject({ mediaState: 'DISCONNECTED', connectionState: 'DISCONNECTED', ice: [], dtls: [], candidatePairs: [] });
    expect(p.elements.find((e) => e.id === wb.id)?.stats?.streams).toEqual([]); // no SDP yet
    expect(p.elements.find((e) => e.id === pt.id)?.stats).toEqual({ streams: [], latencies: [] });
    expect(p.elements.find((e) => e.id === composite.id)?.stats).toBeUndefined(); // a hub is no MediaElement
    // all read in the inspector's own short session, which then unreferenced what it touched
    const mine = nodes[holder(pipeline.id)]!.requests.filter((r) => r.sessionId?.startsWith('erc-inspector-') && (r.params as { object?: string }).object === wa.id);
    const operations = new Set(mine.map((r) => (r.params as { operation?: string }).operation ?? r.method));
    for (const o of ['describe', 'getStats', 'getMediaState', 'getConnectionState', 'getIceConnectionState', 'getDtlsConnectionState', 'getICECandidatePairs', 'getSinkConnections', 'unref']) expect(operations, o).toContain(o);
    expect(inspectorHoldsNothing()).toBe(true);
  });

  it('answers 404 for a pipeline no node holds', async () => {
    expect((await s.get('/inspector/api/pipelines/00000000-0000-0000-0000-000000000000_kurento.MediaPipeline')).status).toBe(404);
    expect((await s.get('/inspector/api/pipelines/00000000-0000-0000-0000-000000000000_kurento.MediaPipeline/events')).status).toBe(404);
  });

  it('tails its events live: the elements\' events, elements made later, and the release that ends the tail', async () => {
    const at = holder(pipeline.id);
    const res = await s.get(`/inspector/api/pipelines/${encodeURIComponent(pipeline.id)}/events`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const tail = new EventReader<TailLine>(res);
    await tail.until((l) => l.type === 'TailStarted');
    nodes[at]!.emit(wa.id, 'MediaFlowInStateChanged', { state: 'FLOWING', padName: 'default', mediaType: 'VIDEO' });
    const flowing = await tail.until((l) => l.type === 'MediaFlowInStateChanged');
    expect(flowing.at(-1)).toMatchObject({ kind: 'event', object: wa.id, data: { state: 'FLOWING', padName: 'default', mediaType: 'VIDEO' } });
    const later = (await pipeline.create('WebRtcEndpoint')) as Connectable;
    await tail.until((l) => l.kind === 'created' && l.object === later.id);
    await waitFor(() => nodes[at]!.requests.some((r) => r.method === 'subscribe' && (r.params as { object?: string }).object === later.id && r.sessionId?.startsWith('erc-inspector-') === true));
    await later.processOffer(SDP_OFFER);
    const started = await tail.until((l) => l.type === 'MediaSessionStarted');
    expect(started.at(-1)?.object).toBe(later.id);
    await pipeline.release();
    const end = await tail.until((l) => l.kind === 'end');
    expect(end.some((l) => l.kind === 'destroyed' && l.object === pipeline.id)).toBe(true);
    expect(end.at(-1)).toEqual({ kind: 'end', reason: 'the pipeline was released' });
    await waitFor(inspectorHoldsNothing);
  });
});

describe('a tail is bounded', () => {
  it('ends after its limit, and its session then holds nothing', async () => {
    const short = await startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: {}, clusterId: 'demo', now: () => clock.t, inspector: { user: USER, password: PASSWORD, tailMaxMs: 300 } });
    try {
      await short.setNodes(addresses);
      const pipeline = await client.create('MediaPipeline');
      await waitFor(() => short.cluster.nodeOf(pipeline.id) !== undefined);
      const other = await login(`http://127.0.0.1:${short.port}`, USER, PASSWORD);
      const res = await other.get(`/inspector/api/pipelines/${encodeURIComponent(pipeline.id)}/events`);
      const all = await new EventReader<TailLine>(res).until((l) => l.kind === 'end');
      expect(all.at(-1)).toEqual({ kind: 'end', reason: 'the tail reached its limit of 0.3 s (resume it to go on)' });
      await waitFor(inspectorHoldsNothing);
      await pipeline.release();
    } finally {
      await short.close();
    }
  });
});

describe('admin actions', () => {
  it('release a pipeline: it is gone from its node, and the action is logged with user, action and target', async () => {
    const pipeline = await client.create('MediaPipeline');
    await pipeline.create('WebRtcEndpoint');
    const at = holder(pipeline.id);
    const res = await s.post(`/inspector/api/pipelines/${encodeURIComponent(pipeline.id)}/release`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: `released on node node-${at}` });
    expect(nodes[at]!.pipelines()).not.toContain(pipeline.id);
    expect(lines).toContain(`inspector: ${USER}: release pipeline ${pipeline.id}: released on node node-${at}`);
    await waitFor(async () => !(await pipelineRows()).some((r) => r.id === pipeline.id));
  });

  it('drain a node through its agent: it turns DRAINING, shows its drain, and takes no new pipeline', async () => {
    const res = await s.post('/inspector/api/nodes/node-0/drain');
    expect(res.status).toBe(200);
    expect(agent.state).toBe('DRAINING');
    expect(lines).toContain(`inspector: ${USER}: drain node node-0: draining`);
    const n = (await nodeViews())[0] as NodeView;
    expect(n.state).toBe('DRAINING');
    expect(n.drain?.limitAt).toBe((n.drain?.startedAt ?? 0) + 600_000);
    const made = await Promise.all([0, 1, 2, 3, 4, 5].map(() => client.create('MediaPipeline')));
    expect(made.map((p) => holder(p.id))).not.toContain(0);
    for (const p of made) await p.release();
    // a node without an agent cannot be drained from here
    expect((await s.post('/inspector/api/nodes/node-1/drain')).status).toBe(409);
    expect((await s.post('/inspector/api/nodes/nope/drain')).status).toBe(404);
  });
});
