/**
 * Auto Scaling lifecycle actions: CompleteLifecycleAction, RecordLifecycleActionHeartbeat,
 * DescribeLifecycleHooks, and DescribeAutoScalingInstances (the lifecycle state of each instance).
 */
import { validationError } from './errors.js';
import { terminationEnd, type InstanceRecord, type InstanceTermination } from './fleet.js';
import { decodeToken, encodeToken, scalarList } from './form.js';
import { globalTimeoutS, hooksAt } from './lifecycle.js';
import { page, type Handler, type RequestContext } from './service.js';

function required(params: Record<string, string>, name: string): string {
  const v = params[name];
  if (v === undefined || v === '') throw validationError(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

/** The action a request names (by token, else by instance id) that is waiting at `t`. */
function activeAction({ params, t, world }: RequestContext): InstanceTermination {
  const group = required(params, 'AutoScalingGroupName');
  const hook = required(params, 'LifecycleHookName');
  const token = params.LifecycleActionToken || undefined;
  const instanceId = params.InstanceId || undefined;
  if (token === undefined && instanceId === undefined) throw validationError('Either LifecycleActionToken or InstanceId must be specified.');
  const found = world.lifecycleActions.find(
    (a) => a.group === group && a.hook === hook && (token !== undefined ? a.token === token : a.instanceId === instanceId) && a.startedAt <= t && !terminationEnd(a, t),
  );
  if (!found) throw validationError(token !== undefined ? `No active Lifecycle Action found with token ${token}` : `No active Lifecycle Action found with instance ID ${instanceId}`);
  return found;
}

const completeLifecycleAction: Handler = (ctx) => {
  const result = required(ctx.params, 'LifecycleActionResult');
  if (result !== 'CONTINUE' && result !== 'ABANDON') throw validationError(`Invalid LifecycleActionResult ${result}: must be CONTINUE or ABANDON`);
  const action = activeAction(ctx);
  action.result = result;
  action.completedAt = ctx.t;
  return {};
};

const recordLifecycleActionHeartbeat: Handler = (ctx) => {
  const action = activeAction(ctx);
  action.heartbeats++;
  action.deadline = ctx.t + action.heartbeatTimeoutMs;
  return {};
};

const describeLifecycleHooks: Handler = ({ params, t, world }) => {
  const group = required(params, 'AutoScalingGroupName');
  if (!world.fleet.groupsAt(t).some((g) => g.name === group)) throw validationError(`Group ${group} not found`);
  const names = scalarList(params, 'LifecycleHookNames.member');
  return {
    LifecycleHooks: hooksAt(world, group, t)
      .filter((h) => !names.length || names.includes(h.name))
      .map((h) => ({
        LifecycleHookName: h.name,
        AutoScalingGroupName: h.group,
        LifecycleTransition: h.transition,
        NotificationTargetARN: h.notificationTargetArn,
        RoleARN: h.roleArn,
        NotificationMetadata: h.metadata,
        HeartbeatTimeout: h.heartbeatTimeoutS,
        GlobalTimeout: globalTimeoutS(h.heartbeatTimeoutS),
        DefaultResult: h.defaultResult,
      })),
  };
};

const describeAutoScalingInstances: Handler = ({ params, t, world }) => {
  const ids = scalarList(params, 'InstanceIds.member');
  const listed: InstanceRecord[] = world.fleet.groupsAt(t).flatMap((g) => world.fleet.members(g, t)).filter((i) => !ids.length || ids.includes(i.id));
  const size = params.MaxRecords ? Number(params.MaxRecords) : 50;
  if (!Number.isInteger(size) || size < 1 || size > 50) throw validationError('MaxRecords must be between 1 and 50');
  const { items, next } = page(listed, size, params.NextToken ? (decodeToken(params.NextToken) ?? 0) : 0);
  return {
    AutoScalingInstances: items.map((i) => ({
      InstanceId: i.id,
      InstanceType: i.type,
      AutoScalingGroupName: i.group.name,
      AvailabilityZone: i.az,
      LifecycleState: world.fleet.lifecycleState(i, t),
      HealthStatus: 'HEALTHY',
      LaunchTemplate: i.group.launchTemplate ? { LaunchTemplateId: i.group.launchTemplate.id, LaunchTemplateName: i.group.launchTemplate.name, Version: i.group.launchTemplate.version } : undefined,
      ProtectedFromScaleIn: false,
    })),
    NextToken: next === undefined ? undefined : encodeToken(next),
  };
};

/** The lifecycle actions of the Auto Scaling service. */
export const lifecycleActions: Record<string, Handler> = {
  CompleteLifecycleAction: completeLifecycleAction,
  RecordLifecycleActionHeartbeat: recordLifecycleActionHeartbeat,
  DescribeLifecycleHooks: describeLifecycleHooks,
  DescribeAutoScalingInstances: describeAutoScalingInstances,
};
