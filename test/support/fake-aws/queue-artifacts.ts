/**
 * What the stack resources of a drain set-up leave in SQS and Auto Scaling, from the resource's
 * `*_COMPLETE` event on: `AWS::SQS::Queue` → a queue named after its physical id (the queue URL),
 * `AWS::AutoScaling::LifecycleHook` → a hook of the group named by `AutoScalingGroupName`.
 */
import { hookRecord } from './lifecycle.js';
import type { Origin } from './lifetime.js';
import { newQueue, SETTING_RANGES, type QueueSettings } from './sqs-queues.js';
import type { StackEvent } from './stack.js';
import type { World } from './world.js';

type Props = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/** Adds a stack queue at `done`; a generation that follows an in-place update keeps the messages. */
export function upQueue(world: World, origin: Origin, props: Props, tags: Record<string, string>, done: StackEvent): void {
  const previous = world.queues.find((q) => q.origin?.stackId === origin.stackId && q.origin.logicalId === origin.logicalId && q.origin.physicalId === origin.physicalId && q.life.until === done);
  const settings: Partial<QueueSettings> = {};
  for (const key of Object.keys(SETTING_RANGES) as (keyof QueueSettings)[]) {
    const n = Number(str(props[key]));
    if (str(props[key]) !== undefined && Number.isInteger(n)) settings[key] = n;
  }
  const name = origin.physicalId.split('/').pop() ?? origin.physicalId;
  const queue = newQueue(world, name, settings, {}, { from: done }, previous?.created ?? done.ts);
  queue.origin = origin;
  queue.tags = tags;
  if (previous) queue.messages = previous.messages;
  world.queues.push(queue);
}

/** Adds the hook of an `AWS::AutoScaling::LifecycleHook` resource at `done`. */
export function upLifecycleHook(world: World, origin: Origin, props: Props, done: StackEvent): void {
  const timeout = Number(str(props.HeartbeatTimeout));
  const hook = hookRecord(
    str(props.AutoScalingGroupName) ?? '',
    {
      name: origin.physicalId,
      transition: str(props.LifecycleTransition),
      heartbeatTimeoutS: Number.isInteger(timeout) && timeout > 0 ? timeout : undefined,
      defaultResult: props.DefaultResult === 'CONTINUE' ? 'CONTINUE' : 'ABANDON',
      notificationTargetArn: str(props.NotificationTargetARN),
      roleArn: str(props.RoleARN),
      metadata: str(props.NotificationMetadata),
    },
    { from: done },
    origin,
  );
  world.lifecycleHooks.push(hook);
}
