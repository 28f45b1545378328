/**
 * SQS (JSON 1.0, `awsQueryCompatible`, target prefix `AmazonSQS`): CreateQueue, GetQueueUrl,
 * GetQueueAttributes, DeleteQueue, SendMessage, ReceiveMessage (long polling on real timers),
 * DeleteMessage, ChangeMessageVisibility, PurgeQueue. Standard queues only.
 */
import { AwsError } from './errors.js';
import type { JsonContext, JsonHandler, JsonObject, JsonServiceDef } from './protocol-json.js';
import {
  enqueue,
  expire,
  findQueue,
  messageOf,
  messageState,
  newQueue,
  queueArn,
  queueOrFail,
  queueUrl,
  SETTING_RANGES,
  take,
  wakePollers,
  type MessageRecord,
  type Poller,
  type QueueRecord,
  type QueueSettings,
} from './sqs-queues.js';

const invalid = (message: string): AwsError => new AwsError('InvalidParameterValue', message);
const missing = (name: string): AwsError => new AwsError('MissingParameter', `The request must contain the parameter ${name}.`);

function str(input: JsonObject, name: string): string {
  const v = input[name];
  if (typeof v !== 'string' || v === '') throw missing(name);
  return v;
}

/** An optional integer parameter within `[min, max]`. */
function int(input: JsonObject, name: string, min: number, max: number, reason: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw invalid(`Value ${String(v)} for parameter ${name} is invalid. Reason: ${reason}`);
  return n;
}

const queueOf = ({ input, t, world }: JsonContext): QueueRecord => queueOrFail(world, str(input, 'QueueUrl'), t);

function settingsOf(attributes: Record<string, string>): { settings: Partial<QueueSettings>; extra: Record<string, string> } {
  const settings: Partial<QueueSettings> = {};
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) {
    if (!Object.hasOwn(SETTING_RANGES, k)) {
      extra[k] = v;
      continue;
    }
    const key = k as keyof QueueSettings;
    const [min, max] = SETTING_RANGES[key];
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw invalid(`Invalid value for the parameter ${k}.`);
    settings[key] = n;
  }
  return { settings, extra };
}

const strings = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};

