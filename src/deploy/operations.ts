import type { StackEvent } from '../aws/stack-api.js';
import { rootCause } from './event-filter.js';
import { type Outcome, classifyStatus, isStackEvent, startsOperation } from './status.js';

/** What an operation did to the stack, named by the stack event that began it. */
export type OperationName = 'create' | 'update' | 'delete' | 'import';

/** One operation on a stack (a create, an update, a delete), rollback included, read from its events. */
export interface StackOperation {
  kind: OperationName;
  /** Time (ms) of the stack event that began it. */
  started: number;
  /** Time (ms) of its final stack event; undefined while it runs. */
  ended?: number;
  /** The stack status it left (or is in): `UPDATE_COMPLETE`, `ROLLBACK_COMPLETE`, `DELETE_FAILED`… */
  status: string;
  outcome: Outcome;
  /** The ClientRequestToken of its first event, when the endpoint stamps tokens. */
  token?: string;
  /**
   * Why it failed: its earliest failed resource with a real reason (not the "Resource creation
   * cancelled" cascade that follows), else the stack's own reason for rolling back. Only for
   * operations that did not succeed.
   */
  cause?: StackEvent;
}

/** The operations found in events, newest first, and whether older ones exist that are not among them. */
export interface OperationHistory {
  operations: StackOperation[];
  /** True when the stack has operations older than those listed (the limit, or events not read). */
  truncated: boolean;
}

const KINDS: Record<string, OperationName> = {
  CREATE_IN_PROGRESS: 'create',
  REVIEW_IN_PROGRESS: 'create', // a stack created from a change set: CREATE_IN_PROGRESS follows
  UPDATE_IN_PROGRESS: 'update',
  DELETE_IN_PROGRESS: 'delete',
  IMPORT_IN_PROGRESS: 'import',
};

const ROLLING_BACK = new Set(['ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS', 'IMPORT_ROLLBACK_IN_PROGRESS']);

/** The cause of a failed operation, from its events oldest first. */
function causeOf(events: readonly StackEvent[]): StackEvent | undefined {
  return rootCause(events) ?? events.find((e) => isStackEvent(e) && ROLLING_BACK.has(e.status) && e.reason);
}

interface Building {
  op: StackOperation;
  events: StackEvent[];
}

/**
 * Groups a stack's events (newest first, as DescribeStackEvents pages them) into its operations,
 * newest first, at most `limit`. An operation begins with a stack event that starts one
 * (`CREATE_IN_PROGRESS`, `UPDATE_IN_PROGRESS`, `DELETE_IN_PROGRESS`…) and holds every later event up
 * to the next start, its rollback included: operations on a stack never overlap. Events older than the
 * oldest start read belong to an operation whose beginning was not read: they are left out. Pure.
 */
export function groupOperations(newestFirst: readonly StackEvent[], limit = Number.POSITIVE_INFINITY): OperationHistory {
  const built: Building[] = [];
  let orphans = false;
  for (const e of [...newestFirst].reverse()) {
    const current = built[built.length - 1];
    const continuesReview = current?.op.status === 'REVIEW_IN_PROGRESS' && e.status === 'CREATE_IN_PROGRESS';
    if (startsOperation(e) && !continuesReview) {
      const op: StackOperation = { kind: KINDS[e.status] ?? 'update', started: e.timestamp, status: e.status, outcome: 'in-progress', ...(e.token ? { token: e.token } : {}) };
      built.push({ op, events: [e] });
      continue;
    }
    if (!current) {
      orphans = true;
      continue;
    }
    current.events.push(e);
    if (!isStackEvent(e)) continue;
    current.op.status = e.status;
    current.op.outcome = classifyStatus(e.status);
    if (current.op.outcome === 'in-progress') delete current.op.ended;
    else current.op.ended = e.timestamp;
  }
  const operations = built.map(({ op, events }) => {
    const cause = op.outcome === 'succeeded' ? undefined : causeOf(events);
    return cause ? { ...op, cause } : op;
  });
  const listed = operations.slice(Math.max(0, operations.length - limit)).reverse();
  const oldest = listed[listed.length - 1];
  const truncated = orphans || listed.length < operations.length || (oldest !== undefined && oldest.kind !== 'create');
  return { operations: listed, truncated };
}

/**
 * When paging back through events (newest first) can stop: once the starts of `limit` operations have
 * been read, every event of those operations has been (they are newer than their start).
 */
export function readsEnough(limit: number): (e: StackEvent) => boolean {
  const starts = new Set<string>();
  return (e) => {
    if (startsOperation(e)) starts.add(e.id);
    return starts.size >= limit;
  };
}
