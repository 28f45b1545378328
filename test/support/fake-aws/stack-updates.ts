/**
 * Updating stacks: UpdateStack / ExecuteChangeSet schedules, their rollback on failure
 * (`failNextUpdate`) and CancelUpdateStack.
 *
 * Timeline: `UPDATE_IN_PROGRESS`; for each added or modified resource in template order its
 * `*_IN_PROGRESS` / `*_COMPLETE` pair (a replacement gets a new physical id); then
 * `UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`, the deletion of replaced (`DELETE_SKIPPED` with
 * `UpdateReplacePolicy: Retain`) and removed resources, and
 * `UPDATE_COMPLETE`. An Auto Scaling group modified in place replaces all its instances when its
 * `UPDATE_COMPLETE` happens (the "rolling" update, reduced to one step).
 */
import { Scheduler, type Placed } from './scheduler.js';
import { creationProblem } from './stack-artifacts.js';
import type { ResourceChange } from './stack-diff.js';
import { StackEval, type ActiveResource } from './stack-eval.js';
import { happened, type Operation, type Stack, type StackConfig, type StackEvent } from './stack.js';
import type { World } from './world.js';

const REPLACING = 'Requested update requires the creation of a new physical resource; hence creating one.';

interface Touched {
  change: ResourceChange;
  resource: ActiveResource;
  placed: Placed;
  oldPhysicalId?: string;
  started: StackEvent;
  done?: StackEvent;
}

/** An update operation, with what CancelUpdateStack needs to roll it back. */
export interface UpdateOperation extends Operation {
  previous: StackConfig;
  touched: Touched[];
}

/** Live physical ids by logical id at `t`. */
function physicalIds(stack: Stack, t: number): Map<string, string> {
  return new Map(stack.liveResources(t).map((r) => [r.logicalId, r.physicalId]));
}

/** Schedules an update of `stack` to `next` from `t`, given the changes computed by `diffStack`. */
export function scheduleUpdate(world: World, stack: Stack, t: number, next: StackConfig, changes: ResourceChange[], token: string | undefined): void {
  const previous = stack.config;
  const previousOutputs = stack.outputs(t);
  const op: UpdateOperation = { kind: 'UPDATE', token, startedAt: t, outputs: [], previous, touched: [] };
  stack.ops.push(op);
  stack.config = next;
  const s = new Scheduler(world, stack, t, token);
  const evaluation = new StackEval(world, stack, next, physicalIds(stack, t));
  const byId = new Map(changes.map((c) => [c.logicalId, c]));
  const fail = world.scenario.failUpdate;
  delete world.scenario.failUpdate;

  s.stackEvent('UPDATE_IN_PROGRESS', 'User Initiated');
  for (const r of evaluation.resources()) {
    const change = byId.get(r.logicalId);
    if (!change || change.action === 'Remove') continue;
    const oldPhysicalId = evaluation.physical.get(r.logicalId);
    const replacing = change.action === 'Modify' && change.replacement === 'True';
    if (change.action === 'Add' || replacing) evaluation.assignNew(r);
    else if (r.type === 'AWS::EC2::LaunchTemplate' && oldPhysicalId) stack.templateVersions.set(oldPhysicalId, (stack.templateVersions.get(oldPhysicalId) ?? 1) + 1);
    const placed: Placed = { logicalId: r.logicalId, type: r.type, physicalId: evaluation.physical.get(r.logicalId) ?? '' };
    const verb = change.action === 'Add' ? 'CREATE' : 'UPDATE';
    const why = change.action === 'Add' ? 'Resource creation Initiated' : replacing ? REPLACING : undefined;
    const touched: Touched = { change, resource: r, placed, oldPhysicalId, started: s.resourceEvent(placed, `${verb}_IN_PROGRESS`, why) };
    op.touched.push(touched);
    const problem = fail?.logicalId === r.logicalId ? fail.reason : creationProblem(world, stack, evaluation, r, touched.started.ts);
    if (problem !== undefined) {
      s.resourceEvent(placed, `${verb}_FAILED`, problem);
      rollBackUpdate(s, stack, op, `The following resource(s) failed to ${verb.toLowerCase()}: [${r.logicalId}]. `, previousOutputs);
      return;
    }
    touched.done = s.resourceEvent(placed, `${verb}_COMPLETE`);
    if (change.action === 'Modify' && !replacing) s.resourceDown(placed, touched.started, touched.done);
    s.resourceUp(evaluation, r, touched.done);
  }
  s.stackEvent('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  for (const x of [...op.touched].reverse()) {
    if (x.change.replacement !== 'True' || !x.oldPhysicalId) continue;
    const old: Placed = { ...x.placed, physicalId: x.oldPhysicalId };
    if (next.template.Resources[x.placed.logicalId]?.UpdateReplacePolicy === 'Retain') {
      s.resourceEvent(old, 'DELETE_SKIPPED', undefined, false);
      continue;
    }
    const stopping = s.resourceEvent(old, 'DELETE_IN_PROGRESS', undefined, false);
    s.resourceDown(old, stopping, s.resourceEvent(old, 'DELETE_COMPLETE', undefined, false));
  }
  const removed = changes.filter((c) => c.action === 'Remove').reverse();
  s.deleteAll(removed.map((c) => ({ logicalId: c.logicalId, type: c.type, physicalId: c.physicalId ?? '' })), false);
  op.success = s.stackEvent('UPDATE_COMPLETE');
  op.outputs = evaluation.outputs();
}

