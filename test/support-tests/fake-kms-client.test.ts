/**
 * The official kurento-client 7.3.0 drives the fake KMS: strict mode's module check, a WebRTC
 * negotiation with trickle ICE events, describing objects from another client, release, the
 * ServerManager's events, and a committed transaction.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKms, type FakeKms } from '../support/fake-kms/index.js';
import { callback, connectKurentoClient, type KurentoClient } from '../support/fake-kms/kurento-client.js';
import { BROWSER_OFFER } from '../support/fake-kms/sample-offer.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function fake(): Promise<FakeKms> {
  const f = await startFakeKms({ path: 'kurento' });
  opened.push(f);
  return f;
}

async function client(f: FakeKms): Promise<KurentoClient> {
  const c = await connectKurentoClient(f.url, { strict: true, failAfter: 1, request_timeout: 3000 });
  opened.push(c);
  return c;
}

describe('kurento-client 7.3.0 against the fake KMS', () => {
  it('passes strict mode, negotiates WebRTC, gathers candidates, and releases', async () => {
    const f = await fake();
    const c = await client(f);
    // strict mode: ping, then the ServerManager's getInfo is checked for core, elements and filters
    const sessionId = f.requests[1]?.sessionId;
    expect(f.requests.slice(0, 3).map((r) => [r.method, r.params])).toEqual([
      ['ping', { interval: 5000 }],
      ['describe', { object: 'manager_ServerManager' }],
      ['invoke', { object: 'manager_ServerManager', operation: 'getInfo', sessionId }],
    ]);

    const pipeline = await c.create('MediaPipeline');
    expect(pipeline.id).toMatch(/^[0-9a-f-]{36}_kurento\.MediaPipeline$/);
    const ep = await pipeline.create('WebRtcEndpoint');
    expect(ep.id.startsWith(`${pipeline.id}/`)).toBe(true);

    const candidates: { candidate: { candidate: string; sdpMid: string; sdpMLineIndex: number } }[] = [];
    ep.on('IceCandidateFound', (e: (typeof candidates)[number]) => candidates.push(e));
    const gathered = new Promise((resolve) => ep.once('IceGatheringDone', resolve));
    const answer = (await ep.processOffer(BROWSER_OFFER)) as string;
    expect(answer).toMatch(/^v=0\r\n/);
    expect(answer).toContain('m=audio ');
    await ep.gatherCandidates();
    await gathered;
    expect(candidates.map((e) => [e.candidate.sdpMid, e.candidate.sdpMLineIndex])).toEqual([
      ['0', 0],
      ['1', 1],
    ]);
    expect(candidates[0]?.candidate.candidate).toMatch(/^candidate:1 1 UDP 2015363327 127\.0\.0\.1 \d+ typ host$/);

    // another client (another session) finds the endpoint by id, through describe
    const other = await client(f);
    const found = await other.getMediaobjectById(ep.id);
    expect(found.id).toBe(ep.id);
    expect(found.constructor.name).toBe('WebRtcEndpoint');
    expect(await found.getLocalSessionDescriptor()).toBe(answer);
    const otherSession = f.requests.find((r) => r.method === 'describe' && (r.params as { object?: string }).object === ep.id)?.sessionId;
    expect(otherSession).not.toBe(sessionId);
    expect(f.objects().find((o) => o.id === ep.id)?.sessions.sort()).toEqual([sessionId, otherSession].sort());

    await pipeline.release();
    expect(f.pipelines()).toEqual([]);
    await expect(callback(other, 'getMediaobjectById', pipeline.id)).rejects.toBeInstanceOf(ReferenceError);
  });

  it('hears ObjectCreated and ObjectDestroyed through the ServerManager', async () => {
    const f = await fake();
    const c = await client(f);
    const manager = await c.getServerManager();
    const created: string[] = [];
    const destroyed: string[] = [];
    manager.on('ObjectCreated', (e: { object: string }) => created.push(e.object));
    manager.on('ObjectDestroyed', (e: { objectId: string }) => destroyed.push(e.objectId));
    await manager.getCpuCount(); // sent after both subscriptions (the client chains invokes, not creates)
    const pipeline = await c.create('MediaPipeline');
    const player = await pipeline.create('PlayerEndpoint', { uri: 'http://example.org/video.webm' });
    await pipeline.release();
    await manager.getCpuCount();
    expect(created).toEqual([pipeline.id, player.id]);
    expect(destroyed).toEqual([player.id, pipeline.id]);
    const info = await manager.getInfo();
    expect(info.modules.map((m: { name: string }) => m.name)).toEqual(['core', 'elements', 'filters']);
  });

  it('commits a transaction: one request, newrefs for objects made in it', async () => {
    const f = await fake();
    const c = await client(f);
    const tx = c.beginTransaction();
    const pipeline = c.create(tx, 'MediaPipeline');
    const mixer = pipeline.create(tx, 'AlphaBlending');
    // Generated methods shift the transaction off `arguments`, which leaves the last named
    // parameter holding a stale argument: inside a transaction, always pass the callback.
    const port = mixer.createHubPort(tx, () => undefined);
    mixer.setMaster(tx, port, 1, () => undefined);
    await tx.commit();
    expect(pipeline.id).toMatch(/_kurento\.MediaPipeline$/);
    expect(mixer.id.startsWith(`${pipeline.id}/`)).toBe(true);
    expect(port.id.startsWith(`${mixer.id}/`)).toBe(true);

    const sent = f.requests.filter((r) => r.method === 'transaction');
    expect(sent).toHaveLength(1);
    const operations = (sent[0]?.params as { operations: { id: number; method: string; params: Record<string, unknown> }[] }).operations;
    expect(operations.map((o) => [o.id, o.method])).toEqual([
      [0, 'create'],
      [1, 'create'],
      [2, 'create'],
      [3, 'invoke'],
    ]);
    expect(operations[1]?.params['constructorParams']).toEqual({ mediaPipeline: 'newref:0' });
    expect(operations[3]?.params).toMatchObject({ object: 'newref:1', operation: 'setMaster', operationParams: { source: 'newref:2', zOrder: 1 } });
    // (a port from createHubPort lacks the client's describe plumbing, so ask it its name, not its parent)
    expect(await port.getName()).toBe(port.id);
    expect(f.objects().find((o) => o.id === port.id)?.parent).toBe(mixer.id);
  });
});
