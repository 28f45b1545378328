/**
 * `transaction` in the fake KMS, after ServerMethods::transaction and KMS's server_json_test.cpp:
 * operations run in order in the transaction's session, "newref:N" stands for operation N's
 * result, the first failing operation ends the transaction (which itself succeeds), and a
 * malformed transaction fails with 40008.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawKmsClient, type RpcAnswer } from '../support/fake-kms/raw-client.js';
import { kmsTarget, type KmsTarget } from '../support/fake-kms/target.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function setup(): Promise<[KmsTarget, RawKmsClient]> {
  const t = await kmsTarget();
  opened.push(t);
  const c = await RawKmsClient.open(t.url);
  opened.push(c);
  return [t, c];
}

const op = (id: number, method: string, params: Record<string, unknown>) => ({ id, jsonrpc: '2.0', method, params });
type OpAnswer = RpcAnswer & { id: number };

describe('fake KMS: transactions', () => {
  it('runs the operations of check_transaction_call with newrefs and answers every response', async () => {
    const [t, c] = await setup();
    const sessionId = 'b2b81900-2902-4417-a552-973911efec4c';
    const request = `{"id":90001,"jsonrpc":"2.0","method":"transaction","params":{"operations":[{"id":0,"jsonrpc":"2.0","method":"create","params":{"constructorParams":{},"type":"MediaPipeline"}},{"id":1,"jsonrpc":"2.0","method":"create","params":{"constructorParams":{"mediaPipeline":"newref:0","uri":"https://raw.githubusercontent.com/Kurento/test-files/main/video/format/small.webm"},"type":"PlayerEndpoint"}},{"id":2,"jsonrpc":"2.0","method":"create","params":{"constructorParams":{"mediaPipeline":"newref:0"},"type":"WebRtcEndpoint"}},{"id":3,"jsonrpc":"2.0","method":"invoke","params":{"object":"newref:1","operation":"connect","operationParams":{"sink":"newref:2"}}}],"sessionId":"${sessionId}"}}`;
    const answer = await c.send(request);
    expect(answer.error).toBeUndefined();
    expect(answer.result?.sessionId).toBe(sessionId);
    const responses = answer.result?.value as OpAnswer[];
    expect(responses).toHaveLength(4);
    expect(responses.map((r) => [r.id, r.jsonrpc])).toEqual([0, 1, 2, 3].map((i) => [i, '2.0']));
    const [pipe, player, webrtc] = responses.map((r) => r.result?.value as string);
    expect(pipe).toMatch(/_kurento\.MediaPipeline$/);
    expect(player!.startsWith(`${pipe}/`)).toBe(true);
    expect(webrtc!.startsWith(`${pipe}/`)).toBe(true);
    expect(responses[3]).toEqual({ id: 3, jsonrpc: '2.0', result: { sessionId, value: null } });
    for (const r of responses) expect(r.result?.sessionId).toBe(sessionId);
    const sinks = await c.call('invoke', { object: player, operation: 'getSinkConnections', sessionId });
    expect((sinks.result?.value as unknown[]).length).toBe(3);
    if (t.fake) expect(t.fake.objects().find((o) => o.id === webrtc)?.sessions).toEqual([sessionId]);
  });

  it('stops at the first failing operation and still succeeds (check_bad_transaction_call)', async () => {
    const [t, c] = await setup();
    const junk = { _events: {}, _maxListeners: 10, domain: null, members: [] };
    const answer = await c.call('transaction', {
      operations: [
        op(0, 'create', { constructorParams: { mediaPipeline: '5b96c1ad-46ba-4366-8241-fbc1cd0e9bbd', uri: 'https://example.org/small.webm' }, transaction: junk, type: 'PlayerEndpoint' }),
        op(1, 'create', { constructorParams: { mediaPipeline: '5b96c1ad-46ba-4366-8241-fbc1cd0e9bbd' }, transaction: junk, type: 'WebRtcEndpoint' }),
      ],
      sessionId: 'c58960d9-4cac-4036-ad2e-1aef26946dae',
    });
    expect(answer.error).toBeUndefined();
    expect(answer.result?.value).toEqual([
      { id: 0, jsonrpc: '2.0', error: { code: 40101, message: "Object '5b96c1ad-46ba-4366-8241-fbc1cd0e9bbd' not found", data: { type: 'MEDIA_OBJECT_NOT_FOUND' } } },
    ]);
    if (t.fake) expect(t.fake.objects()).toEqual([]);
  });

  it('refuses operation ids out of order with 40008, after running the ones before', async () => {
    const [t, c] = await setup();
    const answer = await c.call('transaction', { operations: [op(0, 'create', { type: 'MediaPipeline' }), op(5, 'create', { type: 'MediaPipeline' })], sessionId: 'ids' });
    expect(answer.error).toEqual({ code: 40008, message: "Id of request '1' should be '1'", data: { type: 'MALFORMED_TRANSACTION' } });
    if (t.fake) expect(t.fake.pipelines()).toHaveLength(1);
  });

  it('refuses a newref to an operation not yet run, or that is not a number', async () => {
    const [, c] = await setup();
    const forward = await c.call('transaction', {
      operations: [op(0, 'create', { type: 'MediaPipeline' }), op(1, 'create', { type: 'PassThrough', constructorParams: { mediaPipeline: 'newref:2' } }), op(2, 'create', { type: 'MediaPipeline' })],
      sessionId: 'refs',
    });
    expect(forward.error).toEqual({ code: 40008, message: 'Result not found on request 2', data: { type: 'MALFORMED_TRANSACTION' } });
    const self = await c.call('transaction', { operations: [op(0, 'create', { type: 'PassThrough', constructorParams: { mediaPipeline: 'newref:0' } })], sessionId: 'refs' });
    expect(self.error?.message).toBe('Result not found on request 0');
    const word = await c.call('transaction', { operations: [op(0, 'create', { type: 'MediaPipeline' }), op(1, 'invoke', { object: 'newref:first', operation: 'getName' })], sessionId: 'refs' });
    expect(word.error).toEqual({ code: 40008, message: "Invalid index of newref 'first'", data: { type: 'MALFORMED_TRANSACTION' } });
  });

  it('answers an empty transaction with an empty list, and requires operations', async () => {
    const [, c] = await setup();
    expect((await c.call('transaction', { operations: [], sessionId: 'empty' })).result).toEqual({ value: [], sessionId: 'empty' });
    expect((await c.call('transaction', { sessionId: 'empty' })).error).toEqual({ code: -32000, message: "'operations' parameter is required" });
    expect((await c.call('transaction', { operations: {}, sessionId: 'empty' })).error).toEqual({ code: -32000, message: "'operations' parameter should be an array" });
  });

  it('runs every operation in the transaction’s session, whatever the operation says', async () => {
    const [, c] = await setup();
    const answer = await c.call('transaction', { operations: [op(0, 'create', { type: 'MediaPipeline', sessionId: 'elsewhere' }), op(1, 'invoke', { object: 'newref:0', operation: 'getName' })], sessionId: 'tx' });
    const [created, named] = answer.result?.value as OpAnswer[];
    expect(created?.result?.sessionId).toBe('tx');
    expect(named?.result).toEqual({ sessionId: 'tx', value: created?.result?.value });
  });
});
