/**
 * Auto Scaling lifecycle hooks and actions. Hooks come from `AWS::AutoScaling::LifecycleHook`
 * stack resources or `addLifecycleHook`; a test starts an action with `startTermination` (a
 * scale-in of one instance), which sends Auto Scaling's notification to the hook's SQS queue.
 */
import { groupArn, type GroupRecord, type InstanceTermination } from './fleet.js';
import { uuid } from './ids.js';
import { aliveAt, type Lived } from './lifetime.js';
import { enqueue, findQueue } from './sqs-queues.js';
import type { World } from './world.js';
import { iso } from './xml.js';

/** One lifecycle hook of a group. */
export interface HookRecord extends Lived {
  group: string;
  name: string;
  transition: string;
  heartbeatTimeoutS: number;
  defaultResult: 'CONTINUE' | 'ABANDON';
  notificationTargetArn?: string;
  roleArn?: string;
  metadata?: string;
}

/** A hook to seed with `addLifecycleHook`. */
export interface LifecycleHookSeed {
  name: string;
  /** Default `autoscaling:EC2_INSTANCE_TERMINATING`. */
  transition?: string;
  /** Default 3600, as Auto Scaling's. */
  heartbeatTimeoutS?: number;
  /** Default `ABANDON`, as Auto Scaling's. */
  defaultResult?: 'CONTINUE' | 'ABANDON';
  /** An SQS queue ARN (or any ARN: only the fake's queues get messages). */
  notificationTargetArn?: string;
  roleArn?: string;
  metadata?: string;
}

/** What `startTermination` takes. */
export interface TerminationOptions {
  /** Default: the group's only `EC2_INSTANCE_TERMINATING` hook. A name with no hook makes one. */
  hookName?: string;
  /** Default: the hook's. */
  heartbeatTimeoutS?: number;
  /** Default: a new UUID. */
  token?: string;
  /** Queue (name, URL or ARN) for the notification; default: the hook's target, when it is a queue of the fake. */
  queue?: string;
}

const TERMINATING = 'autoscaling:EC2_INSTANCE_TERMINATING';
const MAX_GLOBAL_S = 172_800;

/** Hooks of the group named `group` at `t`. */
export function hooksAt(world: World, group: string, t: number): HookRecord[] {
  return world.lifecycleHooks.filter((h) => h.group === group && aliveAt(h, t));
}

/** The global timeout of a hook: 100 heartbeat timeouts, at most 48 hours. */
export function globalTimeoutS(heartbeatTimeoutS: number): number {
  return Math.min(100 * heartbeatTimeoutS, MAX_GLOBAL_S);
}

/** A hook from its seed, alive from `from`. */
export function hookRecord(group: string, def: LifecycleHookSeed, life: Lived['life'], origin?: Lived['origin']): HookRecord {
  return {
    group,
    name: def.name,
    transition: def.transition ?? TERMINATING,
    heartbeatTimeoutS: def.heartbeatTimeoutS ?? 3600,
    defaultResult: def.defaultResult ?? 'ABANDON',
    notificationTargetArn: def.notificationTargetArn,
    roleArn: def.roleArn,
    metadata: def.metadata,
    life,
    ...(origin ? { origin } : {}),
  };
}

function liveGroup(world: World, name: string, t: number): GroupRecord {
  const g = world.fleet.groupsAt(t).find((x) => x.name === name);
  if (!g) throw new Error(`fake-aws: no Auto Scaling group ${name}`);
  return g;
}

/** `addLifecycleHook`: a hook of a live group from `now()`. */
export function seedHook(world: World, groupName: string, def: LifecycleHookSeed): void {
  const t = world.options.now();
  liveGroup(world, groupName, t);
  if (hooksAt(world, groupName, t).some((h) => h.name === def.name)) throw new Error(`fake-aws: group ${groupName} already has a hook ${def.name}`);
  world.lifecycleHooks.push(hookRecord(groupName, def, { from: t }));
}

function sendJson(world: World, queueRef: string, body: Record<string, unknown>, t: number): void {
  const q = findQueue(world, queueRef, t);
  if (!q) throw new Error(`fake-aws: no queue ${queueRef}`);
  enqueue(world, q, JSON.stringify(body), t, 'AIDAAUTOSCALINGSERVICE');
}

/** Puts an instance into `Terminating:Wait` at `now()` and notifies the hook's queue; returns the action token. */
export function startTermination(world: World, groupName: string, instanceId: string, options: TerminationOptions = {}): string {
  const t = world.options.now();
  const { accountId } = world.options;
  const g = liveGroup(world, groupName, t);
  const instance = g.instances.find((i) => i.id === instanceId);
  if (!instance || world.fleet.lifecycleState(instance, t) !== 'InService') throw new Error(`fake-aws: ${instanceId} is not an InService instance of ${groupName}`);
  const hooks = hooksAt(world, groupName, t).filter((h) => h.transition === TERMINATING);
  let hook = options.hookName === undefined ? hooks[0] : hooks.find((h) => h.name === options.hookName);
  if (options.hookName === undefined && hooks.length !== 1) throw new Error(`fake-aws: group ${groupName} has ${hooks.length} termination hooks; give hookName`);
  if (!hook) {
    hook = hookRecord(groupName, { name: options.hookName ?? '', heartbeatTimeoutS: options.heartbeatTimeoutS }, { from: t });
    world.lifecycleHooks.push(hook);
  }
  const heartbeatS = options.heartbeatTimeoutS ?? hook.heartbeatTimeoutS;
  const token = options.token ?? uuid();
  const action: InstanceTermination = {
    group: groupName,
    instanceId,
    hook: hook.name,
    token,
    startedAt: t,
    heartbeatTimeoutMs: heartbeatS * 1000,
    deadline: t + heartbeatS * 1000,
    globalDeadline: t + globalTimeoutS(heartbeatS) * 1000,
    defaultResult: hook.defaultResult,
    heartbeats: 0,
  };
  instance.termination = action;
  world.lifecycleActions.push(action);
  const target = options.queue ?? (hook.notificationTargetArn?.startsWith('arn:aws:sqs:') && findQueue(world, hook.notificationTargetArn, t) ? hook.notificationTargetArn : undefined);
  if (target !== undefined) {
    sendJson(world, target, {
      Origin: 'AutoScalingGroup',
      Destination: 'EC2',
      Service: 'AWS Auto Scaling',
      Time: iso(t),
      AccountId: accountId,
      LifecycleTransition: TERMINATING,
      RequestId: uuid(),
      LifecycleActionToken: token,
      EC2InstanceId: instanceId,
      LifecycleHookName: hook.name,
      AutoScalingGroupName: groupName,
      ...(hook.metadata !== undefined ? { NotificationMetadata: hook.metadata } : {}),
    }, t);
  }
  return token;
}

/** Sends Auto Scaling's `autoscaling:TEST_NOTIFICATION` for a group to a queue (name, URL or ARN). */
export function sendTestNotification(world: World, queue: string, groupName: string): void {
  const t = world.options.now();
  const { region, accountId } = world.options;
  const g = liveGroup(world, groupName, t);
  sendJson(world, queue, {
    AccountId: accountId,
    RequestId: uuid(),
    AutoScalingGroupARN: groupArn(g, region, accountId),
    AutoScalingGroupName: groupName,
    Service: 'AWS Auto Scaling',
    Event: 'autoscaling:TEST_NOTIFICATION',
    Time: iso(t),
  }, t);
}
