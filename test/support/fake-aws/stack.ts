/**
 * A stack and its event log. Every operation schedules its events ahead of time with timestamps;
 * everything a request sees (status, resources, outputs) is derived from the events visible at the
 * request's `now()`, so a virtual clock drives the stack's life.
 */
import type { ResolvedParameters, Template } from './template.js';

/** One stack event, scheduled at `ts`. */
export interface StackEvent {
  eventId: string;
  stackId: string;
  stackName: string;
  logicalId: string;
  physicalId: string;
  type: string;
  status: string;
  reason?: string;
  token?: string;
  ts: number;
  /** Set when a later operation cut this event's operation short: it never happens. */
  cancelled: boolean;
  /** False for the clean-up of a replaced physical resource: it does not change the logical resource's state. */
  tracksResource: boolean;
}

/** Whether an event has happened at time `t`. */
export function happened(e: StackEvent | undefined, t: number): boolean {
  return e !== undefined && !e.cancelled && e.ts <= t;
}

/** What a create or an update sets: template, parameters, tags. */
export interface StackConfig {
  templateBody: string;
  template: Template;
  parameters: ResolvedParameters;
  tags: Record<string, string>;
  capabilities: string[];
}

/** A resolved stack output. */
export interface OutputValue {
  key: string;
  value: string;
  description?: string;
  exportName?: string;
}

/** One operation on a stack (create, delete, update, …). */
export interface Operation {
  kind: string;
  token?: string;
  startedAt: number;
  /** The successful last event, from which on `outputs` are shown. */
  success?: StackEvent;
  outputs: OutputValue[];
}

/** The state of one logical resource at some time. */
export interface ResourceState {
  logicalId: string;
  physicalId: string;
  type: string;
  status: string;
  reason?: string;
  ts: number;
}

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** A CloudFormation stack in the fake. */
export class Stack {
  readonly events: StackEvent[] = [];
  readonly ops: Operation[] = [];
  terminationProtection = false;
  timeoutInMinutes: number | undefined;
  onFailure = 'ROLLBACK';
  /** Launch template version by physical id, bumped by in-place updates. */
  readonly templateVersions = new Map<string, number>();

  constructor(
    readonly id: string,
    readonly name: string,
    /** Creation order across the fake (for stable pagination). */
    readonly seq: number,
    readonly creationTime: number,
    public config: StackConfig,
  ) {}

  /** The resource type of stack-level events. */
  static readonly TYPE = STACK_TYPE;

  /** Events that happened by `t`, oldest first. */
  visibleEvents(t: number): StackEvent[] {
    return this.events.filter((e) => happened(e, t));
  }

  private lastStackEvent(t: number): StackEvent | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (e && e.type === STACK_TYPE && e.logicalId === this.name && happened(e, t)) return e;
    }
    return undefined;
  }

  /** `StackStatus` at `t`. */
  status(t: number): string {
    return this.lastStackEvent(t)?.status ?? 'REVIEW_IN_PROGRESS';
  }

  /** `StackStatusReason` at `t`. */
  statusReason(t: number): string | undefined {
    return this.lastStackEvent(t)?.reason;
  }

  /** Whether the stack is not deleted at `t`. */
  isLive(t: number): boolean {
    return this.status(t) !== 'DELETE_COMPLETE';
  }

  /** Start of the latest operation after the first one (`LastUpdatedTime`). */
  lastUpdatedTime(t: number): number | undefined {
    const starts = this.events.filter((e) => e.type === STACK_TYPE && happened(e, t) && e.status.endsWith('_IN_PROGRESS') && !e.status.includes('CLEANUP'));
    const last = starts[starts.length - 1];
    return starts.length > 1 && last ? last.ts : undefined;
  }

  /** When the delete that completed started (`DeletionTime`). */
  deletionTime(t: number): number | undefined {
    if (this.status(t) !== 'DELETE_COMPLETE') return undefined;
    const starts = this.events.filter((e) => e.type === STACK_TYPE && happened(e, t) && e.status === 'DELETE_IN_PROGRESS');
    return starts[starts.length - 1]?.ts;
  }

  /** Every logical resource that has an event by `t`, in order of first appearance. */
  resources(t: number): ResourceState[] {
    const byId = new Map<string, ResourceState>();
    for (const e of this.events) {
      if (e.type === STACK_TYPE && e.logicalId === this.name) continue;
      if (!e.tracksResource || !happened(e, t)) continue;
      byId.set(e.logicalId, { logicalId: e.logicalId, physicalId: e.physicalId, type: e.type, status: e.status, reason: e.reason, ts: e.ts });
    }
    return [...byId.values()];
  }

  /** Resources that still exist at `t` (anything not deleted or left behind). */
  liveResources(t: number): ResourceState[] {
    return this.resources(t).filter((r) => r.status !== 'DELETE_COMPLETE' && r.status !== 'DELETE_SKIPPED');
  }

  /** Outputs of the latest operation that succeeded by `t`. */
  outputs(t: number): OutputValue[] {
    for (let i = this.ops.length - 1; i >= 0; i--) {
      const op = this.ops[i];
      if (op && happened(op.success, t)) return op.outputs;
    }
    return [];
  }

  /** The latest operation's token. */
  get clientRequestToken(): string | undefined {
    return this.ops[this.ops.length - 1]?.token;
  }

  /** Cancels every event scheduled after `t` (a later operation cuts this one short). */
  truncate(t: number): void {
    const kept: StackEvent[] = [];
    for (const e of this.events) {
      if (e.ts > t) e.cancelled = true;
      else kept.push(e);
    }
    this.events.splice(0, this.events.length, ...kept);
  }
}
