import type { StackEvent } from '../aws/stack-api.js';
import { isResourceSettled, isStackEvent, startsOperation } from './status.js';

/** Which operation is followed, and what has been seen of it. */
export interface OperationCursor {
  /** The operation's ClientRequestToken; every event of the operation carries it where the endpoint stamps tokens. */
  token?: string;
  /** The time (ms) the operation started: events without a token belong when at or after it. */
  since: number;
  seen: Set<string>;
}

/**
 * True when an event belongs to the followed operation: by its token when both the operation and the
 * event have one (CloudFormation stamps every event of an operation started with a token), else by
 * time: at or after the operation's start (endpoints that do not stamp tokens, such as LocalStack-style
 * emulators, and operations started without one).
 */
export function belongs(e: StackEvent, cursor: OperationCursor): boolean {
  return cursor.token !== undefined && e.token !== undefined ? e.token === cursor.token : e.timestamp >= cursor.since;
}

/**
 * When paging back through events (newest first) can stop: at an event already seen, or at one of an
 * earlier operation (operations on a stack never overlap, so everything older is older still).
 */
export const reachedKnown = (cursor: OperationCursor) => (e: StackEvent): boolean => cursor.seen.has(e.id) || !belongs(e, cursor);

/** The events of this operation not seen before, oldest first. Pure; marks nothing as seen. */
export function selectNew(newestFirst: readonly StackEvent[], cursor: OperationCursor): StackEvent[] {
  const fresh: StackEvent[] = [];
  for (const e of newestFirst) {
    if (cursor.seen.has(e.id) || !belongs(e, cursor)) break;
    fresh.push(e);
  }
  return fresh.reverse();
}

/**
 * Finds the operation in progress (or the last one) from recent events, newest first: the latest
 * stack event that starts an operation. Used by `show --wait`, which did not start it.
 */
export function findOperationStart(newestFirst: readonly StackEvent[]): OperationCursor | undefined {
  const start = newestFirst.find(startsOperation);
  if (!start) return undefined;
  return { ...(start.token ? { token: start.token } : {}), since: start.timestamp, seen: new Set() };
}

/**
 * The root cause of a failed operation: its earliest failed resource with a real reason (resources
 * merely "cancelled" because another one failed come later and say nothing useful).
 */
export function rootCause(events: readonly StackEvent[]): StackEvent | undefined {
  const failed = events.filter((e) => e.status.endsWith('_FAILED') && !isStackEvent(e));
  return failed.find((e) => !/cancell?ed/i.test(e.reason ?? '')) ?? failed[0] ?? events.find((e) => isStackEvent(e) && e.status.endsWith('_FAILED'));
}

/** Counts of the resources an operation has touched. */
export interface Progress {
  done: number;
  inProgress: number;
  total?: number;
}

/** Folds events (oldest first) into the latest status of each resource. */
export class ResourceTracker {
  private readonly latest = new Map<string, string>();
  constructor(private readonly total?: number) {}

  apply(e: StackEvent): void {
    if (!isStackEvent(e)) this.latest.set(e.logicalId, e.status);
  }

  progress(): Progress {
    let done = 0;
    let inProgress = 0;
    for (const status of this.latest.values()) {
      if (isResourceSettled(status)) done++;
      else inProgress++;
    }
    const total = this.total !== undefined ? Math.max(this.total, this.latest.size) : undefined;
    return { done, inProgress, ...(total !== undefined ? { total } : {}) };
  }

  /** Every resource seen has settled, and all of them when the total is known: the final event is near. */
  nearlyDone(): boolean {
    const p = this.progress();
    return p.done > 0 && p.inProgress === 0 && (p.total === undefined || p.done >= p.total);
  }
}
