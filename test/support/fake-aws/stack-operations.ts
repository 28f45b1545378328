/** Creating and deleting stacks: the event schedules of CreateStack and DeleteStack. */
import { Scheduler, type Placed } from './scheduler.js';
import { creationProblem } from './stack-artifacts.js';
import { StackEval } from './stack-eval.js';
import type { Operation, Stack } from './stack.js';
import type { World } from './world.js';

/**
 * Schedules a create from `t`: each resource in template order, then the stack's completion;
 * or, with `failNextCreate` or a resource that cannot be created (`creationProblem`), the failure
 * and the rollback (or delete) that follows.
 */
export function scheduleCreate(world: World, stack: Stack, t: number, token: string | undefined): void {
  const op: Operation = { kind: 'CREATE', token, startedAt: t, outputs: [] };
  stack.ops.push(op);
  const s = new Scheduler(world, stack, t, token);
  const evaluation = new StackEval(world, stack, stack.config);
  const resources = evaluation.resources();
  for (const r of resources) evaluation.assignNew(r);
  const fail = world.scenario.failCreate;
  const failRollback = fail ? world.scenario.failRollback : undefined;
  delete world.scenario.failCreate;
  if (fail) delete world.scenario.failRollback;

  s.stackEvent('CREATE_IN_PROGRESS', 'User Initiated');
  const created: Placed[] = [];
  for (const r of resources) {
    const placed: Placed = { logicalId: r.logicalId, type: r.type, physicalId: evaluation.physical.get(r.logicalId) ?? '' };
    const started = s.resourceEvent(placed, 'CREATE_IN_PROGRESS', 'Resource creation Initiated');
    created.push(placed);
    const problem = fail?.logicalId === r.logicalId ? fail.reason : creationProblem(world, stack, evaluation, r, started.ts);
    if (problem !== undefined) {
      s.resourceEvent(placed, 'CREATE_FAILED', problem);
      rollBackCreate(s, stack, created.reverse(), r.logicalId, failRollback?.logicalId);
      return;
    }
    s.resourceUp(evaluation, r, s.resourceEvent(placed, 'CREATE_COMPLETE'));
  }
  op.success = s.stackEvent('CREATE_COMPLETE');
  op.outputs = evaluation.outputs();
}

function rollBackCreate(s: Scheduler, stack: Stack, created: Placed[], failed: string, failRollbackAt: string | undefined): void {
  const why = `The following resource(s) failed to create: [${failed}]. `;
  if (stack.onFailure === 'DO_NOTHING') {
    s.stackEvent('CREATE_FAILED', why);
    return;
  }
  if (stack.onFailure === 'DELETE') {
    s.stackEvent('DELETE_IN_PROGRESS', `${why}Delete requested by user.`);
    s.deleteAll(created, true);
    s.stackEvent('DELETE_COMPLETE');
    return;
  }
  s.stackEvent('ROLLBACK_IN_PROGRESS', `${why}Rollback requested by user.`);
  const failAt = failRollbackAt ? { logicalId: failRollbackAt, reason: 'Resource handler returned message: "Rollback failed (simulated)"' } : undefined;
  const notDeleted = s.deleteAll(created, true, failAt);
  if (notDeleted) s.stackEvent('ROLLBACK_FAILED', `The following resource(s) failed to delete: [${notDeleted}]. `);
  else s.stackEvent('ROLLBACK_COMPLETE');
}

/**
 * Schedules a delete from `t`. An operation still in progress stops where it is; the resources
 * that exist (or are being created) at `t` are deleted in reverse order.
 */
export function scheduleDelete(world: World, stack: Stack, t: number, token: string | undefined): void {
  stack.truncate(t);
  const op: Operation = { kind: 'DELETE', token, startedAt: t, outputs: [] };
  stack.ops.push(op);
  const s = new Scheduler(world, stack, t, token);
  const existing = stack.liveResources(t).reverse();
  const fail = world.scenario.failDelete;
  delete world.scenario.failDelete;
  s.stackEvent('DELETE_IN_PROGRESS', 'User Initiated');
  const failed = s.deleteAll(existing, false, fail);
  if (failed) {
    s.stackEvent('DELETE_FAILED', `The following resource(s) failed to delete: [${failed}]. `);
    return;
  }
  op.success = s.stackEvent('DELETE_COMPLETE');
}