const createQueue: JsonHandler = ({ input, t, world }) => {
  const name = str(input, 'QueueName');
  const attributes = strings(input.Attributes);
  if (name.endsWith('.fifo') || attributes.FifoQueue === 'true') throw new AwsError('AWS.SimpleQueueService.UnsupportedOperation', 'The fake AWS server does not model FIFO queues.');
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw invalid('Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
  const { settings, extra } = settingsOf(attributes);
  const existing = findQueue(world, name, t);
  if (existing) {
    const differs = Object.entries(settings).find(([k, v]) => existing.settings[k as keyof QueueSettings] !== v)?.[0];
    if (differs) throw new AwsError('QueueAlreadyExists', `A queue already exists with the same name and a different value for attribute ${differs}`);
    return { QueueUrl: queueUrl(world, existing) };
  }
  const recent = world.queues.find((q) => q.name === name && typeof q.life.until === 'number' && t - q.life.until < 60_000);
  if (recent) throw new AwsError('AWS.SimpleQueueService.QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');
  const q = newQueue(world, name, settings, extra, { from: t }, t);
  q.tags = strings(input.tags);
  world.queues.push(q);
  return { QueueUrl: queueUrl(world, q) };
};

const getQueueUrl: JsonHandler = ({ input, t, world }) => {
  const owner = typeof input.QueueOwnerAWSAccountId === 'string' ? input.QueueOwnerAWSAccountId : world.options.accountId;
  const q = queueOrFail(world, `arn:aws:sqs:${world.options.region}:${owner}:${str(input, 'QueueName')}`, t);
  return { QueueUrl: queueUrl(world, q) };
};

const getQueueAttributes: JsonHandler = (ctx) => {
  const q = queueOf(ctx);
  const { t } = ctx;
  expire(q, t);
  const count = (state: string): string => String(q.messages.filter((m) => messageState(q, m, t) === state).length);
  const all: Record<string, string> = {
    QueueArn: queueArn(q),
    ApproximateNumberOfMessages: count('visible'),
    ApproximateNumberOfMessagesNotVisible: count('inFlight'),
    ApproximateNumberOfMessagesDelayed: count('delayed'),
    CreatedTimestamp: String(Math.floor(q.created / 1000)),
    LastModifiedTimestamp: String(Math.floor(q.lastModified / 1000)),
    ...Object.fromEntries(Object.entries(q.settings).map(([k, v]) => [k, String(v)])),
    SqsManagedSseEnabled: 'true',
    ...q.extra,
  };
  const names = Array.isArray(ctx.input.AttributeNames) ? ctx.input.AttributeNames.map(String) : [];
  const wanted = names.includes('All') ? Object.keys(all) : names;
  const Attributes = Object.fromEntries(wanted.filter((k) => all[k] !== undefined).map((k) => [k, all[k]]));
  return Object.keys(Attributes).length ? { Attributes } : {};
};

const deleteQueue: JsonHandler = (ctx) => {
  const q = queueOf(ctx);
  q.life.until = ctx.t;
  wakePollers(ctx.world);
  return undefined;
};

const sendMessage: JsonHandler = (ctx) => {
  const q = queueOf(ctx);
  const body = str(ctx.input, 'MessageBody');
  const delay = int(ctx.input, 'DelaySeconds', 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
  if (Buffer.byteLength(body) > q.settings.MaximumMessageSize) {
    throw invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${q.settings.MaximumMessageSize} bytes.`);
  }
  const m = enqueue(ctx.world, q, body, ctx.t, ctx.accessKeyId ?? 'anonymous', delay);
  return { MessageId: m.id, MD5OfMessageBody: m.md5 };
};

const SYSTEM_ATTRIBUTES = ['SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'];

function messageJson(m: MessageRecord, handle: string, wanted: string[]): JsonObject {
  const all: Record<string, string> = {
    SenderId: m.senderId,
    SentTimestamp: String(m.sentAt),
    ApproximateReceiveCount: String(m.receiveCount),
    ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt ?? m.sentAt),
  };
  const names = wanted.includes('All') ? SYSTEM_ATTRIBUTES : wanted.filter((n) => SYSTEM_ATTRIBUTES.includes(n));
  const attributes = Object.fromEntries(names.map((n) => [n, all[n]]));
  return { MessageId: m.id, ReceiptHandle: handle, MD5OfBody: m.md5, Body: m.body, ...(names.length ? { Attributes: attributes } : {}) };
}

const receiveMessage: JsonHandler = (ctx) => {
  const { input, world } = ctx;
  const q = queueOf(ctx);
  const max = int(input, 'MaxNumberOfMessages', 1, 10, 'Must be between 1 and 10, if provided.') ?? 1;
  const visibility = int(input, 'VisibilityTimeout', 0, 43_200, 'Must be >= 0 and <= 43200, if provided.') ?? q.settings.VisibilityTimeout;
  const wait = int(input, 'WaitTimeSeconds', 0, 20, 'Must be >= 0 and <= 20, if provided.') ?? q.settings.ReceiveMessageWaitTimeSeconds;
  const listed = [input.AttributeNames, input.MessageSystemAttributeNames].flatMap((v) => (Array.isArray(v) ? v.map(String) : []));
  const answer = (got: ReturnType<typeof take>): JsonObject => (got.length ? { Messages: got.map((g) => messageJson(g.message, g.handle, listed)) } : {});
  const first = take(q, max, visibility, ctx.t);
  if (first.length || wait === 0) return answer(first);
  return new Promise<JsonObject>((resolve) => {
    const done = (got: ReturnType<typeof take>): void => {
      clearTimeout(timer);
      clearInterval(tick);
      world.pollers.delete(poller);
      resolve(answer(got));
    };
    const poller: Poller = {
      wake: () => {
        const t = world.options.now();
        if (!findQueue(world, queueArn(q), t)) return done([]);
        const got = take(q, max, visibility, t);
        if (got.length) done(got);
      },
      cancel: () => done([]),
    };
    // Real time: the wait ends after WaitTimeSeconds; the tick notices a virtual clock that moved on.
    const timer = setTimeout(() => done([]), wait * 1000).unref();
    const tick = setInterval(() => poller.wake(), 100).unref();
    world.pollers.add(poller);
  });
};

const deleteMessage: JsonHandler = (ctx) => {
  const q = queueOf(ctx);
  const m = messageOf(q, str(ctx.input, 'ReceiptHandle'));
  if (m) q.messages.splice(q.messages.indexOf(m), 1);
  return undefined;
};

const changeMessageVisibility: JsonHandler = (ctx) => {
  const q = queueOf(ctx);
  const handle = str(ctx.input, 'ReceiptHandle');
  const seconds = int(ctx.input, 'VisibilityTimeout', 0, 43_200, 'Must be >= 0 and <= 43200, if provided.');
  if (seconds === undefined) throw missing('VisibilityTimeout');
  const m = messageOf(q, handle);
  if (!m || messageState(q, m, ctx.t) !== 'inFlight') {
    throw invalid(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
  }
  m.visibleAt = ctx.t + seconds * 1000;
  if (seconds === 0) wakePollers(ctx.world);
  return undefined;
};

const purgeQueue: JsonHandler = (ctx) => {
  const q = queueOf(ctx);
  const { t } = ctx;
  if (q.lastPurge !== undefined && t - q.lastPurge < 60_000) {
    throw new AwsError('AWS.SimpleQueueService.PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`, 403);
  }
  q.lastPurge = t;
  q.messages.splice(0, q.messages.length, ...q.messages.filter((m) => m.sentAt > t));
  return undefined;
};

/** The SQS service. */
export const sqs: JsonServiceDef = {
  name: 'sqs',
  targetPrefix: 'AmazonSQS',
  version: '1.0',
  faultStyle: 'query',
  queryCompatible: {
    namespace: 'com.amazonaws.sqs',
    shapes: {
      'AWS.SimpleQueueService.NonExistentQueue': 'QueueDoesNotExist',
      QueueAlreadyExists: 'QueueNameExists',
      'AWS.SimpleQueueService.QueueDeletedRecently': 'QueueDeletedRecently',
      'AWS.SimpleQueueService.PurgeQueueInProgress': 'PurgeQueueInProgress',
      'AWS.SimpleQueueService.UnsupportedOperation': 'UnsupportedOperation',
    },
  },
  actions: {
    CreateQueue: createQueue,
    GetQueueUrl: getQueueUrl,
    GetQueueAttributes: getQueueAttributes,
    DeleteQueue: deleteQueue,
    SendMessage: sendMessage,
    ReceiveMessage: receiveMessage,
    DeleteMessage: deleteMessage,
    ChangeMessageVisibility: changeMessageVisibility,
    PurgeQueue: purgeQueue,
  },
};
