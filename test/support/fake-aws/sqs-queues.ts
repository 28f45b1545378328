/**
 * SQS state: standard queues (from the API, `addQueue` or `AWS::SQS::Queue` stack resources), their
 * messages and receipt handles, and the long polls waiting for messages. A message is receivable
 * once `now()` reaches its `visibleAt` (its delay, then each visibility timeout); it is gone when
 * deleted, purged or past the queue's retention period.
 */
import { createHash } from 'node:crypto';
import { AwsError } from './errors.js';
import { hex, uuid } from './ids.js';
import { aliveAt, type Lived } from './lifetime.js';
import type { World } from './world.js';

/** The numeric queue attributes the fake acts on, in seconds (bytes for `MaximumMessageSize`). */
export interface QueueSettings {
  VisibilityTimeout: number;
  DelaySeconds: number;
  MessageRetentionPeriod: number;
  ReceiveMessageWaitTimeSeconds: number;
  MaximumMessageSize: number;
}

/** SQS's defaults for a new queue. */
export const DEFAULT_SETTINGS: QueueSettings = {
  VisibilityTimeout: 30,
  DelaySeconds: 0,
  MessageRetentionPeriod: 345_600,
  ReceiveMessageWaitTimeSeconds: 0,
  MaximumMessageSize: 262_144,
};

/** Each setting's allowed range, as CreateQueue checks it. */
export const SETTING_RANGES: Record<keyof QueueSettings, [number, number]> = {
  VisibilityTimeout: [0, 43_200],
  DelaySeconds: [0, 900],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  MaximumMessageSize: [1024, 262_144],
};

/** One message. */
export interface MessageRecord {
  id: string;
  body: string;
  md5: string;
  sentAt: number;
  /** Receivable from then on (after its delay; after each receive, when the visibility timeout ends). */
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Every receipt handle issued for it: SQS accepts older ones too. */
  receipts: Set<string>;
  senderId: string;
}

/** One queue. */
export interface QueueRecord extends Lived {
  name: string;
  accountId: string;
  region: string;
  created: number;
  lastModified: number;
  settings: QueueSettings;
  /** Attributes stored as given (Policy, RedrivePolicy, SqsManagedSseEnabled, …). */
  extra: Record<string, string>;
  tags: Record<string, string>;
  messages: MessageRecord[];
  lastPurge?: number;
}

/** A long poll waiting for messages. */
export interface Poller {
  /** Looks again (a message was sent or made visible). */
  wake(): void;
  /** Ends the poll without messages (the fake is closing). */
  cancel(): void;
}

/** The queue's URL on the fake's endpoint (the SDK sends requests to the QueueUrl's host). */
export function queueUrl(world: World, q: QueueRecord): string {
  return `${world.endpointUrl}/${q.accountId}/${q.name}`;
}

/** The queue's ARN. */
export function queueArn(q: QueueRecord): string {
  return `arn:aws:sqs:${q.region}:${q.accountId}:${q.name}`;
}

/** Account and name from a queue URL (any host: `http://127.0.0.1:PORT/…` or `https://sqs.REGION.amazonaws.com/…`), an ARN or a name. */
function parseQueueRef(world: World, ref: string): { accountId: string; name: string } {
  if (ref.startsWith('arn:')) {
    const parts = ref.split(':');
    return { accountId: parts[4] ?? '', name: parts[5] ?? '' };
  }
  if (/^https?:\/\//.test(ref)) {
    const segments = new URL(ref).pathname.split('/').filter(Boolean);
    return { accountId: segments[segments.length - 2] ?? '', name: segments[segments.length - 1] ?? '' };
  }
  return { accountId: world.options.accountId, name: ref };
}

/** The live queue a URL, ARN or name refers to at `t`. */
export function findQueue(world: World, ref: string, t: number): QueueRecord | undefined {
  const { accountId, name } = parseQueueRef(world, ref);
  for (let i = world.queues.length - 1; i >= 0; i--) {
    const q = world.queues[i];
    if (q && q.name === name && q.accountId === accountId && aliveAt(q, t)) return q;
  }
  return undefined;
}

