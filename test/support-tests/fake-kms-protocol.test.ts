/**
 * The JSON-RPC layer of the fake KMS, over a real WebSocket: what KMS's server_json_test.cpp and
 * server_duplicate_requests.cpp check, the examples of the Kurento protocol document
 * (doc-kurento/source/features/kurento_protocol.rst), and the error shapes of ServerMethods.cpp.
 */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { RawKmsClient } from '../support/fake-kms/raw-client.js';
import { kmsTarget, realKmsUrl, type KmsTarget } from '../support/fake-kms/target.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function target(options: Parameters<typeof kmsTarget>[0] = {}): Promise<KmsTarget> {
  const t = await kmsTarget(options);
  opened.push(t);
  return t;
}

async function client(t: KmsTarget, url = t.url): Promise<RawKmsClient> {
  const c = await RawKmsClient.open(url);
  opened.push(c);
  return c;
}

describe('fake KMS: transport', () => {
  it.skipIf(realKmsUrl)('upgrades any path but closes a wrong one with 1002 "Invalid path"; the query is ignored', async () => {
    const t = await target({ path: 'kurento' });
    const wrong = await client(t, t.url.replace(/kurento$/, 'other'));
    expect(await wrong.closed).toEqual({ code: 1002, reason: 'Invalid path' });
    const withQuery = await client(t, `${t.url}?access_token=x`);
    expect((await withQuery.call('ping')).result).toEqual({ value: 'pong' });
  });

  it.skipIf(realKmsUrl)('answers a plain HTTP request with an error status (websocketpp: 426)', async () => {
    const t = await target();
    const res = await fetch(t.url.replace('ws:', 'http:'));
    expect(res.status).toBe(426);
  });

  it('answers nothing to text that is not JSON, and keeps the socket', async () => {
    const t = await target();
    const c = await client(t);
    c.push('{not json');
    const pong = await c.call('ping');
    expect(pong.result).toEqual({ value: 'pong' });
    expect(c.frames).toHaveLength(1);
  });
});

describe('fake KMS: JSON-RPC errors (server_json_test check_error_call)', () => {
  it('refuses a request whose jsonrpc is not "2.0" with -32600 and a null id', async () => {
    const t = await target();
    const c = await client(t);
    c.push({ jsonrpc: '1', id: 1, method: 'create' });
    const answer = JSON.parse(await c.next()) as Record<string, unknown>;
    expect(answer).toEqual({ id: null, jsonrpc: '2.0', error: { code: -32600, message: 'Invalid JSON-RPC request.' } });
  });

  it('refuses a missing method (-32600) and an unknown one (-32601)', async () => {
    const t = await target();
    const c = await client(t);
    c.push({ jsonrpc: '2.0', id: 7 });
    expect((JSON.parse(await c.next()) as { error: unknown }).error).toEqual({ code: -32600, message: 'Invalid JSON-RPC request.' });
    expect(await c.send({ jsonrpc: '2.0', id: 8, method: 'fly' })).toEqual({ id: 8, jsonrpc: '2.0', error: { code: -32601, message: 'Method not found.' } });
  });

  it('requires params (-32602 INVALID_PARAMS) and names a missing parameter (-32000, no data)', async () => {
    const t = await target();
    const c = await client(t);
    expect((await c.call('create')).error).toEqual({ code: -32602, message: "'params' is required", data: { type: 'INVALID_PARAMS' } });
    expect((await c.call('describe', { sessionId: 'abc' })).error).toEqual({ code: -32000, message: "'object' parameter is required" });
    expect((await c.call('create', { type: { no: 1 } })).error).toEqual({ code: -32000, message: "'type' parameter should be a string" });
  });

  it('answers a notification that has a result with an error, since it cannot send the result', async () => {
    const t = await target();
    const c = await client(t);
    c.push({ jsonrpc: '2.0', method: 'ping' });
    const answer = JSON.parse(await c.next()) as Record<string, unknown>;
    expect(answer).toEqual({ id: null, jsonrpc: '2.0', error: { code: -32000, message: 'Ignoring response because of a notification request', data: { value: 'pong' } } });
  });
});

