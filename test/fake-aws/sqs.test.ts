import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentClients, queryCode } from './agent-clients.js';
import { rejection, setup, useFake } from './helpers.js';

const env = useFake();
let sqs: SQSClient;
beforeEach(() => {
  sqs = agentClients(env.fake.url).sqs;
});
afterEach(() => sqs.destroy());

const receive = (QueueUrl: string, more: { WaitTimeSeconds?: number; VisibilityTimeout?: number; MaxNumberOfMessages?: number } = {}) =>
  sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...more }));

describe('SQS queues and messages', () => {
  it('creates queues on the fake\'s endpoint and finds them by name; unknown queues are QueueDoesNotExist', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'drain', Attributes: { VisibilityTimeout: '60' } }));
    expect(QueueUrl).toBe(`${env.fake.url}/123456789012/drain`);
    expect((await sqs.send(new CreateQueueCommand({ QueueName: 'drain', Attributes: { VisibilityTimeout: '60' } }))).QueueUrl).toBe(QueueUrl);
    const exists = await rejection(sqs.send(new CreateQueueCommand({ QueueName: 'drain', Attributes: { VisibilityTimeout: '5' } })));
    expect([exists.name, queryCode(exists), exists.message]).toEqual(['QueueNameExists', 'QueueAlreadyExists', 'A queue already exists with the same name and a different value for attribute VisibilityTimeout']);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'drain' }))).QueueUrl).toBe(QueueUrl);
    const missing = await rejection(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect([missing.name, queryCode(missing), missing.message, missing.$metadata?.httpStatusCode]).toEqual([
      'QueueDoesNotExist',
      'AWS.SimpleQueueService.NonExistentQueue',
      'The specified queue does not exist.',
      400,
    ]);
    // An AWS-style URL names the same queue (account and name are what count).
    const url = 'https://sqs.eu-west-1.amazonaws.com/123456789012/drain';
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn', 'VisibilityTimeout'] }));
    expect(attrs.Attributes).toEqual({ QueueArn: 'arn:aws:sqs:eu-west-1:123456789012:drain', VisibilityTimeout: '60' });
    expect(env.fake.requests.map((r) => `${r.service} ${r.action}`)).toContain('sqs GetQueueAttributes');
  });

  it('sends, receives (MD5 checked by the SDK), hides for the visibility timeout on the virtual clock, deletes', async () => {
    const url = env.fake.addQueue('work');
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'héllo' }));
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('héllo', 'utf8').digest('hex'));
    const first = await receive(url, { VisibilityTimeout: 30 });
    expect(first.Messages?.map((m) => [m.MessageId, m.Body])).toEqual([[sent.MessageId, 'héllo']]);
    expect(env.fake.queue('work').messages).toMatchObject([{ messageId: sent.MessageId, state: 'inFlight', receiveCount: 1, visibleAt: env.clock.ms + 30_000 }]);
    expect((await receive(url)).Messages).toBeUndefined();
    env.clock.advance(30_000);
    const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'] }));
    const message = again.Messages?.[0];
    expect(message?.Attributes).toEqual({ ApproximateReceiveCount: '2', SentTimestamp: String(env.clock.ms - 30_000) });
    // The first receive's handle still works, as SQS's do.
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    expect(env.fake.queue(url).messages).toEqual([]);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message?.ReceiptHandle }));
    const bad = await rejection(sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'fake' })));
    expect([bad.name, bad.message, bad.$metadata?.httpStatusCode]).toEqual(['ReceiptHandleIsInvalid', 'The input receipt handle "fake" is not a valid receipt handle.', 404]);
  });

  it('changes visibility of messages in flight only', async () => {
    const url = env.fake.addQueue('work', { VisibilityTimeout: 120 });
    env.fake.sendToQueue('work', 'a');
    const handle = (await receive(url)).Messages?.[0]?.ReceiptHandle ?? '';
    await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 0 }));
    expect(env.fake.queue('work').messages[0]?.state).toBe('visible');
    const e = await rejection(sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: handle, VisibilityTimeout: 10 })));
    expect([e.name, e.message]).toEqual(['InvalidParameterValue', `Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`]);
    const limits = await rejection(receive(url, { MaxNumberOfMessages: 11 }));
    expect([limits.name, limits.message]).toEqual(['InvalidParameterValue', 'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.']);
  });

  it('purges at most once a minute', async () => {
    const url = env.fake.addQueue('work');
    env.fake.sendToQueue(url, 'a');
    env.fake.sendToQueue(url, 'b');
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
    expect(env.fake.queue('work').messages).toEqual([]);
    const e = await rejection(sqs.send(new PurgeQueueCommand({ QueueUrl: url })));
    expect([e.name, queryCode(e), e.$metadata?.httpStatusCode]).toEqual(['PurgeQueueInProgress', 'AWS.SimpleQueueService.PurgeQueueInProgress', 403]);
    env.clock.advance(60_000);
    await sqs.send(new PurgeQueueCommand({ QueueUrl: url }));
  });
});

describe('SQS long polling', () => {
  it('answers other requests while it waits and wakes up on a message', async () => {
    const url = env.fake.addQueue('work');
    const started = Date.now();
    const poll = receive(url, { WaitTimeSeconds: 10 });
    await new Promise((r) => setTimeout(r, 50));
    // The server is not blocked: another request (on another client) is answered at once.
    const other = agentClients(env.fake.url).sqs;
    expect((await other.send(new GetQueueUrlCommand({ QueueName: 'work' }))).QueueUrl).toBe(url);
    await other.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    other.destroy();
    const out = await poll;
    expect(out.Messages?.map((m) => m.Body)).toEqual(['wake up']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('wakes up on sendToQueue and when the virtual clock ends a visibility timeout', async () => {
    const url = env.fake.addQueue('work');
    const poll = receive(url, { WaitTimeSeconds: 10, VisibilityTimeout: 30 });
    await new Promise((r) => setTimeout(r, 50));
    env.fake.sendToQueue('work', 'one');
    expect((await poll).Messages?.map((m) => m.Body)).toEqual(['one']);
    const second = receive(url, { WaitTimeSeconds: 10 });
    await new Promise((r) => setTimeout(r, 50));
    env.clock.advance(30_000);
    expect((await second).Messages?.map((m) => m.Body)).toEqual(['one']);
  });

  it('answers empty after WaitTimeSeconds of real time', async () => {
    const url = env.fake.addQueue('work');
    const started = Date.now();
    expect((await receive(url, { WaitTimeSeconds: 1 })).Messages).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not keep close() waiting', async () => {
    const own = await setup();
    const client = agentClients(own.fake.url).sqs;
    const url = own.fake.addQueue('work');
    const poll = client.send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 })).then(
      (out) => out.Messages ?? [],
      () => 'closed',
    );
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await own.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await poll).toEqual('closed');
    client.destroy();
  });
});
