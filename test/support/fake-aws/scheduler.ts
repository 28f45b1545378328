/**
 * Writes an operation's events into a stack's log ahead of time: each event one step after the
 * previous, starting at the request time. Also launches and retires Auto Scaling groups when their
 * resource events happen.
 */
import { uuid } from './ids.js';
import { artifactDown, artifactUp } from './stack-artifacts.js';
import { Stack, type StackEvent } from './stack.js';
import type { ActiveResource, StackEval } from './stack-eval.js';
import type { World } from './world.js';

/** A resource with the physical id an event is about. */
export interface Placed {
  logicalId: string;
  type: string;
  physicalId: string;
}

const ASG = 'AWS::AutoScaling::AutoScalingGroup';

/** Schedules the events of one operation. */
export class Scheduler {
  private nextAt: number;
  private lastAt: number | undefined;

  constructor(
    readonly world: World,
    private readonly stack: Stack,
    private readonly t0: number,
    private readonly token: string | undefined,
    private readonly stepMs = world.options.stepMs,
  ) {
    this.nextAt = t0;
  }

  private push(logicalId: string, physicalId: string, type: string, status: string, reason: string | undefined, tracksResource: boolean, gapMs?: number): StackEvent {
    const ts = gapMs !== undefined && this.lastAt !== undefined ? this.lastAt + gapMs : this.nextAt;
    this.lastAt = ts;
    this.nextAt = ts + this.stepMs;
    const event: StackEvent = {
      eventId: uuid(),
      stackId: this.stack.id,
      stackName: this.stack.name,
      logicalId,
      physicalId,
      type,
      status,
      reason,
      token: this.token,
      ts,
      cancelled: false,
      tracksResource,
    };
    this.stack.events.push(event);
    return event;
  }

  /** A stack-level event; an operation's final one comes `finalLagMs` after the event before it. */
  stackEvent(status: string, reason?: string): StackEvent {
    const final = !status.endsWith('_IN_PROGRESS');
    return this.push(this.stack.name, this.stack.id, Stack.TYPE, status, reason, true, final ? this.world.options.finalLagMs : undefined);
  }

  /** A resource event; `tracksResource: false` for the clean-up of a replaced physical resource. */
  resourceEvent(r: Placed, status: string, reason?: string, tracksResource = true): StackEvent {
    return this.push(r.logicalId, r.physicalId, r.type, status, reason, tracksResource);
  }

  /**
   * Records a resource coming up at `done`: an Auto Scaling group launches its instances; buckets,
   * record sets, secrets and certificate uses appear in their services (`stack-artifacts.ts`).
   */
  resourceUp(evaluation: StackEval, r: ActiveResource, done: StackEvent): void {
    if (r.type === ASG) this.world.fleet.launch(evaluation.groupSpec(r), done);
    artifactUp(this.world, this.stack, evaluation, r, done);
  }

  /** Records a resource going away: a group's instances shut down at `stopping`, are gone at `gone`. */
  resourceDown(r: Placed, stopping: StackEvent, gone: StackEvent): void {
    if (r.type === ASG) this.world.fleet.retire(r.physicalId, stopping, gone);
    artifactDown(this.world, this.stack, r, gone);
  }

  /**
   * Deletes resources in the given order. `Retain` (and on stack deletes `RetainExceptOnCreate`)
   * gives `DELETE_SKIPPED`. Returns the logical id that failed (`failAt`), if any.
   */
  deleteAll(list: Placed[], onCreateRollback: boolean, failAt?: { logicalId: string; reason: string }): string | undefined {
    for (const r of list) {
      const policy = this.stack.config.template.Resources[r.logicalId]?.DeletionPolicy;
      if (policy === 'Retain' || (policy === 'RetainExceptOnCreate' && !onCreateRollback)) {
        this.resourceEvent(r, 'DELETE_SKIPPED');
        continue;
      }
      const stopping = this.resourceEvent(r, 'DELETE_IN_PROGRESS');
      if (failAt?.logicalId === r.logicalId) {
        this.resourceEvent(r, 'DELETE_FAILED', failAt.reason);
        return r.logicalId;
      }
      this.resourceDown(r, stopping, this.resourceEvent(r, 'DELETE_COMPLETE'));
    }
    return undefined;
  }
}
