/**
 * The IAM policy a deployer needs to run every elasticrtc command: the calls the tool makes itself,
 * and the calls CloudFormation makes with the deployer's credentials to build and remove a cluster.
 * Scoped to elasticrtc's names where AWS allows it (stacks, the `elasticrtc/` secret and IAM path).
 */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** The calls elasticrtc itself makes, by command; the tests check every recorded call against these. */
const toolStatements = (partition: string): PolicyStatement[] => [
  { Sid: 'Identity', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
  {
    Sid: 'ReadAll',
    Effect: 'Allow',
    Action: [
      'cloudformation:DescribeStacks',
      'ec2:DescribeImages',
      'ec2:DescribeInstances',
      'ec2:DescribeRegions',
      'ec2:DescribeInstanceTypeOfferings',
      'ec2:DescribeKeyPairs',
      'ec2:DescribeAvailabilityZones',
      'autoscaling:DescribeAutoScalingGroups',
      'route53:GetHostedZone',
      'route53:ListResourceRecordSets',
      'acm:ListCertificates',
      'acm:DescribeCertificate',
      'acm:ListTagsForCertificate',
      // list: the secrets deleted clusters left behind (ListSecrets takes no resource ARN).
      'secretsmanager:ListSecrets',
    ],
    Resource: '*',
  },
  {
    Sid: 'ClusterStacks',
    Effect: 'Allow',
    Action: [
      'cloudformation:CreateStack',
      'cloudformation:DeleteStack',
      'cloudformation:DescribeStackEvents',
      'cloudformation:DescribeStackResources',
      'cloudformation:GetTemplate',
      'cloudformation:CreateChangeSet',
      'cloudformation:DescribeChangeSet',
      'cloudformation:ExecuteChangeSet',
      'cloudformation:DeleteChangeSet',
      'cloudformation:CancelUpdateStack',
      'cloudformation:TagResource',
    ],
    Resource: `arn:${partition}:cloudformation:*:*:stack/*/*`,
  },
  {
    Sid: 'ClusterSecret',
    Effect: 'Allow',
    Action: ['secretsmanager:CreateSecret', 'secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:TagResource', 'secretsmanager:GetSecretValue'],
    Resource: `arn:${partition}:secretsmanager:*:*:secret:elasticrtc/*`,
  },
  {
    Sid: 'Certificates',
    Effect: 'Allow',
    Action: ['acm:ImportCertificate', 'acm:DeleteCertificate', 'acm:AddTagsToCertificate'],
    Resource: '*',
  },
  { Sid: 'Bucket', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: `arn:${partition}:s3:::*` },
  {
    // create (and update, when the bucket is gone) makes the cluster bucket before the stack, and hardens it;
    // with audio-archive it adds a rule expiring staging/ (read first, so the bucket's other rules stay).
    Sid: 'ClusterBucket',
    Effect: 'Allow',
    Action: ['s3:CreateBucket', 's3:PutBucketPublicAccessBlock', 's3:PutEncryptionConfiguration', 's3:PutBucketOwnershipControls', 's3:PutBucketPolicy', 's3:PutBucketTagging', 's3:GetLifecycleConfiguration', 's3:PutLifecycleConfiguration'],
    Resource: `arn:${partition}:s3:::*`,
  },
  // The node runtime bundle, stored by create and update; nothing else is written to the bucket.
  { Sid: 'NodeRuntime', Effect: 'Allow', Action: ['s3:PutObject'], Resource: `arn:${partition}:s3:::*/runtime/elasticrtc-node-*` },
];

/**
 * What CloudFormation's handlers call for the template's load balancer resources, by resource type
 * (`AWS::ElasticLoadBalancingV2::*`: the load balancer, its target group, its two listeners and the
 * rendered `ApiRule…` listener rules): create, read, update (attributes, subnets, security groups,
 * certificates, tags) and delete. Nothing else of the service is granted.
 */
export const LOAD_BALANCER_ACTIONS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': [
    'elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:DeleteLoadBalancer', 'elasticloadbalancing:DescribeLoadBalancers',
    'elasticloadbalancing:DescribeLoadBalancerAttributes', 'elasticloadbalancing:ModifyLoadBalancerAttributes',
    'elasticloadbalancing:SetSubnets', 'elasticloadbalancing:SetSecurityGroups', 'elasticloadbalancing:SetIpAddressType',
    'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:DescribeTags',
  ],
  'AWS::ElasticLoadBalancingV2::TargetGroup': [
    'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:DeleteTargetGroup', 'elasticloadbalancing:DescribeTargetGroups',
    'elasticloadbalancing:ModifyTargetGroup', 'elasticloadbalancing:DescribeTargetGroupAttributes', 'elasticloadbalancing:ModifyTargetGroupAttributes',
    'elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags', 'elasticloadbalancing:DescribeTags',
  ],
  'AWS::ElasticLoadBalancingV2::Listener': [
    'elasticloadbalancing:CreateListener', 'elasticloadbalancing:DeleteListener', 'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:ModifyListener',
    'elasticloadbalancing:DescribeListenerAttributes', 'elasticloadbalancing:ModifyListenerAttributes',
    'elasticloadbalancing:AddListenerCertificates', 'elasticloadbalancing:RemoveListenerCertificates', 'elasticloadbalancing:DescribeListenerCertificates',
  ],
  'AWS::ElasticLoadBalancingV2::ListenerRule': [
    'elasticloadbalancing:CreateRule', 'elasticloadbalancing:DeleteRule', 'elasticloadbalancing:DescribeRules', 'elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities',
  ],
};
const LOAD_BALANCER_ACTIONS = [...new Set(Object.values(LOAD_BALANCER_ACTIONS_BY_TYPE).flat())];