/** Like {@link findQueue}, or SQS's `QueueDoesNotExist`. */
export function queueOrFail(world: World, ref: string, t: number): QueueRecord {
  const q = findQueue(world, ref, t);
  if (!q) throw new AwsError('AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
  return q;
}

/** A message's state at `t`. */
export function messageState(q: QueueRecord, m: MessageRecord, t: number): 'visible' | 'inFlight' | 'delayed' | 'expired' {
  if (m.sentAt + q.settings.MessageRetentionPeriod * 1000 <= t) return 'expired';
  if (m.visibleAt <= t) return 'visible';
  return m.receiveCount > 0 ? 'inFlight' : 'delayed';
}

/** Drops the messages past the retention period at `t`. */
export function expire(q: QueueRecord, t: number): void {
  const kept = q.messages.filter((m) => messageState(q, m, t) !== 'expired');
  if (kept.length !== q.messages.length) q.messages.splice(0, q.messages.length, ...kept);
}

/** MD5 (hex) of the body's UTF-8 bytes, as SQS answers it (and the SDK checks it). */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Wakes every long poll. */
export function wakePollers(world: World): void {
  for (const p of [...world.pollers]) p.wake();
}

/** Adds a message at `t` (after `delayS`) and wakes the long polls. */
export function enqueue(world: World, q: QueueRecord, body: string, t: number, senderId: string, delayS = q.settings.DelaySeconds): MessageRecord {
  const m: MessageRecord = { id: uuid(), body, md5: md5Hex(body), sentAt: t, visibleAt: t + delayS * 1000, receiveCount: 0, receipts: new Set(), senderId };
  q.messages.push(m);
  wakePollers(world);
  return m;
}

const HANDLE_TAG = 'fake-aws-receipt';

/** Receives up to `max` visible messages at `t`, hiding each for `visibilityS`; each gets a new receipt handle. */
export function take(q: QueueRecord, max: number, visibilityS: number, t: number): { message: MessageRecord; handle: string }[] {
  expire(q, t);
  return q.messages
    .filter((m) => m.visibleAt <= t)
    .slice(0, max)
    .map((m) => {
      m.receiveCount++;
      m.firstReceivedAt ??= t;
      m.visibleAt = t + visibilityS * 1000;
      const handle = `AQEB${Buffer.from([HANDLE_TAG, queueArn(q), m.id, m.receiveCount, hex(16)].join('|')).toString('base64')}`;
      m.receipts.add(handle);
      return { message: m, handle };
    });
}

/** The message a receipt handle names; `ReceiptHandleIsInvalid` for a handle SQS never issued for that queue, `undefined` when the message is gone. */
export function messageOf(q: QueueRecord, handle: string): MessageRecord | undefined {
  const fields = handle.startsWith('AQEB') ? Buffer.from(handle.slice(4), 'base64').toString('utf8').split('|') : [];
  if (fields[0] !== HANDLE_TAG || fields[1] !== queueArn(q)) {
    throw new AwsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, 404);
  }
  return q.messages.find((m) => m.id === fields[2] && m.receipts.has(handle));
}

/** A new, empty queue alive from `from` (a time or a stack event). */
export function newQueue(world: World, name: string, settings: Partial<QueueSettings>, extra: Record<string, string>, life: Lived['life'], created: number): QueueRecord {
  const { accountId, region } = world.options;
  return { name, accountId, region, created, lastModified: created, settings: { ...DEFAULT_SETTINGS, ...settings }, extra, tags: {}, messages: [], life };
}

/** `addQueue`: a queue that exists from `now()`; returns its URL. */
export function seedQueue(world: World, name: string, settings: Partial<QueueSettings> = {}): string {
  const t = world.options.now();
  if (findQueue(world, name, t)) throw new Error(`fake-aws: queue ${name} already exists`);
  const q = newQueue(world, name, settings, {}, { from: t }, t);
  world.queues.push(q);
  return queueUrl(world, q);
}
