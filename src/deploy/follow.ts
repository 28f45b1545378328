import type { Clock } from '../cli/context.js';
import { isAwsFailure } from '../aws/errors.js';
import type { StackApi, StackEvent } from '../aws/stack-api.js';
import { type OperationCursor, ResourceTracker, reachedKnown, selectNew } from './event-filter.js';
import { CallBudget, nextBackoff, nextPollDelay, type Pace } from './pace.js';
import type { ProgressView } from './progress-view.js';
import { classifyStatus, isStackEvent, type Outcome } from './status.js';

/** What following an operation ended with. */
export type FollowResult =
  | { kind: 'finished'; status: string; outcome: Exclude<Outcome, 'in-progress'>; events: StackEvent[]; statusReason?: string }
  | { kind: 'timeout'; events: StackEvent[] }
  | { kind: 'interrupted'; events: StackEvent[] };

export interface FollowOptions {
  stacks: StackApi;
  stackId: string;
  /** The stack's name, as its own events name it (else taken from them). */
  stackName?: string;
  cursor: OperationCursor;
  clock: Clock;
  view: ProgressView;
  pace: Pace;
  /** Resources the operation is expected to touch, when known (for "N/M resources"). */
  total?: number;
  /** Absolute time (ms) when the client stops waiting. */
  deadline?: number;
  /** Aborted on Ctrl-C or SIGTERM. */
  signal?: AbortSignal;
  random?: () => number;
  /** Events already shown by an earlier follow of the same operation (after "keep waiting"). */
  previous?: StackEvent[];
}

const HEARTBEAT_MS = 30_000;
/** The stack's status (DescribeStacks) is read at least this often, whatever the events say. */
export const STATUS_EVERY_MS = 60_000;
const TICK_MS = 1000;

/**
 * Follows one operation to its end: polls the stack's events on the budget of `pace.ts`, hands this
 * operation's new events to the view, and backs off on throttling or dropped connections without ever
 * failing the operation for them. Other AWS failures (expired credentials, access denied) are thrown.
 * Once a minute the poll reads the stack's status instead: a final status ends the follow (after one
 * more read of the events) even when no final event of this operation shows, as with endpoints that
 * stamp no tokens or wrong ones.
 */
export async function follow(o: FollowOptions): Promise<FollowResult> {
  const random = o.random ?? Math.random;
  const start = o.clock.now();
  const budget = new CallBudget(start);
  const tracker = new ResourceTracker(o.total);
  const events: StackEvent[] = [...(o.previous ?? [])];
  for (const e of events) tracker.apply(e);
  let backoff = 0;
  let interval = 0;
  let lastLine = start;
  let warned = false;
  let statusReadAt = start;
  /** A final status read from DescribeStacks: the follow ends after the next read of the events. */
  let final: { status: string; reason?: string } | undefined;

  for (;;) {
    if (o.signal?.aborted) return { kind: 'interrupted', events };
    const now = o.clock.now();
    if (o.deadline !== undefined && now >= o.deadline) return { kind: 'timeout', events };

    let page: StackEvent[] = [];
    const readStatus = final === undefined && backoff === 0 && now - statusReadAt >= STATUS_EVERY_MS;
    let readEvents = false;
    try {
      budget.record(now);
      if (readStatus) {
        const stack = await o.stacks.describe(o.stackId);
        statusReadAt = now;
        const status = stack?.status ?? 'DELETE_COMPLETE'; // a stack that is gone was deleted
        if (classifyStatus(status) !== 'in-progress') final = { status, ...(stack?.statusReason ? { reason: stack.statusReason } : {}) };
      } else {
        readEvents = true;
        page = await o.stacks.recentEvents(o.stackId, reachedKnown(o.cursor));
      }
      backoff = 0;
    } catch (error) {
      if (!isAwsFailure(error) || !error.retryable) throw error;
      backoff = nextBackoff(backoff, interval || nextPollDelay({ elapsed: now - start, pace: o.pace, nearlyDone: false, backoff: 0, random: 0 }));
      if (!warned) o.view.notice(`${error.kind === 'throttled' ? 'AWS is throttling requests' : `AWS did not answer (${error.code})`}; retrying in ${Math.round(backoff / 1000)} s`);
      warned = true;
    }

    for (const e of selectNew(page, o.cursor)) {
      o.cursor.seen.add(e.id);
      events.push(e);
      tracker.apply(e);
      o.view.event(e, tracker.progress());
      lastLine = o.clock.now();
      if (isStackEvent(e)) {
        const outcome = classifyStatus(e.status);
        if (outcome !== 'in-progress') {
          return { kind: 'finished', status: e.status, outcome, events, ...(e.reason ? { statusReason: e.reason } : {}) };
        }
      }
    }
    if (backoff === 0) warned = false;
    // The status says the operation is over and the events have been read once more (or cannot be),
    // or every resource had already settled: only the stack's own final event is missing.
    if (final && (readEvents || backoff > 0 || tracker.nearlyDone())) {
      // The view shows the final status as the stack's final event would have.
      const stackName = o.stackName ?? events.find(isStackEvent)?.stackName ?? o.stackId;
      const last: StackEvent = { id: `status:${final.status}:${o.clock.now()}`, stackId: o.stackId, stackName, logicalId: stackName, type: 'AWS::CloudFormation::Stack', status: final.status, timestamp: o.clock.now(), ...(final.reason ? { reason: final.reason } : {}) };
      events.push(last);
      o.view.event(last, tracker.progress());
      const outcome = classifyStatus(final.status) as Exclude<Outcome, 'in-progress'>;
      return { kind: 'finished', status: final.status, outcome, events, ...(final.reason ? { statusReason: final.reason } : {}) };
    }

    const after = o.clock.now();
    const delay = nextPollDelay({ elapsed: after - start, pace: o.pace, nearlyDone: final !== undefined || tracker.nearlyDone(), backoff, random: random() });
    if (backoff === 0) interval = delay;
    let wakeAt = budget.earliestCall(after + delay);
    if (o.deadline !== undefined) wakeAt = Math.min(wakeAt, o.deadline);
    // Sleep in slices so the heartbeat keeps its 30 s promise and Ctrl-C is noticed at once.
    while (!o.signal?.aborted) {
      const t = o.clock.now();
      if (t >= wakeAt) break;
      if (t - lastLine >= HEARTBEAT_MS) {
        o.view.heartbeat(tracker.progress(), t - start);
        lastLine = t;
      }
      let until = Math.min(wakeAt, lastLine + HEARTBEAT_MS);
      if (o.view.tick) until = Math.min(until, start + (Math.floor((t - start) / TICK_MS) + 1) * TICK_MS);
      await o.clock.sleep(until - t, o.signal);
      if (!o.signal?.aborted) o.view.tick?.();
    }
    if (o.clock.now() - lastLine >= HEARTBEAT_MS) {
      o.view.heartbeat(tracker.progress(), o.clock.now() - start);
      lastLine = o.clock.now();
    }
  }
}
