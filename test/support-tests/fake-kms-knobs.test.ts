/**
 * The fake KMS's knobs and read models: latency, the pipeline limit (40009), a lost node, a
 * restart, dropped connections, and what tests can read back (requests, objects, sessions).
 */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKms, type FakeKms, type FakeKmsOptions } from '../support/fake-kms/index.js';
import { RawKmsClient } from '../support/fake-kms/raw-client.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function fake(options: FakeKmsOptions = {}): Promise<FakeKms> {
  const f = await startFakeKms(options);
  opened.push(f);
  return f;
}

async function client(f: FakeKms): Promise<RawKmsClient> {
  const c = await RawKmsClient.open(f.url);
  opened.push(c);
  return c;
}

describe('fake KMS knobs', () => {
  it('delays every answer by latencyMs, changeable at any time', async () => {
    const f = await fake({ latencyMs: 60 });
    const c = await client(f);
    let started = performance.now();
    await c.call('ping');
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    f.latencyMs = 0;
    started = performance.now();
    await c.call('ping');
    expect(performance.now() - started).toBeLessThan(55);
  });

  it('refuses pipelines beyond maxPipelines with 40009 until one is released', async () => {
    const f = await fake({ maxPipelines: 1 });
    const c = await client(f);
    const first = await c.call('create', { type: 'MediaPipeline', sessionId: 'full' });
    const refused = await c.call('create', { type: 'MediaPipeline', sessionId: 'full' });
    expect(refused.error).toEqual({ code: 40009, message: 'Reached KMS threads limit: 1', data: { type: 'NOT_ENOUGH_RESOURCES' } });
    expect((await c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: first.result?.value }, sessionId: 'full' })).error).toBeUndefined();
    await c.call('release', { object: first.result?.value, sessionId: 'full' });
    expect((await c.call('create', { type: 'MediaPipeline', sessionId: 'full' })).error).toBeUndefined();
    f.maxPipelines = undefined;
    expect((await c.call('create', { type: 'MediaPipeline', sessionId: 'full' })).error).toBeUndefined();
  });

  it('kill() drops every connection and leaves new ones hanging (or refused)', async () => {
    const f = await fake();
    const c = await client(f);
    f.kill();
    expect((await c.closed).code).toBe(1006);
    const hanging = new WebSocket(f.url, { handshakeTimeout: 150 });
    const outcome = await new Promise<string>((resolve) => {
      hanging.once('open', () => resolve('open'));
      hanging.once('error', (e) => resolve(e.message));
    });
    expect(outcome).toMatch(/timed out/i);
    f.kill('refuse');
    const refused = new WebSocket(f.url);
    const refusal = await new Promise<string>((resolve) => {
      refused.once('open', () => resolve('open'));
      refused.once('error', (e) => resolve(e.message));
    });
    expect(refusal).not.toBe('open');
  });

  it('restart() forgets every object and session and takes a new serverId', async () => {
    const f = await fake();
    const c = await client(f);
    const before = await c.call('connect', null);
    const sessionId = before.result?.sessionId as string;
    await c.call('create', { type: 'MediaPipeline', sessionId });
    const oldServer = f.serverId;
    f.restart();
    expect((await c.closed).code).toBe(1006);
    expect(f.serverId).not.toBe(oldServer);
    expect(f.pipelines()).toEqual([]);
    const again = await client(f);
    expect((await again.call('connect', { sessionId })).error?.code).toBe(40007);
    expect((await again.call('connect', null)).result?.['serverId']).toBe(f.serverId);
  });

  it('dropConnections() keeps sessions, so a client can connect to its session again', async () => {
    const f = await fake();
    const c = await client(f);
    await c.call('create', { type: 'MediaPipeline', sessionId: 'survivor' });
    f.dropConnections();
    await c.closed;
    const again = await client(f);
    expect((await again.call('connect', { sessionId: 'survivor' })).result).toEqual({ sessionId: 'survivor', serverId: f.serverId });
    expect(f.sessions().find((s) => s.id === 'survivor')?.socketId).toBeDefined();
  });
});

describe('fake KMS read models', () => {
  it('logs every request with its session (as run), its params (as sent) and its socket', async () => {
    const f = await fake();
    const c = await client(f);
    await c.call('ping', { interval: 5000 });
    const created = await c.call('create', { type: 'MediaPipeline', constructorParams: {}, properties: { name: 'p' } });
    const sessionId = created.result?.sessionId;
    await c.call('invoke', { object: created.result?.value, operation: 'getName' });
    expect(f.requests.map((r) => [r.method, r.sessionId])).toEqual([['ping', undefined], ['create', sessionId], ['invoke', sessionId]]);
    expect(f.requests[2]?.params).toEqual({ object: created.result?.value, operation: 'getName' });
    expect(new Set(f.requests.map((r) => r.socketId)).size).toBe(1);
  });

  it('shows objects with their sessions, constructor parameters and the (ignored) create properties', async () => {
    const f = await fake();
    const c = await client(f);
    const pipe = (await c.call('create', { type: 'MediaPipeline', sessionId: 'rm' })).result?.value as string;
    const ep = (await c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipe, useDataChannels: true }, properties: { mtu: 1000 }, sessionId: 'rm' })).result?.value as string;
    expect(f.objects()).toEqual([
      { id: pipe, type: 'MediaPipeline', parent: undefined, sessions: ['rm'], name: pipe, tags: {}, constructorParams: {}, createProperties: undefined },
      {
        id: ep,
        type: 'WebRtcEndpoint',
        parent: pipe,
        sessions: ['rm'],
        name: ep,
        tags: {},
        constructorParams: { mediaPipeline: pipe, useDataChannels: true, recvonly: false, sendonly: false, certificateKeyType: 'RSA', qosDscp: 'NO_VALUE' },
        createProperties: { mtu: 1000 },
      },
    ]);
    // KMS ignores `properties` in create
    expect((await c.call('invoke', { object: ep, operation: 'getMtu', sessionId: 'rm' })).result?.value).toBe(1200);
    expect(f.sessions()).toEqual([{ id: 'rm', objects: [pipe, ep].sort(), inUse: true, socketId: f.requests[0]?.socketId }]);
  });
});