/** What CloudFormation does with the deployer's credentials while it builds, updates and removes a cluster. */
const stackStatements = (partition: string): PolicyStatement[] => [
  {
    Sid: 'Network',
    Effect: 'Allow',
    Action: [
      'ec2:CreateVpc', 'ec2:DeleteVpc', 'ec2:ModifyVpcAttribute', 'ec2:DescribeVpcs',
      'ec2:CreateInternetGateway', 'ec2:DeleteInternetGateway', 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway', 'ec2:DescribeInternetGateways',
      'ec2:CreateRouteTable', 'ec2:DeleteRouteTable', 'ec2:CreateRoute', 'ec2:DeleteRoute', 'ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:DescribeRouteTables',
      'ec2:CreateSubnet', 'ec2:DeleteSubnet', 'ec2:ModifySubnetAttribute', 'ec2:DescribeSubnets',
      'ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSecurityGroupRules',
      'ec2:CreateLaunchTemplate', 'ec2:CreateLaunchTemplateVersion', 'ec2:DeleteLaunchTemplate', 'ec2:DescribeLaunchTemplates', 'ec2:DescribeLaunchTemplateVersions', 'ec2:ModifyLaunchTemplate',
      'ec2:RunInstances', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeAccountAttributes', 'ec2:DescribeNetworkInterfaces',
    ],
    Resource: '*',
  },
  {
    Sid: 'NodesAndScaling',
    Effect: 'Allow',
    Action: [
      'autoscaling:CreateAutoScalingGroup', 'autoscaling:UpdateAutoScalingGroup', 'autoscaling:DeleteAutoScalingGroup', 'autoscaling:DescribeScalingActivities',
      'autoscaling:PutLifecycleHook', 'autoscaling:DeleteLifecycleHook', 'autoscaling:DescribeLifecycleHooks',
      'autoscaling:PutScalingPolicy', 'autoscaling:DeletePolicy', 'autoscaling:DescribePolicies', 'autoscaling:CreateOrUpdateTags', 'autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup',
      'cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms',
      ...LOAD_BALANCER_ACTIONS,
      'sqs:CreateQueue', 'sqs:DeleteQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:TagQueue', 'sqs:GetQueueUrl',
      'logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DescribeLogGroups', 'logs:TagResource',
      'ssm:GetParameters',
    ],
    Resource: '*',
  },
  {
    Sid: 'ServiceLinkedRoles',
    Effect: 'Allow',
    Action: ['iam:CreateServiceLinkedRole'],
    Resource: '*',
    Condition: { StringEquals: { 'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'elasticloadbalancing.amazonaws.com'] } },
  },
  {
    Sid: 'ClusterRoles',
    Effect: 'Allow',
    Action: [
      'iam:CreateRole', 'iam:DeleteRole', 'iam:GetRole', 'iam:TagRole', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy', 'iam:GetRolePolicy', 'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PassRole',
      'iam:CreateInstanceProfile', 'iam:DeleteInstanceProfile', 'iam:GetInstanceProfile', 'iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile',
    ],
    Resource: [`arn:${partition}:iam::*:role/elasticrtc/*`, `arn:${partition}:iam::*:instance-profile/elasticrtc/*`],
  },
  { Sid: 'Dns', Effect: 'Allow', Action: ['route53:ChangeResourceRecordSets', 'route53:GetChange'], Resource: '*' },
  // kvs-relay's streams, made by CloudFormation with the caller's rights. Kept on delete (DeletionPolicy Retain):
  // CloudFormation never deletes one, and neither does the tool.
  {
    Sid: 'CameraStreams',
    Effect: 'Allow',
    Action: ['kinesisvideo:CreateStream', 'kinesisvideo:DescribeStream', 'kinesisvideo:UpdateDataRetention', 'kinesisvideo:UpdateStream', 'kinesisvideo:TagStream', 'kinesisvideo:UntagStream', 'kinesisvideo:ListTagsForStream'],
    Resource: `arn:${partition}:kinesisvideo:*:*:stream/*`,
  },
];

/** The ARN partition of a region, known offline: `aws-cn` (cn-…), `aws-us-gov` (us-gov-…), else `aws`. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

/**
 * The deployer policy `elasticrtc iam-policy` prints; every one of its ARNs is in `partition` (`aws`
 * unless given; see {@link partitionOf} for a region's).
 */
export function deployerPolicy(partition = 'aws'): PolicyDocument {
  if (!/^aws(-[a-z]+)*$/.test(partition)) throw new Error(`not an AWS partition: ${partition}`);
  return { Version: '2012-10-17', Statement: [...toolStatements(partition), ...stackStatements(partition)] };
}

/** Whether `action` (e.g. `cloudformation:CreateStack`) is allowed by some statement (wildcards honoured). */
export function allows(policy: PolicyDocument, action: string): boolean {
  const lower = action.toLowerCase();
  return policy.Statement.some((s) => s.Action.some((a) => new RegExp(`^${a.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(lower)));
}
