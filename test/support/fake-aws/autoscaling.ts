/** Auto Scaling actions (API version 2011-01-01); lifecycle actions in `autoscaling-lifecycle.ts`. */
import { lifecycleActions } from './autoscaling-lifecycle.js';
import { decodeToken, encodeToken, scalarList, structList } from './form.js';
import { groupArn, groupTags, type GroupRecord } from './fleet.js';
import { happened } from './stack.js';
import { page, type Handler, type ServiceDef } from './service.js';
import type { World } from './world.js';
import { iso, type XmlObject } from './xml.js';

function groupXml(g: GroupRecord, t: number, world: World): XmlObject {
  const { region, accountId } = world.options;
  const stopping = happened(g.stopping, t);
  const launchTemplate = g.launchTemplate ? { LaunchTemplateId: g.launchTemplate.id, LaunchTemplateName: g.launchTemplate.name, Version: g.launchTemplate.version } : undefined;
  return {
    AutoScalingGroupName: g.name,
    AutoScalingGroupARN: groupArn(g, region, accountId),
    LaunchTemplate: launchTemplate,
    MinSize: g.min,
    MaxSize: g.max,
    DesiredCapacity: world.fleet.desiredAt(g, t),
    DefaultCooldown: 300,
    AvailabilityZones: [...new Set(g.instances.map((i) => i.az))].sort(),
    LoadBalancerNames: [],
    TargetGroupARNs: g.targetGroupArns,
    HealthCheckType: 'EC2',
    HealthCheckGracePeriod: 300,
    Instances: world.fleet.members(g, t).map((i) => ({
      InstanceId: i.id,
      InstanceType: i.type,
      AvailabilityZone: i.az,
      LifecycleState: world.fleet.lifecycleState(i, t),
      HealthStatus: 'Healthy',
      LaunchTemplate: launchTemplate,
      ProtectedFromScaleIn: false,
    })),
    CreatedTime: iso(g.launched.ts),
    SuspendedProcesses: [],
    VPCZoneIdentifier: g.subnets.join(','),
    EnabledMetrics: [],
    Status: stopping ? 'Delete in progress' : undefined,
    Tags: groupTags(g).map((tag) => ({ ResourceId: g.name, ResourceType: 'auto-scaling-group', ...tag })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
  };
}

const describeAutoScalingGroups: Handler = ({ params, t, world }) => {
  const names = scalarList(params, 'AutoScalingGroupNames.member');
  const tagFilters = structList(params, 'Filters.member').map((f) => ({ name: f.Name ?? '', values: scalarList(f, 'Values.member') }));
  const groups = world.fleet.groupsAt(t).filter((g) => {
    if (names.length && !names.includes(g.name)) return false;
    const tags = groupTags(g);
    return tagFilters.every((f) => {
      if (f.name.startsWith('tag:')) return tags.some((tag) => tag.Key === f.name.slice(4) && f.values.includes(tag.Value));
      if (f.name === 'tag-key') return tags.some((tag) => f.values.includes(tag.Key));
      if (f.name === 'tag-value') return tags.some((tag) => f.values.includes(tag.Value));
      return true;
    });
  });
  const size = params.MaxRecords ? Number(params.MaxRecords) : 50;
  const { items, next } = page(groups, Math.min(size, 100), params.NextToken ? (decodeToken(params.NextToken) ?? 0) : 0);
  return { AutoScalingGroups: items.map((g) => groupXml(g, t, world)), NextToken: next === undefined ? undefined : encodeToken(next) };
};

/** The Auto Scaling service. */
export const autoScaling: ServiceDef = {
  name: 'autoscaling',
  version: '2011-01-01',
  xmlns: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  protocol: 'query',
  actions: { DescribeAutoScalingGroups: describeAutoScalingGroups, ...lifecycleActions },
};
