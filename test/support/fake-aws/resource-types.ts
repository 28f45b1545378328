/**
 * Per resource type knowledge: realistic physical ids, plausible `Fn::GetAtt` values, which types
 * need IAM capabilities and which property changes force a replacement.
 */
import { hex, stableDigits, stableHex, suffix, uuid } from './ids.js';

/** Where a resource lives, for ids and ARNs. */
export interface ResourceScope {
  stackName: string;
  region: string;
  accountId: string;
}

const EC2_PREFIXES: Record<string, string> = {
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::SecurityGroup': 'sg',
  'AWS::EC2::SecurityGroupIngress': 'sgr',
  'AWS::EC2::SecurityGroupEgress': 'sgr',
  'AWS::EC2::LaunchTemplate': 'lt',
  'AWS::EC2::InternetGateway': 'igw',
  'AWS::EC2::RouteTable': 'rtb',
  'AWS::EC2::SubnetRouteTableAssociation': 'rtbassoc',
  'AWS::EC2::NatGateway': 'nat',
  'AWS::EC2::Instance': 'i',
  'AWS::EC2::NetworkInterface': 'eni',
  'AWS::EC2::VPCEndpoint': 'vpce',
};

/** `stack-Logical-ABC123…` trimmed like CloudFormation's generated names. */
function generatedName(scope: ResourceScope, logicalId: string, max = 128): string {
  const tail = `-${suffix(12)}`;
  const head = `${scope.stackName}-${logicalId}`;
  return head.slice(0, Math.max(1, max - tail.length)) + tail;
}

/** Picks the physical id a new resource of `type` gets. `props` are its resolved properties. */
export function newPhysicalId(type: string, logicalId: string, props: Record<string, unknown>, scope: ResourceScope): string {
  const { region, accountId } = scope;
  const named = (key: string): string | undefined => (typeof props[key] === 'string' ? (props[key] as string) : undefined);
  const prefix = EC2_PREFIXES[type];
  if (prefix) return `${prefix}-${hex(17)}`;
  switch (type) {
    case 'AWS::EC2::EIP':
      return `52.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
    case 'AWS::S3::Bucket':
      return named('BucketName') ?? generatedName(scope, logicalId, 63).toLowerCase();
    case 'AWS::AutoScaling::AutoScalingGroup':
      return named('AutoScalingGroupName') ?? generatedName(scope, logicalId, 255);
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer': {
      const name = named('Name') ?? `${scope.stackName.slice(0, 28)}-alb`;
      const kind = props.Type === 'network' ? 'net' : 'app';
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:loadbalancer/${kind}/${name}/${hex(16)}`;
    }
    case 'AWS::ElasticLoadBalancingV2::TargetGroup': {
      const name = named('Name') ?? generatedName(scope, logicalId, 32);
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:targetgroup/${name}/${hex(16)}`;
    }
    case 'AWS::ElasticLoadBalancingV2::Listener':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:listener/app/${scope.stackName.slice(0, 28)}-alb/${hex(16)}/${hex(16)}`;
    case 'AWS::ElasticLoadBalancingV2::ListenerRule':
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:listener-rule/app/${scope.stackName.slice(0, 28)}-alb/${hex(16)}/${hex(16)}/${hex(16)}`;
    case 'AWS::IAM::Role':
      return named('RoleName') ?? generatedName(scope, logicalId, 64);
    case 'AWS::IAM::InstanceProfile':
      return named('InstanceProfileName') ?? generatedName(scope, logicalId, 128);
    case 'AWS::Logs::LogGroup':
      return named('LogGroupName') ?? generatedName(scope, logicalId, 512);
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${accountId}:${named('TopicName') ?? generatedName(scope, logicalId, 256)}`;
    case 'AWS::SQS::Queue':
      return `https://sqs.${region}.amazonaws.com/${accountId}/${named('QueueName') ?? generatedName(scope, logicalId, 80)}`;
    case 'AWS::CertificateManager::Certificate':
      return `arn:aws:acm:${region}:${accountId}:certificate/${uuid()}`;
    case 'AWS::AutoScaling::ScalingPolicy': {
      const policy = generatedName(scope, logicalId, 64);
      return `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${uuid()}:autoScalingGroupName/${scope.stackName}:policyName/${policy}`;
    }
    case 'AWS::Route53::RecordSet':
      return named('Name') ?? generatedName(scope, logicalId);
    case 'AWS::SSM::Parameter':
      return named('Name') ?? `CFN-${generatedName(scope, logicalId, 128)}`;
    default:
      return generatedName(scope, logicalId);
  }
}

function service(type: string): string {
  return (type.split('::')[1] ?? 'service').toLowerCase();
}

