import type { AwsClients } from '../aws/clients.js';
import type { StackApi, StackDescription } from '../aws/stack-api.js';
import { UsageError } from '../cli/errors.js';
import { CLUSTER_TAG } from '../cluster/render.js';
import { type ClusterReport, buildReport } from '../cluster/report.js';
import { checkStackName } from '../cluster/naming.js';
import { describeProblem } from '../cluster/problems.js';

/** Validates `--stack-name` before any AWS call. */
export function requireStackName(name: string | undefined): string {
  const problems = checkStackName(name);
  const first = problems[0];
  if (first) throw new UsageError('InvalidStackName', describeProblem(first));
  return name ?? '';
}

/** True for stacks that elasticrtc made (tagged `elasticrtc:cluster`). */
export const isCluster = (stack: StackDescription): boolean => stack.tags[CLUSTER_TAG] !== undefined;

/** The usage error for a name with no cluster (exit 2). */
export const clusterNotFound = (name: string, region: string): UsageError =>
  new UsageError('ClusterNotFound', `no cluster named ${name} in ${region}`, 'run "elasticrtc list" to see the clusters in this region, or check --region');

/** True when a stack (as DescribeStacks answered) no longer exists. */
export const isGone = (stack: StackDescription | undefined): stack is undefined => !stack || stack.status === 'DELETE_COMPLETE';

/** The cluster's stack; a missing stack or one elasticrtc did not make is a clear usage error. */
export async function findCluster(stacks: StackApi, name: string, region: string): Promise<StackDescription> {
  return requireCluster(await stacks.describe(name), name, region);
}

/** `stack` as a cluster: a missing stack or one elasticrtc did not make is a clear usage error. */
export function requireCluster(stack: StackDescription | undefined, name: string, region: string): StackDescription {
  if (isGone(stack)) throw clusterNotFound(name, region);
  if (!isCluster(stack)) {
    throw new UsageError(
      'NotACluster',
      `stack ${name} in ${region} is not an elasticrtc cluster: it has no ${CLUSTER_TAG} tag`,
      'elasticrtc only operates stacks it created; use the CloudFormation console or CLI for other stacks',
    );
  }
  return stack;
}

/**
 * Reads everything the report needs in a constant number of calls, whatever the node count:
 * the stack (given), its resources, its autoscaling groups (one call), their instances (one call per
 * 1,000 nodes).
 */
export async function gatherReport(aws: AwsClients, stack: StackDescription): Promise<ClusterReport> {
  const stacks = await aws.stacks();
  const resources = await stacks.resources(stack.id);
  const groupNames = resources.filter((r) => r.type === 'AWS::AutoScaling::AutoScalingGroup' && r.physicalId).map((r) => r.physicalId ?? '');
  const compute = await aws.compute();
  const groups = await compute.groups(groupNames);
  const instances = await compute.instances(groups.flatMap((g) => g.instanceIds));
  return buildReport({ region: aws.target.region, stack, resources, groups, instances });
}
