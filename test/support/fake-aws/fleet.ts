/**
 * EC2 instances and Auto Scaling groups created by stacks. A group record lives from the stack
 * event that launched it to the one that retired it; its instances share that life, except one a
 * test terminates through a lifecycle hook (`startTermination`): it waits in `Terminating:Wait`
 * until its action completes or times out, shuts down for a step, then is terminated.
 */
import { hex } from './ids.js';
import { happened, type StackEvent } from './stack.js';

/** What an `AWS::AutoScaling::AutoScalingGroup` resource asks for. */
export interface GroupSpec {
  name: string;
  stackId: string;
  stackName: string;
  logicalId: string;
  min: number;
  max: number;
  desired: number;
  instanceType: string;
  imageId: string;
  launchTemplate?: { id: string; name: string; version: string };
  subnets: string[];
  tags: { Key: string; Value: string; PropagateAtLaunch: boolean }[];
  targetGroupArns: string[];
}

/** One EC2 instance. */
export interface InstanceRecord {
  id: string;
  group: GroupRecord;
  type: string;
  imageId: string;
  privateIp: string;
  publicIp: string;
  az: string;
  subnetId?: string;
  /** Set once a scale-in started terminating it through a lifecycle hook. */
  termination?: InstanceTermination;
}

/** A lifecycle action holding an instance in `Terminating:Wait` (times in ms). */
export interface InstanceTermination {
  group: string;
  instanceId: string;
  hook: string;
  token: string;
  startedAt: number;
  heartbeatTimeoutMs: number;
  /** When the wait times out unless a heartbeat moves it. */
  deadline: number;
  /** The hook's global timeout: no heartbeat goes past it. */
  globalDeadline: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
  heartbeats: number;
  /** Given by CompleteLifecycleAction. */
  result?: 'CONTINUE' | 'ABANDON';
  completedAt?: number;
}

/** When and how the wait ended by `t` (completed, or timed out with the default result); `undefined` while it goes on. */
export function terminationEnd(a: InstanceTermination, t: number): { at: number; result: 'CONTINUE' | 'ABANDON'; timedOut: boolean } | undefined {
  const timeout = Math.min(a.deadline, a.globalDeadline);
  if (a.completedAt !== undefined && a.completedAt <= timeout && a.completedAt <= t) return { at: a.completedAt, result: a.result ?? 'CONTINUE', timedOut: false };
  if (timeout <= t) return { at: timeout, result: a.defaultResult, timedOut: true };
  return undefined;
}

/** Auto Scaling lifecycle states the fake uses. */
export type LifecycleState = 'InService' | 'Terminating' | 'Terminating:Wait' | 'Terminating:Proceed' | 'Terminated';

/** One generation of a group: an in-place update retires a record and launches a new one. */
export interface GroupRecord extends GroupSpec {
  launched: StackEvent;
  stopping?: StackEvent;
  gone?: StackEvent;
  instances: InstanceRecord[];
}

/** EC2 instance state names the fake uses. */
export type InstanceState = 'running' | 'shutting-down' | 'terminated';

/** The store of groups and instances. */
export class Fleet {
  readonly groups: GroupRecord[] = [];
  private addressCount = 0;

  constructor(
    private readonly region: string,
    /** How long an instance shuts down after its lifecycle action ends. */
    private readonly shutdownMs: number,
  ) {}

  /** Launches a group generation and its `desired` instances when `launched` happens. */
  launch(spec: GroupSpec, launched: StackEvent): GroupRecord {
    const group: GroupRecord = { ...spec, launched, instances: [] };
    for (let i = 0; i < spec.desired; i++) {
      const n = ++this.addressCount;
      const subnetId = spec.subnets.length ? spec.subnets[i % spec.subnets.length] : undefined;
      group.instances.push({
        id: `i-${hex(17)}`,
        group,
        type: spec.instanceType,
        imageId: spec.imageId,
        privateIp: `10.0.${(n >> 8) & 255}.${(n & 255) || 1}`,
        publicIp: `54.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
        az: `${this.region}${'abc'[i % 3]}`,
        subnetId,
      });
    }
    this.groups.push(group);
    return group;
  }

  /** Retires the newest generation of group `name` not already retired. */
  retire(name: string, stopping: StackEvent, gone: StackEvent): void {
    for (let i = this.groups.length - 1; i >= 0; i--) {
      const g = this.groups[i];
      if (!g || g.name !== name || g.launched.cancelled) continue;
      if (g.gone && !g.gone.cancelled) continue;
      g.stopping = stopping;
      g.gone = gone;
      return;
    }
  }

  /** Groups that exist at `t`. */
  groupsAt(t: number): GroupRecord[] {
    return this.groups.filter((g) => happened(g.launched, t) && !happened(g.gone, t));
  }

  /** Instances launched by `t`, terminated ones included, in launch order. */
  instancesAt(t: number): InstanceRecord[] {
    return this.groups.filter((g) => happened(g.launched, t)).flatMap((g) => g.instances);
  }

  /** State of an instance at `t`. */
  state(instance: InstanceRecord, t: number): InstanceState {
    if (happened(instance.group.gone, t)) return 'terminated';
    if (happened(instance.group.stopping, t)) return 'shutting-down';
    const end = instance.termination && terminationEnd(instance.termination, t);
    if (end) return t >= end.at + this.shutdownMs ? 'terminated' : 'shutting-down';
    return 'running';
  }

  /** Auto Scaling's `LifecycleState` of an instance at `t`. */
  lifecycleState(instance: InstanceRecord, t: number): LifecycleState {
    if (happened(instance.group.gone, t)) return 'Terminated';
    if (happened(instance.group.stopping, t)) return 'Terminating';
    const a = instance.termination;
    if (!a || a.startedAt > t) return 'InService';
    const end = terminationEnd(a, t);
    if (!end) return 'Terminating:Wait';
    return t >= end.at + this.shutdownMs ? 'Terminated' : 'Terminating:Proceed';
  }

  /** The group's instances Auto Scaling still lists at `t` (not yet terminated). */
  members(group: GroupRecord, t: number): InstanceRecord[] {
    return group.instances.filter((i) => this.lifecycleState(i, t) !== 'Terminated');
  }

  /** `DesiredCapacity` at `t`: a scale-in lowers it when it starts terminating an instance. */
  desiredAt(group: GroupRecord, t: number): number {
    return group.desired - group.instances.filter((i) => i.termination && i.termination.startedAt <= t).length;
  }
}

/** The group's ARN. */
export function groupArn(g: GroupRecord, region: string, accountId: string): string {
  return `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${g.launched.eventId}:autoScalingGroupName/${g.name}`;
}

/** A group's tags: those of the template plus the ones CloudFormation adds. */
export function groupTags(g: GroupSpec): GroupSpec['tags'] {
  return [
    ...g.tags,
    { Key: 'aws:cloudformation:logical-id', Value: g.logicalId, PropagateAtLaunch: true },
    { Key: 'aws:cloudformation:stack-id', Value: g.stackId, PropagateAtLaunch: true },
    { Key: 'aws:cloudformation:stack-name', Value: g.stackName, PropagateAtLaunch: true },
  ];
}

/** An instance's tags: the group's propagated tags and `aws:autoscaling:groupName`. */
export function instanceTags(i: InstanceRecord): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const t of groupTags(i.group)) if (t.PropagateAtLaunch) tags[t.Key] = t.Value;
  tags['aws:autoscaling:groupName'] = i.group.name;
  return tags;
}