describe('fake KMS: ping and connect', () => {
  it('answers ping with pong, with the sessionId only when the request has one (or the socket is bound)', async () => {
    const t = await target();
    const c = await client(t);
    expect((await c.call('ping', { interval: 240000 })).result).toEqual({ value: 'pong' });
    expect((await c.call('ping', { interval: 240000, sessionId: 's-1' })).result).toEqual({ value: 'pong', sessionId: 's-1' });
    // the socket is now bound to s-1, so KMS injects it into requests that lack one
    expect((await c.call('ping', null)).result).toEqual({ value: 'pong', sessionId: 's-1' });
  });

  it('connect without a session gives a new one and the serverId; an unknown session is 40007 (check_connect_call)', async () => {
    const t = await target();
    const c = await client(t);
    const fresh = await c.call('connect', null);
    expect(fresh.result).toEqual({ sessionId: expect.stringMatching(UUID), serverId: expect.any(String) });
    if (t.fake) expect(fresh.result?.['serverId']).toBe(t.fake.serverId);
    const other = await client(t);
    const bad = await other.call('connect', { sessionId: 'fakeSession' });
    expect(bad.error).toEqual({ code: 40007, message: 'Invalid session', data: { type: 'INVALID_SESSION' } });
  });

  it('connect to a session that holds objects succeeds from any socket', async () => {
    const t = await target();
    const a = await client(t);
    const created = await a.call('create', { type: 'MediaPipeline', sessionId: 'keep-1' });
    expect(created.error).toBeUndefined();
    const b = await client(t);
    const again = await b.call('connect', { sessionId: 'keep-1' });
    expect(again.result).toEqual({ sessionId: 'keep-1', serverId: expect.any(String) });
  });
});