/** A plausible `Fn::GetAtt` value for a resource with that physical id. */
export function attributeValue(type: string, logicalId: string, physicalId: string, attribute: string, scope: ResourceScope, version = 1): unknown {
  const { region, accountId } = scope;
  const lbName = physicalId.split('/')[2] ?? physicalId;
  switch (`${type}.${attribute}`) {
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.DNSName':
      return `${lbName}-${stableDigits(physicalId, 9)}.${region}.elb.amazonaws.com`;
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.CanonicalHostedZoneID':
      return 'Z32O12XQLNTSW2';
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerFullName':
    case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupFullName':
      return physicalId.split(':').slice(5).join(':').split('/').slice(1).join('/');
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerName':
    case 'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupName':
      return lbName;
    case 'AWS::EC2::LaunchTemplate.LatestVersionNumber':
    case 'AWS::EC2::LaunchTemplate.DefaultVersionNumber':
      return String(version);
    case 'AWS::EC2::LaunchTemplate.LaunchTemplateName':
      return `${scope.stackName}-${logicalId}`;
    case 'AWS::EC2::VPC.CidrBlock':
      return '10.0.0.0/16';
    case 'AWS::EC2::VPC.DefaultSecurityGroup':
      return `sg-${stableHex(physicalId, 17)}`;
    case 'AWS::EC2::Subnet.AvailabilityZone':
      return `${region}a`;
    case 'AWS::EC2::EIP.AllocationId':
      return `eipalloc-${stableHex(physicalId, 17)}`;
    case 'AWS::EC2::EIP.PublicIp':
      return physicalId;
    case 'AWS::S3::Bucket.Arn':
      return `arn:aws:s3:::${physicalId}`;
    case 'AWS::S3::Bucket.DomainName':
      return `${physicalId}.s3.amazonaws.com`;
    case 'AWS::S3::Bucket.RegionalDomainName':
      return `${physicalId}.s3.${region}.amazonaws.com`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${accountId}:role/${physicalId}`;
    case 'AWS::IAM::Role.RoleId':
      return `AROA${stableHex(physicalId, 17).toUpperCase()}`;
    case 'AWS::IAM::InstanceProfile.Arn':
      return `arn:aws:iam::${accountId}:instance-profile/${physicalId}`;
  }
  if (attribute.endsWith('Id') && /^[a-z]+-[0-9a-f]+$/.test(physicalId)) return physicalId;
  if (attribute === 'Arn' || attribute.endsWith('Arn')) {
    return physicalId.startsWith('arn:') ? physicalId : `arn:aws:${service(type)}:${region}:${accountId}:${logicalId.toLowerCase()}/${physicalId}`;
  }
  return `${physicalId}-${attribute}`;
}

const IAM_TYPES = new Set(
  ['Role', 'InstanceProfile', 'Policy', 'ManagedPolicy', 'User', 'Group', 'AccessKey', 'UserToGroupAddition'].map((t) => `AWS::IAM::${t}`),
);
const IAM_NAMES = ['RoleName', 'InstanceProfileName', 'ManagedPolicyName', 'UserName', 'GroupName'];

/** The capability a resource needs (`CAPABILITY_IAM`, `CAPABILITY_NAMED_IAM`) or `undefined`. */
export function capabilityNeeded(type: string, props: Record<string, unknown>): string | undefined {
  if (!IAM_TYPES.has(type)) return undefined;
  return IAM_NAMES.some((k) => props[k] !== undefined) ? 'CAPABILITY_NAMED_IAM' : 'CAPABILITY_IAM';
}

/** Properties whose change replaces the resource (a short, documented subset of the real rules). */
const REPLACING: Record<string, string[]> = {
  'AWS::EC2::VPC': ['CidrBlock', 'InstanceTenancy'],
  'AWS::EC2::Subnet': ['VpcId', 'CidrBlock', 'AvailabilityZone'],
  'AWS::EC2::SecurityGroup': ['GroupDescription', 'GroupName', 'VpcId'],
  'AWS::EC2::LaunchTemplate': ['LaunchTemplateName'],
  'AWS::EC2::Instance': ['ImageId', 'SubnetId', 'AvailabilityZone', 'KeyName'],
  'AWS::AutoScaling::AutoScalingGroup': ['AutoScalingGroupName'],
  'AWS::ElasticLoadBalancingV2::LoadBalancer': ['Name', 'Scheme', 'Type'],
  'AWS::ElasticLoadBalancingV2::TargetGroup': ['Name', 'Port', 'Protocol', 'VpcId', 'TargetType'],
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::IAM::Role': ['RoleName', 'Path'],
  'AWS::IAM::InstanceProfile': ['InstanceProfileName', 'Path'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
};

/** Whether changing `property` of a `type` resource creates a new physical resource. */
export function replaces(type: string, property: string): boolean {
  return REPLACING[type]?.includes(property) ?? false;
}
