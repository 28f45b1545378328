/**
 * CloudFormation `SignalResource`: what a node sends when it has booted (or failed to). Accepted
 * signals are recorded and add a resource event, as CloudFormation's do ("Received SUCCESS signal
 * with UniqueId i-…"). They do not change the stack's timeline: the fake does not model
 * `CreationPolicy` or `WaitOnResourceSignals` (use `scenario.failNextCreate` for a failing node).
 */
import { required } from './cloudformation-input.js';
import { validationError } from './errors.js';
import { uuid } from './ids.js';
import type { Handler } from './service.js';
import type { Stack, StackEvent } from './stack.js';

/** One accepted signal. */
export interface SignalRecord {
  stackId: string;
  stackName: string;
  logicalResourceId: string;
  uniqueId: string;
  status: 'SUCCESS' | 'FAILURE';
  /** `now()` when it arrived. */
  at: number;
}

/** Stack statuses in which CloudFormation may be waiting for signals; in any other it refuses them. */
export const SIGNALABLE_STATUSES = ['CREATE_IN_PROGRESS', 'UPDATE_IN_PROGRESS', 'UPDATE_ROLLBACK_IN_PROGRESS'];

/** Adds the "Received … signal" event of a resource that has started by `t`, after the events that happened by then. */
function addSignalEvent(stack: Stack, logicalId: string, reason: string, t: number): void {
  const state = stack.resources(t).find((r) => r.logicalId === logicalId);
  if (!state) return;
  const event: StackEvent = {
    eventId: uuid(),
    stackId: stack.id,
    stackName: stack.name,
    logicalId,
    physicalId: state.physicalId,
    type: state.type,
    status: state.status,
    reason,
    token: stack.clientRequestToken,
    ts: t,
    cancelled: false,
    tracksResource: true,
  };
  const at = stack.events.findIndex((e) => e.ts > t);
  stack.events.splice(at < 0 ? stack.events.length : at, 0, event);
}

const signalResource: Handler = ({ params, t, world }) => {
  const name = required(params, 'StackName');
  const logicalId = required(params, 'LogicalResourceId');
  const uniqueId = required(params, 'UniqueId');
  const status = required(params, 'Status');
  if (uniqueId.length > 64) {
    throw validationError(`1 validation error detected: Value '${uniqueId}' at 'uniqueId' failed to satisfy constraint: Member must have length less than or equal to 64`);
  }
  if (status !== 'SUCCESS' && status !== 'FAILURE') {
    throw validationError(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [SUCCESS, FAILURE]`);
  }
  const stack = world.findStack(name, t);
  if (!stack || !stack.isLive(t)) throw validationError(`Stack with id ${name} does not exist`);
  if (!Object.hasOwn(stack.config.template.Resources, logicalId)) throw validationError(`Resource ${logicalId} does not exist for stack ${stack.name}`);
  const stackStatus = stack.status(t);
  if (!SIGNALABLE_STATUSES.includes(stackStatus)) throw validationError(`Stack ${stack.id} is in ${stackStatus} state and cannot be signaled`);
  world.signals.push({ stackId: stack.id, stackName: stack.name, logicalResourceId: logicalId, uniqueId, status, at: t });
  addSignalEvent(stack, logicalId, `Received ${status} signal with UniqueId ${uniqueId}`, t);
  return {};
};

/** The signal action of the CloudFormation service. */
export const cloudFormationSignalActions: Record<string, Handler> = { SignalResource: signalResource };