/** Rolls back what `op` did: modified resources return to the old configuration, added ones go. */
function rollBackUpdate(s: Scheduler, stack: Stack, op: UpdateOperation, reason: string, previousOutputs: Operation['outputs']): void {
  stack.config = op.previous;
  const old = new StackEval(s.world, stack, op.previous);
  for (const x of op.touched) if (x.oldPhysicalId) old.physical.set(x.resource.logicalId, x.oldPhysicalId);
  for (const [id, phys] of physicalIds(stack, op.startedAt)) if (!old.physical.has(id)) old.physical.set(id, phys);
  s.stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', reason);
  const touched = op.touched.filter((x) => !x.started.cancelled).reverse();
  for (const x of touched) {
    if (x.change.action !== 'Modify' || !x.oldPhysicalId) continue;
    const back: Placed = { ...x.placed, physicalId: x.oldPhysicalId };
    const started = s.resourceEvent(back, 'UPDATE_IN_PROGRESS');
    const done = s.resourceEvent(back, 'UPDATE_COMPLETE');
    const rolled = x.done && !x.done.cancelled;
    if (rolled && x.change.replacement !== 'True') {
      s.resourceDown(back, started, done);
      s.resourceUp(old, x.resource, done);
    }
  }
  s.stackEvent('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  for (const x of touched) {
    const fresh = x.change.action === 'Add';
    if (!fresh && x.change.replacement !== 'True') continue;
    const stopping = s.resourceEvent(x.placed, 'DELETE_IN_PROGRESS', undefined, fresh);
    s.resourceDown(x.placed, stopping, s.resourceEvent(x.placed, 'DELETE_COMPLETE', undefined, fresh));
  }
  const last = s.stackEvent('UPDATE_ROLLBACK_COMPLETE');
  stack.ops.push({ kind: 'UPDATE_ROLLBACK', token: op.token, startedAt: op.startedAt, success: last, outputs: previousOutputs });
}

/** CancelUpdateStack at `t`: the update stops where it is and rolls back from `t`. */
export function cancelUpdate(world: World, stack: Stack, t: number): void {
  const op = stack.ops[stack.ops.length - 1] as UpdateOperation | undefined;
  if (!op || op.kind !== 'UPDATE') return;
  const previousOutputs = [...stack.ops].reverse().find((o) => o !== op && happened(o.success, t))?.outputs ?? [];
  stack.truncate(t);
  rollBackUpdate(new Scheduler(world, stack, t, op.token), stack, op, 'Resource update cancelled', previousOutputs);
}