describe('fake KMS: objects (server_json_test check_create_pipeline_call)', () => {
  it('creates, describes from another session, and releases', async () => {
    const t = await target();
    const c = await client(t);
    const pipe = await c.call('create', { type: 'MediaPipeline', sessionId: '123456' });
    const pipeId = pipe.result?.value as string;
    expect(pipeId).toMatch(/^[0-9a-f-]{36}_kurento\.MediaPipeline$/);
    const ep = await c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeId }, sessionId: '123456' });
    const epId = ep.result?.value as string;
    expect(epId).toMatch(new RegExp(`^${pipeId}/[0-9a-f-]{36}_kurento\\.WebRtcEndpoint$`));
    const name = await c.call('invoke', { object: epId, operation: 'getName', operationParams: null, sessionId: '123456' });
    expect(name.result).toEqual({ value: epId, sessionId: '123456' });
    expect((await c.call('ref', { object: epId, sessionId: '12345' })).result).toEqual({ sessionId: '12345' });
    const described = await c.call('describe', { object: epId, sessionId: '12345' });
    expect(described.result).toEqual({
      sessionId: '12345',
      type: 'WebRtcEndpoint',
      qualifiedType: 'kurento.WebRtcEndpoint',
      hierarchy: ['kurento.BaseRtpEndpoint', 'kurento.SdpEndpoint', 'kurento.SessionEndpoint', 'kurento.Endpoint', 'kurento.MediaElement', 'kurento.MediaObject'],
    });
    expect((await c.call('release', { object: epId, sessionId: '123456', operationParams: null })).result).toEqual({ sessionId: '123456' });
    expect((await c.call('describe', { object: epId, sessionId: '12345' })).error?.code).toBe(40101);
  });

  it('answers the protocol document examples with the same shapes', async () => {
    const t = await target();
    const c = await client(t);
    const pipe = await c.send({ jsonrpc: '2.0', id: 2, method: 'create', params: { type: 'MediaPipeline', constructorParams: {}, properties: {} } });
    expect(pipe).toEqual({ jsonrpc: '2.0', id: 2, result: { value: expect.stringMatching(/_kurento\.MediaPipeline$/), sessionId: expect.stringMatching(UUID) } });
    const sessionId = pipe.result!.sessionId!;
    const pipeId = pipe.result!.value as string;
    const player = await c.call('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline: pipeId, uri: 'http://host/app/video.mp4' }, properties: {}, sessionId });
    const playerId = player.result?.value as string;
    const webrtc = await c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeId }, properties: {}, sessionId });
    const webrtcId = webrtc.result?.value as string;

    expect((await c.call('describe', { object: pipeId, sessionId })).result).toEqual({ hierarchy: ['kurento.MediaObject'], qualifiedType: 'kurento.MediaPipeline', type: 'MediaPipeline', sessionId });
    expect((await c.call('describe', { object: playerId, sessionId })).result).toEqual({
      hierarchy: ['kurento.UriEndpoint', 'kurento.Endpoint', 'kurento.MediaElement', 'kurento.MediaObject'],
      qualifiedType: 'kurento.PlayerEndpoint',
      type: 'PlayerEndpoint',
      sessionId,
    });
    const missing = await c.send({ jsonrpc: '2.0', id: 5, method: 'describe', params: { object: '1234567890', sessionId } });
    expect(missing).toEqual({ jsonrpc: '2.0', id: 5, error: { code: 40101, data: { type: 'MEDIA_OBJECT_NOT_FOUND' }, message: "Object '1234567890' not found" } });

    // a void operation answers value null (jsoncpp writes the null member)
    const connect = await c.call('invoke', { object: playerId, operation: 'connect', operationParams: { sink: webrtcId }, sessionId });
    expect(connect.result).toEqual({ sessionId, value: null });
    const sub = await c.call('subscribe', { type: 'EndOfStream', object: playerId, sessionId });
    expect(sub.result).toEqual({ value: expect.stringMatching(UUID), sessionId });
    expect((await c.call('unsubscribe', { subscription: sub.result?.value, object: playerId, sessionId })).result).toEqual({ sessionId });
    expect((await c.call('release', { object: pipeId, sessionId })).result).toEqual({ sessionId });
    // releasing what is gone is not an error
    expect((await c.call('release', { object: pipeId, sessionId })).result).toEqual({ sessionId });
  });

  it('writes members in key order, like jsoncpp', async () => {
    const t = await target();
    const c = await client(t);
    await c.call('create', { type: 'MediaPipeline', sessionId: 'ordered' });
    expect(c.frames[0]).toMatch(/^\{"id":\d+,"jsonrpc":"2\.0","result":\{"sessionId":"ordered","value":"[^"]+"\}\}$/);
  });

  it('reports KMS error codes, types and messages', async () => {
    const t = await target();
    const c = await client(t);
    const s = { sessionId: 'errors' };
    const pipeA = (await c.call('create', { type: 'MediaPipeline', ...s })).result?.value as string;
    const pipeB = (await c.call('create', { type: 'MediaPipeline', ...s })).result?.value as string;
    const a = (await c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipeA }, ...s })).result?.value as string;
    const b = (await c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipeB }, ...s })).result?.value as string;
    const err = async (method: string, params: Record<string, unknown>) => (await c.call(method, { ...params, ...s })).error;

    expect(await err('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: 'nope' } })).toEqual({ code: 40101, message: "Object 'nope' not found", data: { type: 'MEDIA_OBJECT_NOT_FOUND' } });
    expect(await err('create', { type: 'Teleporter' })).toEqual({ code: 40108, message: "Factory 'Teleporter' not found", data: { type: 'MEDIA_OBJECT_NOT_AVAILABLE' } });
    expect(await err('create', { type: 'WebRtcEndpoint' })).toEqual({ code: 40001, message: "'constructorParams' is required", data: { type: 'MARSHALL_ERROR' } });
    expect(await err('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline: pipeA } })).toEqual({ code: 40001, message: "'uri' parameter should be a string", data: { type: 'MARSHALL_ERROR' } });
    expect(await err('invoke', { object: a, operation: 'fly', operationParams: { x: 1, y: 2 } })).toEqual({ code: 40008, message: "Method 'fly' with 2 parameters not found", data: { type: 'MALFORMED_TRANSACTION' } });
    expect(await err('invoke', { object: a, operation: 'connect', operationParams: { sink: b } })).toEqual({ code: 40004, message: 'Media elements do not share pipeline', data: { type: 'CONNECT_ERROR' } });
    expect(await err('invoke', { object: a, operation: 'connect' })).toEqual({ code: 40001, message: "'operationParams' is required", data: { type: 'MARSHALL_ERROR' } });
    expect(await err('invoke', { object: a, operation: 'getTag', operationParams: { key: 'k' } })).toEqual({ code: 40110, message: 'Tag key not found', data: { type: 'MEDIA_OBJECT_TAG_KEY_NOT_FOUND' } });
    expect(await err('invoke', { object: 'newref:0', operation: 'getName' })).toEqual({
      code: 40109,
      message: "Object 'newref:0' not found. Possibly using a transactional object without committing the transaction.",
      data: { type: 'MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT' },
    });
    expect(await err('subscribe', { object: a, type: 'IceCandidateFound' })).toEqual({ code: 40106, message: "Event 'IceCandidateFound' not supported", data: { type: 'MEDIA_OBJECT_EVENT_NOT_SUPPORTED' } });
    expect(await err('invoke', { object: 'manager_ServerManager', operation: 'getKmd', operationParams: { moduleName: 'nope' } })).toEqual({ code: 40500, message: "Requested kmd module doesn't exist", data: { type: 'UNDEFINED' } });
    expect((await c.call('keepAlive', { sessionId: 'never-seen' })).error).toEqual({ code: 40007, message: 'Invalid session', data: { type: 'INVALID_SESSION' } });
  });
});

