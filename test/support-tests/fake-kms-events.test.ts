/**
 * Events from the fake KMS: what KMS's server_events_test.cpp checks (one event per session,
 * object and type however many subscriptions), the `onEvent` shape of the protocol document and
 * the generated event serialisers, ObjectCreated/ObjectDestroyed, and element connection events.
 *
 * No test waits for time to pass: events caused by a request go out right after its answer, so
 * the answer to a later ping proves they have all arrived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawKmsClient } from '../support/fake-kms/raw-client.js';
import { kmsTarget, realKmsUrl, type KmsTarget } from '../support/fake-kms/target.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function setup(options: Parameters<typeof kmsTarget>[0] = {}): Promise<[KmsTarget, RawKmsClient]> {
  const t = await kmsTarget(options);
  opened.push(t);
  const c = await RawKmsClient.open(t.url);
  opened.push(c);
  return [t, c];
}

const value = async (p: Promise<{ result?: { value?: unknown }; error?: unknown }>): Promise<string> => {
  const answer = await p;
  if (answer.error) throw new Error(JSON.stringify(answer.error));
  return answer.result?.value as string;
};

describe('fake KMS: subscriptions (server_events_test check_not_duplicated_event)', () => {
  it('delivers one ObjectCreated per session however many subscriptions, until the last is gone', async () => {
    const [, c] = await setup();
    const first = await c.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectCreated' });
    const sessionId = first.result?.sessionId as string;
    const sub1 = first.result?.value as string;
    const second = await c.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectCreated', sessionId });
    expect(second.result?.sessionId).toBe(sessionId);
    const sub2 = second.result?.value as string;
    expect(sub2).not.toBe(sub1);

    const created = async () => {
      const before = c.events('ObjectCreated').length;
      const id = await value(c.call('create', { type: 'MediaPipeline', sessionId }));
      await c.call('ping');
      return [id, c.events('ObjectCreated').slice(before).map((e) => e.params.value.data['object'])];
    };
    const [id1, seen1] = await created();
    expect(seen1).toEqual([id1]);
    expect((await c.call('unsubscribe', { object: 'manager_ServerManager', subscription: sub1, sessionId })).result).toEqual({ sessionId });
    const [id2, seen2] = await created();
    expect(seen2).toEqual([id2]);
    await c.call('unsubscribe', { object: 'manager_ServerManager', subscription: sub2, sessionId });
    const [, seen3] = await created();
    expect(seen3).toEqual([]);
  });

  it('accepts an unsubscribe of anything, and forgets a session’s subscriptions to what it unrefs', async () => {
    const [, c] = await setup();
    expect((await c.call('unsubscribe', { object: 'x', subscription: 'y', sessionId: 'u' })).result).toEqual({ sessionId: 'u' });
    await c.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectCreated', sessionId: 'u' });
    await c.call('unref', { object: 'manager_ServerManager', sessionId: 'u' });
    await c.call('create', { type: 'MediaPipeline', sessionId: 'u' });
    await c.call('ping');
    expect(c.events()).toHaveLength(0);
  });
});

describe('fake KMS: onEvent shape', () => {
  it('sends ObjectCreated and ObjectDestroyed as KMS serialises them (children destroyed first)', async () => {
    const [, c] = await setup();
    const s = { sessionId: 'shape' };
    await c.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectCreated', ...s });
    await c.call('subscribe', { object: 'manager_ServerManager', type: 'ObjectDestroyed', ...s });
    const pipe = await value(c.call('create', { type: 'MediaPipeline', ...s }));
    const ep = await value(c.call('create', { type: 'RtpEndpoint', constructorParams: { mediaPipeline: pipe }, ...s }));
    await c.call('release', { object: pipe, ...s });
    await c.call('ping');
    const [created] = c.events('ObjectCreated');
    expect(created).toEqual({
      jsonrpc: '2.0',
      method: 'onEvent',
      params: { value: { data: { object: pipe, source: 'manager_ServerManager', tags: [], timestampMillis: expect.stringMatching(/^\d{13}$/) }, object: 'manager_ServerManager', type: 'ObjectCreated' } },
    });
    const destroyed = c.events('ObjectDestroyed').map((e) => e.params.value.data);
    expect(destroyed).toEqual([
      { objectId: ep, source: 'manager_ServerManager', tags: [], timestampMillis: expect.any(String) },
      { objectId: pipe, source: 'manager_ServerManager', tags: [], timestampMillis: expect.any(String) },
    ]);
  });

  it.skipIf(realKmsUrl)('sends a scripted event like the protocol document’s EndOfStream and Error examples', async () => {
    const [t, c] = await setup();
    const s = { sessionId: 'scripted' };
    const pipe = await value(c.call('create', { type: 'MediaPipeline', ...s }));
    const player = await value(c.call('create', { type: 'PlayerEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'http://host/app/video.mp4' }, ...s }));
    const recorder = await value(c.call('create', { type: 'RecorderEndpoint', constructorParams: { mediaPipeline: pipe, uri: 'file:///tmp/invalid/path/test.webm' }, ...s }));
    await c.call('subscribe', { object: player, type: 'EndOfStream', ...s });
    await c.call('subscribe', { object: recorder, type: 'Error', ...s });
    t.fake!.emit(player, 'EndOfStream');
    const eos = await c.event('EndOfStream');
    expect(eos).toEqual({
      jsonrpc: '2.0',
      method: 'onEvent',
      params: { value: { data: { source: player, tags: [], timestampMillis: expect.stringMatching(/^\d+$/), type: 'EndOfStream' }, object: player, type: 'EndOfStream' } },
    });
    t.fake!.emit(recorder, 'Error', { description: 'Error code 6: Could not open file', errorCode: 6, type: 'RESOURCE_ERROR_OPEN' });
    expect((await c.event('Error')).params.value).toEqual({
      data: { description: 'Error code 6: Could not open file', errorCode: 6, source: recorder, tags: [], timestampMillis: expect.any(String), type: 'RESOURCE_ERROR_OPEN' },
      object: recorder,
      type: 'Error',
    });
    expect(() => t.fake!.emit(player, 'IceCandidateFound')).toThrow(/does not raise/);
    expect(() => t.fake!.emit('nope', 'Error')).toThrow(/no object/);
  });

  it.skipIf(realKmsUrl)('puts the tags in events once sendTagsInEvents is set', async () => {
    const [t, c] = await setup();
    const s = { sessionId: 'tags' };
    const pipe = await value(c.call('create', { type: 'MediaPipeline', ...s }));
    await c.call('invoke', { object: pipe, operation: 'addTag', operationParams: { key: 'room', value: 'r1' }, ...s });
    await c.call('invoke', { object: pipe, operation: 'setSendTagsInEvents', operationParams: { sendTagsInEvents: true }, ...s });
    await c.call('subscribe', { object: pipe, type: 'Error', ...s });
    t.fake!.emit(pipe, 'Error', { description: 'boom', errorCode: 1, type: 'UNEXPECTED_PIPELINE_ERROR' });
    expect((await c.event('Error')).params.value.data['tags']).toEqual([{ __module__: 'kurento', __type__: 'Tag', key: 'room', value: 'r1' }]);
    expect(await value(c.call('invoke', { object: pipe, operation: 'getTags', ...s }))).toEqual([{ __module__: 'kurento', __type__: 'Tag', key: 'room', value: 'r1' }]);
  });
});

describe('fake KMS: connections between elements', () => {
  it('connects audio, video and data by default, each raising ElementConnected, and lists both ends', async () => {
    const [, c] = await setup();
    const s = { sessionId: 'links' };
    const pipe = await value(c.call('create', { type: 'MediaPipeline', ...s }));
    const a = await value(c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipe }, ...s }));
    const b = await value(c.call('create', { type: 'FaceOverlayFilter', constructorParams: { mediaPipeline: pipe }, ...s }));
    await c.call('subscribe', { object: a, type: 'ElementConnected', ...s });
    await c.call('subscribe', { object: a, type: 'ElementDisconnected', ...s });
    await c.call('invoke', { object: a, operation: 'connect', operationParams: { sink: b }, ...s });
    await c.call('ping');
    expect(c.events('ElementConnected').map((e) => e.params.value.data)).toEqual(
      ['AUDIO', 'VIDEO', 'DATA'].map((mediaType) => ({ sink: b, mediaType, sourceMediaDescription: 'default', sinkMediaDescription: 'default', source: a, tags: [], timestampMillis: expect.any(String), type: 'ElementConnected' })),
    );
    const link = (type: string) => ({ __module__: 'kurento', __type__: 'ElementConnectionData', source: a, sink: b, type, sourceDescription: 'default', sinkDescription: 'default' });
    expect(await value(c.call('invoke', { object: a, operation: 'getSinkConnections', ...s }))).toEqual([link('AUDIO'), link('VIDEO'), link('DATA')]);
    expect(await value(c.call('invoke', { object: b, operation: 'getSourceConnections', operationParams: { mediaType: 'VIDEO' }, ...s }))).toEqual([link('VIDEO')]);
    expect((await c.call('invoke', { object: b, operation: 'getSourceConnections', operationParams: { mediaType: 'SMELL' }, ...s })).error).toEqual({
      code: 40001,
      message: "Invalid value for 'MediaType'",
      data: { type: 'MARSHALL_ERROR' },
    });

    await c.call('invoke', { object: a, operation: 'disconnect', operationParams: { sink: b, mediaType: 'AUDIO' }, ...s });
    expect(await value(c.call('invoke', { object: a, operation: 'getSinkConnections', ...s }))).toEqual([link('VIDEO'), link('DATA')]);
    // releasing the sink disconnects it: its source hears ElementDisconnected
    await c.call('release', { object: b, ...s });
    await c.call('ping');
    expect(c.events('ElementDisconnected').map((e) => e.params.value.data['mediaType'])).toEqual(['AUDIO', 'VIDEO', 'DATA']);
    expect(await value(c.call('invoke', { object: a, operation: 'getSinkConnections', ...s }))).toEqual([]);
  });

  it('gives a sink pad one source: connecting another replaces it', async () => {
    const [, c] = await setup();
    const s = { sessionId: 'replace' };
    const pipe = await value(c.call('create', { type: 'MediaPipeline', ...s }));
    const [a, b, sink] = [await value(c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipe }, ...s })), await value(c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipe }, ...s })), await value(c.call('create', { type: 'PassThrough', constructorParams: { mediaPipeline: pipe }, ...s }))];
    await c.call('invoke', { object: a, operation: 'connect', operationParams: { sink, mediaType: 'VIDEO' }, ...s });
    await c.call('invoke', { object: b, operation: 'connect', operationParams: { sink, mediaType: 'VIDEO' }, ...s });
    const sources = (await value(c.call('invoke', { object: sink, operation: 'getSourceConnections', ...s }))) as unknown as { source: string }[];
    expect(sources.map((x) => x.source)).toEqual([b]);
    expect(await value(c.call('invoke', { object: a, operation: 'getSinkConnections', ...s }))).toEqual([]);
  });
});
