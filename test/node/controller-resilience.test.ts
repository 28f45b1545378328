/**
 * What a cluster of controllers must survive, judged by kurento-client 7.3.0: objects reached through
 * another controller, a session resumed on another controller, a lost node, a draining node, a node
 * out of resources, and the cluster-wide ServerManager.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { type FakeAlb, startFakeAlb } from '../support/fake-alb.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { type KurentoClientInstance, type KurentoObject, connectKurento, SDP_OFFER } from '../support/kurento.js';

const KEY = 'ClusterApiKey0123456789';
let nodes: FakeKms[] = [];
let controllers: Controller[] = [];
let alb: FakeAlb;
const clients: KurentoClientInstance[] = [];

async function cluster(options: { maxPipelines?: (number | undefined)[] } = {}) {
  nodes = await Promise.all([0, 1, 2].map((i) => startFakeKms({ path: KEY, ...(options.maxPipelines?.[i] !== undefined ? { maxPipelines: options.maxPipelines[i] } : {}) })));
  controllers = await Promise.all([0, 1].map((i) => startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1 }, clusterId: 'demo', now: Date.now, ...(process.env.DEBUG_CONTROLLER ? { log: (l: string) => console.log(`c${i}: ${l}`) } : {}) })));
  for (const c of controllers) await c.setNodes(nodes.map((n, i) => ({ id: `node-${i}`, kmsUrl: n.url })));
  alb = await startFakeAlb(controllers.map((c) => c.port));
}

async function client(url: string): Promise<KurentoClientInstance> {
  const c = await connectKurento(url);
  clients.push(c);
  return c;
}

const direct = (c: Controller) => `ws://127.0.0.1:${c.port}/${KEY}`;
const nodeHolding = (pipelineId: string) => nodes.findIndex((n) => n.pipelines().includes(pipelineId));

beforeEach(async () => {
  await cluster();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await alb.close();
  await Promise.all(controllers.map((c) => c.close()));
  await Promise.all(nodes.map((n) => n.close()));
});

describe('a cluster of controllers', () => {
  it('reaches an object made through one controller from another (getMediaobjectById)', async () => {
    const a = await client(direct(controllers[0] as Controller));
    const pipeline = await a.create('MediaPipeline');
    const endpoint = await pipeline.create('WebRtcEndpoint');
    const b = await client(direct(controllers[1] as Controller));
    const same = await b.getMediaobjectById(endpoint.id);
    expect(same.id).toBe(endpoint.id);
    expect(await same.processOffer(SDP_OFFER)).toMatch(/^v=0/);
  });

  it('resumes a dropped session on the other controller with its objects and events', async () => {
    const c = await client(alb.url(`/${KEY}`));
    const pipeline = await c.create('MediaPipeline');
    const endpoint = await pipeline.create('WebRtcEndpoint');
    const events: string[] = [];
    endpoint.on('IceCandidateFound', () => events.push('candidate'));
    await expect.poll(() => nodes.some((n) => n.requests.some((r) => r.method === 'subscribe' && (r.params as { type?: string }).type === 'IceCandidateFound'))).toBe(true);
    const first = alb.backends[0] as number;
    const reconnected = new Promise<boolean>((resolve) => c.on('reconnected', (same) => resolve(same as boolean)));
    alb.deregister(first);
    alb.drop(first);
    expect(await reconnected).toBe(true);
    expect(controllers[1]?.sessions.size).toBe(1);
    await endpoint.processOffer(SDP_OFFER);
    await endpoint.gatherCandidates();
    await expect.poll(() => events.length).toBeGreaterThan(0);
    const children = await pipeline.getChildren();
    expect(children.map((x) => x.id)).toEqual([endpoint.id]);
  });

  it('answers "not found" for the objects of a lost node within a second, and places elsewhere', async () => {
    const c = await client(direct(controllers[0] as Controller));
    const pipelines: KurentoObject[] = [];
    for (let i = 0; i < 6; i++) pipelines.push(await c.create('MediaPipeline'));
    const victim = pipelines.find((p) => nodeHolding(p.id) === 0) ?? pipelines[0];
    if (!victim) throw new Error('no pipeline');
    const lost = nodeHolding(victim.id);
    const started = Date.now();
    nodes[lost]?.kill();
    await expect.poll(() => controllers.every((ctl) => ctl.cluster.nodes.get(`node-${lost}`)?.up === false), { interval: 5 }).toBe(true);
    const other = await client(direct(controllers[1] as Controller));
    await expect(other.getMediaobjectById(victim.id)).rejects.toThrow(/not found/i);
    expect(Date.now() - started).toBeLessThan(1_000);
    for (let i = 0; i < 6; i++) expect(nodeHolding((await c.create('MediaPipeline')).id)).not.toBe(lost);
  });

  it('places nothing on a draining node', async () => {
    for (const ctl of controllers) ctl.cluster.status('node-1', { state: 'DRAINING' });
    const c = await client(alb.url(`/${KEY}`));
    for (let i = 0; i < 12; i++) expect(nodeHolding((await c.create('MediaPipeline')).id)).not.toBe(1);
  });

  it('shows one ServerManager for the cluster: every node\'s pipelines, and ObjectCreated from every node', async () => {
    const c = await client(alb.url(`/${KEY}`));
    const manager = await c.getServerManager();
    const created: string[] = [];
    manager.on('ObjectCreated', (e) => created.push(String((e.object as { id?: string })?.id ?? e.object)));
    await expect.poll(() => controllers.some((ctl) => [...ctl.sessions].some((s) => s.subscriptions.size > 0))).toBe(true);
    const made: string[] = [];
    for (let i = 0; i < 9; i++) made.push((await c.create('MediaPipeline')).id);
    expect(new Set(made.map(nodeHolding)).size).toBe(3);
    const listed = (await manager.getPipelines()).map((p) => p.id);
    expect([...listed].sort()).toEqual([...made].sort());
    await expect.poll(() => created.filter((id) => made.includes(id)).length).toBe(9);
  });
});

describe('a node that joins later', () => {
  it('gets the clients\' ServerManager subscriptions: its events reach them', async () => {
    const c = await client(alb.url(`/${KEY}`));
    const manager = await c.getServerManager();
    const created: string[] = [];
    manager.on('ObjectCreated', (e) => created.push(String((e.object as { id?: string })?.id ?? e.object)));
    await expect.poll(() => controllers.some((ctl) => [...ctl.sessions].some((s) => s.subscriptions.size > 0))).toBe(true);
    const late = await startFakeKms({ path: KEY });
    nodes.push(late);
    for (const ctl of controllers) await ctl.setNodes(nodes.map((n, i) => ({ id: `node-${i}`, kmsUrl: n.url })));
    // Each controller's own connection subscribes, and so does the client's session.
    await expect.poll(() => late.requests.filter((r) => r.method === 'subscribe' && (r.params as { type?: string }).type === 'ObjectCreated').length).toBe(3);
    const other = await client(`ws://127.0.0.1:${late.port}/${KEY}`);
    const pipeline = await other.create('MediaPipeline');
    await expect.poll(() => created).toContain(pipeline.id);
  });
});

describe('a node out of resources', () => {
  it('is skipped: a create it refuses with 40009 goes to another node', async () => {
    for (const c of clients.splice(0)) c.close();
    await alb.close();
    await Promise.all(controllers.map((c) => c.close()));
    await Promise.all(nodes.map((n) => n.close()));
    await cluster({ maxPipelines: [0, undefined, undefined] });
    const c = await client(direct(controllers[0] as Controller));
    for (let i = 0; i < 9; i++) expect(nodeHolding((await c.create('MediaPipeline')).id)).not.toBe(0);
    expect(nodes[0]?.requests.filter((r) => r.method === 'create').length).toBeGreaterThan(0);
  });
});
