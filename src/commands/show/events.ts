import type { StackApi, StackDescription, StackEvent } from '../../aws/stack-api.js';
import { isAwsFailure } from '../../aws/errors.js';
import type { Clock } from '../../cli/context.js';
import { formatTable, formatTime } from '../../cli/output.js';
import { resourceLabels } from '../../cluster/render.js';
import { type StackOperation, groupOperations, readsEnough } from '../../deploy/operations.js';
import { formatDuration, labelOf } from '../../deploy/progress-view.js';

/** How many operations `show --events` lists: the latest ten (events are read only as far back as they need). */
export const OPERATIONS_SHOWN = 10;

/** Why an operation failed: its first failed resource and the reason CloudFormation gave. */
export interface OperationCause {
  logicalId: string;
  /** What the resource is, for people ("load balancer"); `cluster N` for the stack itself. */
  resource: string;
  type: string;
  status: string;
  reason: string | null;
  time: string;
}

/** One operation of `show --events` (`-o json` contract). */
export interface OperationSummary {
  kind: StackOperation['kind'];
  status: string;
  outcome: StackOperation['outcome'];
  started: string;
  ended: string | null;
  durationSeconds: number | null;
  clientRequestToken: string | null;
  cause: OperationCause | null;
}

/** What `show --events` prints (`-o json` contract). */
export interface ClusterOperations {
  name: string;
  region: string;
  stackId: string;
  status: string;
  /** Newest first. */
  operations: OperationSummary[];
  /** True when the stack has older operations than those listed. */
  truncated: boolean;
}

/** AWS text is shown on one line, without control characters that could drive the terminal. */
// eslint-disable-next-line no-control-regex
const oneLine = (text: string): string => text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

function causeOf(e: StackEvent, labels: Readonly<Record<string, string>>): OperationCause {
  return { logicalId: e.logicalId, resource: labelOf(e, labels), type: e.type, status: e.status, reason: e.reason ? oneLine(e.reason) : null, time: new Date(e.timestamp).toISOString() };
}

function summarise(op: StackOperation, labels: Readonly<Record<string, string>>): OperationSummary {
  return {
    kind: op.kind,
    status: op.status,
    outcome: op.outcome,
    started: new Date(op.started).toISOString(),
    ended: op.ended !== undefined ? new Date(op.ended).toISOString() : null,
    durationSeconds: op.ended !== undefined ? Math.round((op.ended - op.started) / 1000) : null,
    clientRequestToken: op.token ?? null,
    cause: op.cause ? causeOf(op.cause, labels) : null,
  };
}

/** Reads events newest first (retrying a throttled or failed read twice): a read starts over, so it stays a few calls. */
async function readEvents(stacks: StackApi, stackId: string, clock: Clock): Promise<StackEvent[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await stacks.recentEvents(stackId, readsEnough(OPERATIONS_SHOWN));
    } catch (error) {
      if (attempt >= 3 || !isAwsFailure(error) || !error.retryable) throw error;
      await clock.sleep(1000 * 2 ** attempt);
    }
  }
}

/**
 * The cluster's latest operations, newest first, each with the root cause of its failure. Reads the
 * stack's events (one DescribeStackEvents call per 100 events) back to the start of the
 * {@link OPERATIONS_SHOWN}th latest operation, no further.
 */
export async function readOperations(stacks: StackApi, stack: StackDescription, region: string, clock: Clock): Promise<ClusterOperations> {
  const history = groupOperations(await readEvents(stacks, stack.id, clock), OPERATIONS_SHOWN);
  const labels = resourceLabels();
  return { name: stack.name, region, stackId: stack.id, status: stack.status, operations: history.operations.map((op) => summarise(op, labels)), truncated: history.truncated };
}

const causeText = (c: OperationCause | null): string => (c ? `${c.resource} (${c.logicalId}) ${c.status}: ${c.reason ?? 'no reason given'}` : '');

/** The operations as a table: one row each, the cause of a failure in the last column. */
export function renderOperations(d: ClusterOperations, tty: boolean): string {
  if (d.operations.length === 0) return '';
  return formatTable(
    ['STARTED', 'KIND', 'STATUS', 'DURATION', 'CAUSE'],
    d.operations.map((op) => [
      formatTime(Date.parse(op.started), tty),
      op.kind,
      op.status,
      op.durationSeconds === null ? 'running' : formatDuration(op.durationSeconds * 1000),
      causeText(op.cause),
    ]),
    tty,
  );
}
