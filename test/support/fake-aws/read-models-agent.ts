/**
 * What tests read back of what a node agent does with the fake: the metrics it put, the queues it
 * reads and the lifecycle actions it heartbeats and completes (all as of `now()`).
 */
import type { MetricRecord } from './cloudwatch.js';
import { terminationEnd } from './fleet.js';
import { expire, findQueue, messageState, queueArn, queueUrl } from './sqs-queues.js';
import type { World } from './world.js';

/** One datum of an accepted PutMetricData call, as the fake recorded it. */
export type FakeMetric = MetricRecord;

/** A message of a queue. */
export interface FakeQueueMessage {
  messageId: string;
  body: string;
  /** `visible`: receivable; `inFlight`: received, its visibility timeout running; `delayed`: sent with a delay not over yet. */
  state: 'visible' | 'inFlight' | 'delayed';
  receiveCount: number;
  sentAt: number;
  /** When it becomes (or became) receivable. */
  visibleAt: number;
}

/** A queue and its messages, oldest first. */
export interface FakeQueue {
  name: string;
  url: string;
  arn: string;
  visibilityTimeoutS: number;
  messages: FakeQueueMessage[];
}

/** One lifecycle action as tests see it. */
export interface FakeLifecycleAction {
  group: string;
  instanceId: string;
  hook: string;
  token: string;
  startedAt: number;
  /** Accepted RecordLifecycleActionHeartbeat calls. */
  heartbeats: number;
  /** When the wait times out, as of `now()` (heartbeats move it; the global timeout caps it). */
  deadline: number;
  /** CompleteLifecycleAction's result, or the hook's default result once the wait timed out. */
  result?: 'CONTINUE' | 'ABANDON';
  /** When CompleteLifecycleAction ended the wait. */
  completedAt?: number;
  timedOut: boolean;
}

/** Accepted metric data, oldest first; with `namespace`, only that namespace's. */
export function metricsView(world: World, namespace?: string): FakeMetric[] {
  return world.metrics
    .filter((m) => namespace === undefined || m.namespace === namespace)
    .map((m) => ({
      ...m,
      dimensions: { ...m.dimensions },
      ...(m.values ? { values: [...m.values] } : {}),
      ...(m.counts ? { counts: [...m.counts] } : {}),
      ...(m.statisticValues ? { statisticValues: { ...m.statisticValues } } : {}),
    }));
}

/** The live queue a name, URL or ARN names at `t`; throws when there is none. */
export function queueView(world: World, ref: string, t: number): FakeQueue {
  const q = findQueue(world, ref, t);
  if (!q) throw new Error(`fake-aws: no queue ${ref}`);
  expire(q, t);
  return {
    name: q.name,
    url: queueUrl(world, q),
    arn: queueArn(q),
    visibilityTimeoutS: q.settings.VisibilityTimeout,
    messages: q.messages.map((m) => ({
      messageId: m.id,
      body: m.body,
      state: messageState(q, m, t) as FakeQueueMessage['state'],
      receiveCount: m.receiveCount,
      sentAt: m.sentAt,
      visibleAt: m.visibleAt,
    })),
  };
}

/** Every action started, oldest first, as of `t`. */
export function lifecycleActionsView(world: World, t: number): FakeLifecycleAction[] {
  return world.lifecycleActions.map((a) => {
    const end = terminationEnd(a, t);
    return {
      group: a.group,
      instanceId: a.instanceId,
      hook: a.hook,
      token: a.token,
      startedAt: a.startedAt,
      heartbeats: a.heartbeats,
      deadline: Math.min(a.deadline, a.globalDeadline),
      ...(end ? { result: end.result } : {}),
      ...(end && !end.timedOut ? { completedAt: end.at } : {}),
      timedOut: end?.timedOut ?? false,
    };
  });
}
