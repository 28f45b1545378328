/**
 * Change sets. A change set is computed when it is created and becomes `CREATE_COMPLETE` one step
 * later (lazily, like stack events); executing it runs a create or an update of its stack.
 */
import type { ResourceChange } from './stack-diff.js';
import type { Stack, StackConfig } from './stack.js';

/** One change set. */
export interface ChangeSet {
  id: string;
  name: string;
  stack: Stack;
  type: 'CREATE' | 'UPDATE';
  createdAt: number;
  readyAt: number;
  config: StackConfig;
  changes: ResourceChange[];
  /** `FAILED` when it changes nothing. */
  failedReason?: string;
  description?: string;
  executedAt?: number;
  /** Set when another change set of the stack was executed. */
  obsoleteAt?: number;
}

/** `Status` at `t`. */
export function changeSetStatus(cs: ChangeSet, t: number): string {
  if (t < cs.readyAt) return 'CREATE_IN_PROGRESS';
  return cs.failedReason ? 'FAILED' : 'CREATE_COMPLETE';
}

/** `ExecutionStatus` at `t`. */
export function executionStatus(cs: ChangeSet, t: number): string {
  if (cs.executedAt !== undefined && cs.executedAt <= t) {
    const status = cs.stack.status(t);
    if (status.endsWith('_IN_PROGRESS')) return 'EXECUTE_IN_PROGRESS';
    return status === 'CREATE_COMPLETE' || status === 'UPDATE_COMPLETE' ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
  }
  if (cs.obsoleteAt !== undefined && cs.obsoleteAt <= t) return 'OBSOLETE';
  return changeSetStatus(cs, t) === 'CREATE_COMPLETE' ? 'AVAILABLE' : 'UNAVAILABLE';
}
