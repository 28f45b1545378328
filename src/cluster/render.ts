import baseTemplate from '../../templates/cluster.yaml';
import type { ClusterSettings } from './settings.js';
import type { CfnTemplate, IngressRule } from './template-types.js';

/** What a create or update sends to CloudFormation. */
export interface RenderedStack {
  template: CfnTemplate;
  /** The template exactly as sent (compact JSON: smaller than YAML, well under the 51,200-byte inline limit). */
  templateBody: string;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

/** Stack tags that identify a cluster; `list`, `show` and `delete` rely on them. */
export const CLUSTER_TAG = 'elasticrtc:cluster';
export const KMS_VERSION_TAG_KEY = 'elasticrtc:kms-version';
export const TOOL_VERSION_TAG = 'elasticrtc:tool-version';

const UBUNTU_IMAGE = (arch: 'amd64' | 'arm64') =>
  `/aws/service/canonical/ubuntu/server/24.04/stable/current/${arch}/hvm/ebs-gp3/ami-id`;

/** Graviton families carry a `g` after the generation digit (c7g, m8g, t4g, c7gn). */
export const isArmInstanceType = (type: string): boolean => /^[a-z]+\d+g[a-z]*\./.test(type);

const ingress = (cidrs: readonly string[], port: number, description: string): IngressRule[] =>
  cidrs.map((CidrIp) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, CidrIp, Description: description }));

/**
 * Renders the cluster's stack from validated settings. Pure: the same settings and tool version give a
 * byte-identical template. `ownImageId` is the user's image for a version that is not an official release.
 */
export function renderCluster(settings: ClusterSettings, toolVersion: string, ownImageId?: string): RenderedStack {
  const template = structuredClone(baseTemplate as CfnTemplate);
  const resources = template.Resources;

  const lbGroup = resources.LoadBalancerSecurityGroup?.Properties;
  if (lbGroup) lbGroup.SecurityGroupIngress = ingress(settings.apiOrigin, 80, 'Kurento API (--api-origin)');
  const nodeGroup = resources.NodeSecurityGroup?.Properties;
  if (nodeGroup && settings.keyName !== undefined) {
    nodeGroup.SecurityGroupIngress = [
      ...(nodeGroup.SecurityGroupIngress as IngressRule[]),
      ...ingress(settings.controlOrigin, 22, 'SSH (--control-origin)'),
    ];
  }

  const parameters: Record<string, string> = {
    KmsVersion: settings.kmsVersion,
    InstanceType: settings.instanceType,
    DesiredCapacity: String(settings.capacity.desired),
    MinCapacity: String(settings.capacity.min),
    MaxCapacity: String(settings.capacity.max),
    KeyName: settings.keyName ?? '',
    NodeImageParameter: UBUNTU_IMAGE(isArmInstanceType(settings.instanceType) ? 'arm64' : 'amd64'),
    NodeImageId: ownImageId ?? '',
  };
  const tags: Record<string, string> = {
    ...settings.tags,
    [CLUSTER_TAG]: settings.stackName,
    [KMS_VERSION_TAG_KEY]: settings.kmsVersion,
    [TOOL_VERSION_TAG]: toolVersion,
  };
  return { template, templateBody: JSON.stringify(template), parameters, tags };
}

/** Human labels of the template's resources (`LoadBalancer` → "load balancer"), from their metadata. */
export function resourceLabels(template: CfnTemplate = baseTemplate as CfnTemplate): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    const label = resource.Metadata?.['elasticrtc:label'];
    if (typeof label === 'string') labels[id] = label;
  }
  return labels;
}