describe('fake KMS: request cache (server_duplicate_requests)', () => {
  it('replays the cached answer to a repeated (sessionId, id) without doing the work again', async () => {
    const t = await target();
    const c = await client(t);
    const create = { jsonrpc: '2.0', id: 41, method: 'create', params: { type: 'MediaPipeline', sessionId: '1111' } };
    const first = await c.send(create);
    const second = await c.send(create);
    expect(second).toEqual(first);
    const pipeId = first.result?.value as string;
    const player = { jsonrpc: '2.0', id: 42, method: 'create', params: { type: 'PlayerEndpoint', sessionId: '1111', constructorParams: { mediaPipeline: pipeId, uri: 'file:///tmp/sintel.webm' } } };
    expect(await c.send(player)).toEqual(await c.send(player));
    const children = await c.call('invoke', { object: pipeId, operation: 'getChildren', sessionId: '1111' });
    expect(children.result?.value).toHaveLength(1);
    if (t.fake) expect(t.fake.pipelines()).toEqual([pipeId]);
  });

  it('keys the cache by session, and caches errors too', async () => {
    const t = await target();
    const c = await client(t);
    const a = await c.send({ jsonrpc: '2.0', id: 1, method: 'create', params: { type: 'MediaPipeline', sessionId: 'A' } });
    const b = await c.send({ jsonrpc: '2.0', id: 1, method: 'create', params: { type: 'MediaPipeline', sessionId: 'B' } });
    expect(b.result?.value).not.toBe(a.result?.value);
    const bad = { jsonrpc: '2.0', id: 2, method: 'describe', params: { object: 'later', sessionId: 'A' } };
    expect((await c.send(bad)).error?.code).toBe(40101);
    expect((await c.send(bad)).error?.code).toBe(40101);
  });

  it('replays by (sessionId, id) whatever the method: a client reusing an id in a session gets the old answer', async () => {
    const t = await target();
    const a = await client(t);
    const created = await a.send({ jsonrpc: '2.0', id: 1, method: 'create', params: { type: 'MediaPipeline', sessionId: 'shared' } });
    const b = await client(t);
    const other = await b.send({ jsonrpc: '2.0', id: 1, method: 'connect', params: { sessionId: 'shared' } });
    expect(other).toEqual(created);
  });

  it.skipIf(realKmsUrl)('does the work again when the cache is disabled', async () => {
    const t = await target({ disableRequestCache: true });
    const c = await client(t);
    const create = { jsonrpc: '2.0', id: 41, method: 'create', params: { type: 'MediaPipeline', sessionId: '1111' } };
    const first = await c.send(create);
    const second = await c.send(create);
    expect(second.result?.value).not.toBe(first.result?.value);
    expect(t.fake?.pipelines()).toHaveLength(2);
  });
});

describe('fake KMS: a socket that is gone', () => {
  it('does not trip over a client that vanishes mid-request', async () => {
    const t = await target();
    const ws = new WebSocket(t.url);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'create', params: { type: 'MediaPipeline' } }));
    ws.terminate();
    const c = await client(t);
    expect((await c.call('ping')).result).toEqual({ value: 'pong' });
  });
});
