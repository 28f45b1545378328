import type { StackEvent } from '../aws/stack-api.js';

/** How a stack status ends an operation. */
export type Outcome = 'in-progress' | 'succeeded' | 'rolled-back' | 'needs-action';

const ROLLED_BACK = new Set(['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE']);

/**
 * Classifies a stack status by its exact value (the 2016 tool matched substrings, so
 * `UPDATE_COMPLETE_CLEANUP_IN_PROGRESS` counted as a failure).
 */
export function classifyStatus(status: string): Outcome {
  if (status.endsWith('_IN_PROGRESS')) return 'in-progress';
  if (ROLLED_BACK.has(status)) return 'rolled-back';
  if (status.endsWith('_COMPLETE')) return 'succeeded';
  return 'needs-action'; // *_FAILED: ROLLBACK_FAILED, DELETE_FAILED, UPDATE_ROLLBACK_FAILED, CREATE_FAILED…
}

/** True for the events CloudFormation writes about the stack itself rather than one of its resources. */
export const isStackEvent = (e: StackEvent): boolean => e.type === 'AWS::CloudFormation::Stack' && e.logicalId === e.stackName;

const RESOURCE_DONE = /_(COMPLETE|FAILED|SKIPPED)$/;

/** True when a resource event is final for that resource (complete, failed or skipped). */
export const isResourceSettled = (status: string): boolean => RESOURCE_DONE.test(status);

/** The statuses that begin an operation on a stack. */
const OPERATION_STARTS = new Set(['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'DELETE_IN_PROGRESS', 'IMPORT_IN_PROGRESS', 'REVIEW_IN_PROGRESS']);
export const startsOperation = (e: StackEvent): boolean => isStackEvent(e) && OPERATION_STARTS.has(e.status);
