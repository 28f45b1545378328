/**
 * Sessions, references and garbage collection in the fake KMS, after KMS's server_json_session.cpp
 * and the semantics of MediaSet.cpp and WebSocketTransport.cpp: sessions bound to sockets,
 * objects referenced per session, closeSession, the GC on an injected clock, and the
 * getSessions/getPipelines quirks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawKmsClient } from '../support/fake-kms/raw-client.js';
import { kmsTarget, realKmsUrl, type KmsTarget } from '../support/fake-kms/target.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function target(options: Parameters<typeof kmsTarget>[0] = {}): Promise<KmsTarget> {
  const t = await kmsTarget(options);
  opened.push(t);
  return t;
}

async function client(t: KmsTarget): Promise<RawKmsClient> {
  const c = await RawKmsClient.open(t.url);
  opened.push(c);
  return c;
}

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2026, 0, 1)) {
  const clock = { time: start, now: () => clock.time, sleeps: [] as number[], sleep: async (ms: number) => void clock.sleeps.push(ms) };
  return clock;
}

const value = async (p: Promise<{ result?: { value?: unknown }; error?: unknown }>) => {
  const answer = await p;
  if (answer.error) throw new Error(JSON.stringify(answer.error));
  return answer.result?.value;
};

describe('fake KMS: references per session (server_json_session)', () => {
  it('unrefs what only the unreffing session holds (check_create_pipeline_call)', async () => {
    const t = await target();
    const c = await client(t);
    const s1 = { sessionId: '1111' };
    const s2 = { sessionId: '2222' };
    const pipe = (await value(c.call('create', { type: 'MediaPipeline', ...s1 }))) as string;
    const player = (await value(c.call('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'file:///tmp/sintel.webm' }, ...s1 }))) as string;
    const filter = (await value(c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipe }, ...s1 }))) as string;
    const rec1 = (await value(c.call('create', { type: 'RecorderEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'file:///tmp/recorder1.webm' }, ...s1 }))) as string;
    const rec2 = (await value(c.call('create', { type: 'RecorderEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'file:///tmp/recorder2.webm' }, ...s2 }))) as string;
    await value(c.call('invoke', { object: player, operation: 'connect', operationParams: { sink: filter }, ...s1 }));
    await value(c.call('invoke', { object: filter, operation: 'connect', operationParams: { sink: rec1 }, ...s1 }));
    await value(c.call('invoke', { object: filter, operation: 'connect', operationParams: { sink: rec2 }, ...s2 }));
    for (const [object, s] of [[rec1, s1], [filter, s1], [player, s1], [rec2, s2]] as const) {
      expect((await c.call('unref', { object, ...s })).result).toEqual(s);
    }
    // the player and recorder 1 were only session 1's; a child is referenced by every session of its
    // parent when it is created, so recorder 2 is still session 1's, and the WebRtcEndpoint session 2's.
    const children = (await value(c.call('invoke', { object: pipe, operation: 'getChildren', sessionId: '3333' }))) as string[];
    expect(children.sort()).toEqual([filter, rec2].sort());
    if (t.fake) {
      const sessions = Object.fromEntries(t.fake.objects().map((o) => [o.id, o.sessions]));
      expect(sessions[rec2]).toEqual(['1111']);
      expect(sessions[filter]).toEqual(['2222']);
    }
  });

  it('closeSession unrefs the session; with release it releases its objects (check_close_session)', async () => {
    const t = await target();
    const c = await client(t);
    const s1 = { sessionId: '1111' };
    const s2 = { sessionId: '2222' };
    const pipe = (await value(c.call('create', { type: 'MediaPipeline', ...s1 }))) as string;
    const player = (await value(c.call('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'file:///x.webm' }, ...s1 }))) as string;
    const filter = (await value(c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipe }, ...s1 }))) as string;
    const rec1 = (await value(c.call('create', { type: 'RecorderEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'file:///r1.webm' }, ...s1 }))) as string;
    const rec2 = (await value(c.call('create', { type: 'RecorderEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'file:///r2.webm' }, ...s2 }))) as string;
    await value(c.call('invoke', { object: player, operation: 'connect', operationParams: { sink: filter }, ...s1 }));
    await value(c.call('invoke', { object: filter, operation: 'connect', operationParams: { sink: rec1 }, ...s1 }));
    await value(c.call('invoke', { object: filter, operation: 'connect', operationParams: { sink: rec2 }, ...s2 }));

    const children = (s: string) => value(c.call('invoke', { object: pipe, operation: 'getChildren', sessionId: s }));
    expect(await children('3333')).toHaveLength(4);
    expect((await c.call('closeSession', s1)).result).toBeNull();
    expect(await children('3333')).toHaveLength(2);
    expect((await c.call('closeSession', s2)).result).toBeNull();
    expect(await children('2222')).toHaveLength(0);
    expect((await c.call('closeSession', { ...s2, release: true })).result).toBeNull();
    expect((await c.call('invoke', { object: pipe, operation: 'getChildren', sessionId: '3333' })).error?.code).toBe(40101);
  });

  it('describe, invoke and subscribe add the object and its parents to the caller; ref and unref count', async () => {
    const t = await target();
    const c = await client(t);
    const pipe = (await value(c.call('create', { type: 'MediaPipeline', sessionId: 'owner' }))) as string;
    const ep = (await value(c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipe }, sessionId: 'owner' }))) as string;
    await value(c.call('invoke', { object: ep, operation: 'getName', sessionId: 'reader' }));
    await c.call('subscribe', { object: ep, type: 'Error', sessionId: 'listener' });
    await c.call('ref', { object: pipe, sessionId: 'pinner' });
    if (t.fake) {
      const bySession = Object.fromEntries(t.fake.sessions().map((s) => [s.id, s.objects]));
      expect(bySession['reader']).toEqual([pipe, ep].sort());
      expect(bySession['listener']).toEqual([pipe, ep].sort());
      expect(bySession['pinner']).toEqual([pipe]);
    }
    // the pipeline lives while any session holds it
    for (const s of ['owner', 'reader', 'listener']) await c.call('unref', { object: pipe, sessionId: s });
    expect(await value(c.call('invoke', { object: pipe, operation: 'getChildren', sessionId: 'pinner' }))).toEqual([]);
    await c.call('unref', { object: pipe, sessionId: 'pinner' });
    expect((await c.call('describe', { object: pipe, sessionId: 'pinner' })).error?.code).toBe(40101);
    expect((await c.call('ref', { object: pipe, sessionId: 'pinner' })).error?.code).toBe(40101);
    // unref of what is gone is not an error
    expect((await c.call('unref', { object: pipe, sessionId: 'pinner' })).result).toEqual({ sessionId: 'pinner' });
  });
});

describe('fake KMS: sessions bound to sockets (WebSocketTransport)', () => {
  it('gives a request without a session the socket’s session, or a new one', async () => {
    const t = await target();
    const c = await client(t);
    const first = await c.call('create', { type: 'MediaPipeline' });
    const sessionId = first.result?.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    const second = await c.call('create', { type: 'MediaPipeline' });
    expect(second.result?.sessionId).toBe(sessionId);
    const other = await client(t);
    expect((await other.call('create', { type: 'MediaPipeline' })).result?.sessionId).not.toBe(sessionId);
  });

  it('sends events only to the socket bound to the session when they go out', async () => {
    const t = await target();
    const a = await client(t);
    const b = await client(t);
    const sub = await a.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectCreated', sessionId: 'S' });
    expect(sub.error).toBeUndefined();
    await a.call('create', { type: 'MediaPipeline', sessionId: 'S' });
    expect(a.events('ObjectCreated')).toHaveLength(1);

    // b speaks for S: S moves to b, and a is left with no session
    await b.call('ping', { sessionId: 'S' });
    await b.call('create', { type: 'MediaPipeline', sessionId: 'S' });
    expect(b.events('ObjectCreated')).toHaveLength(1);
    expect(a.events('ObjectCreated')).toHaveLength(1);
    const fresh = await a.call('create', { type: 'MediaPipeline' });
    expect(fresh.result?.sessionId).not.toBe('S');
    await a.call('ping');
    expect(a.events('ObjectCreated')).toHaveLength(1);
  });

  it('rebinds a socket that sends another session id; the old session then hears nothing', async () => {
    const t = await target();
    const a = await client(t);
    await a.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectCreated', sessionId: 'S1' });
    await a.call('ping', { sessionId: 'S2' });
    const b = await client(t);
    await b.call('create', { type: 'MediaPipeline', sessionId: 'S3' });
    await a.call('ping');
    expect(a.events()).toHaveLength(0);
    await a.call('ping', { sessionId: 'S1' });
    await b.call('create', { type: 'MediaPipeline', sessionId: 'S3' });
    await a.call('ping');
    expect(a.events('ObjectCreated')).toHaveLength(1);
  });
});

describe.skipIf(realKmsUrl)('fake KMS: garbage collector (MediaSet::doGarbageCollection)', () => {
  it('collects a session one to two periods after its socket closed, and destroys what it held', async () => {
    const clock = manualClock();
    const t = await target({ clock, garbageCollectorPeriod: 240 });
    const watcher = await client(t);
    await watcher.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectDestroyed', sessionId: 'watcher' });
    const owner = await client(t);
    const pipe = (await value(owner.call('create', { type: 'MediaPipeline', sessionId: 'owner' }))) as string;
    const ep = (await value(owner.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipe }, sessionId: 'owner' }))) as string;
    owner.close();
    await owner.closed;
    await watcher.call('ping');

    clock.time += 240_000;
    expect(t.fake!.tick()).toEqual([]);
    clock.time += 240_000;
    expect(t.fake!.tick()).toEqual(['owner']);
    expect(t.fake!.pipelines()).toEqual([]);
    await watcher.call('ping');
    expect(watcher.events('ObjectDestroyed').map((e) => e.params.value.data['objectId'])).toEqual([ep, pipe]);
    // the watcher's socket kept it alive through both passes
    expect(t.fake!.sessions().map((s) => s.id)).toContain('watcher');
  });

  it('runs due passes before handling a message, so a late request finds its session gone', async () => {
    const clock = manualClock();
    const t = await target({ clock, garbageCollectorPeriod: 60 });
    const a = await client(t);
    const pipe = (await value(a.call('create', { type: 'MediaPipeline', sessionId: 'late' }))) as string;
    a.close();
    await a.closed;
    clock.time += 180_000;
    const b = await client(t);
    expect((await b.call('connect', { sessionId: 'late' })).error?.code).toBe(40007);
    expect((await b.call('describe', { object: pipe })).error?.code).toBe(40101);
  });

  it('keeps a session alive by keepAlive, and never collects one bound to an open socket', async () => {
    const clock = manualClock();
    const t = await target({ clock });
    const bound = await client(t);
    await bound.call('create', { type: 'MediaPipeline', sessionId: 'bound' });
    const other = await client(t);
    await other.call('create', { type: 'MediaPipeline', sessionId: 'idle' });
    await other.call('create', { type: 'MediaPipeline', sessionId: 'kept' });
    await other.call('ping', { sessionId: 'unrelated' });
    // a pass clears the in-use mark; the next one collects what was not kept alive in between
    expect(t.fake!.runGc()).toEqual([]);
    await other.call('keepAlive', { sessionId: 'kept' });
    // keepAlive answered with 'kept' bound the socket to it; move the socket back
    await other.call('ping', { sessionId: 'unrelated' });
    expect(t.fake!.runGc()).toEqual(['idle']);
    expect(t.fake!.runGc()).toEqual(['kept']);
    for (let i = 0; i < 5; i++) t.fake!.runGc();
    // 'unrelated' holds nothing but is bound to other's socket
    expect(t.fake!.sessions().map((s) => s.id)).toEqual(['bound', 'unrelated']);
    expect(t.fake!.pipelines()).toHaveLength(1);
  });
});

describe('fake KMS: ServerManager quirks', () => {
  it('getSessions answers N empty strings followed by the N session ids (MediaSet::getSessions)', async () => {
    const t = await target();
    const c = await client(t);
    await c.call('create', { type: 'MediaPipeline', sessionId: 'q-a' });
    const sessions = (await value(c.call('invoke', { object: 'manager_ServerManager', operation: 'getSessions', sessionId: 'q-b' }))) as string[];
    const ids = sessions.filter((s) => s !== '');
    expect(ids).toEqual(expect.arrayContaining(['q-a', 'q-b']));
    expect(sessions).toEqual([...ids.map(() => ''), ...ids]);
  });

  it('getPipelines refs every object to session "" — which then keeps a pipeline alive after its owner is collected', async () => {
    const clock = manualClock();
    const t = await target({ clock });
    const c = await client(t);
    const pipe = (await value(c.call('create', { type: 'MediaPipeline', sessionId: 'gp-owner' }))) as string;
    const listed = (await value(c.call('invoke', { object: 'manager_ServerManager', operation: 'getPipelines', sessionId: 'gp-inspector' }))) as string[];
    expect(listed).toContain(pipe);
    const sessions = (await value(c.call('invoke', { object: 'manager_ServerManager', operation: 'getSessions', sessionId: 'gp-inspector' }))) as string[];
    expect(sessions.filter((s) => s === '').length).toBeGreaterThan(sessions.length / 2);
    if (!t.fake) return;
    expect(t.fake.objects().find((o) => o.id === pipe)?.sessions).toEqual(['', 'gp-owner']);
    await c.call('closeSession', { sessionId: 'gp-owner' });
    expect(t.fake.pipelines()).toEqual([pipe]);
    t.fake.runGc();
    t.fake.runGc();
    expect(t.fake.pipelines()).toEqual([]);
  });
});
