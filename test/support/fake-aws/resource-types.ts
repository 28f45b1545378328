/**
 * Per resource type knowledge: realistic physical ids, which types need IAM capabilities and which
 * property changes force a replacement. `Fn::GetAtt` values are in `resource-attributes.ts`.
 */
import { hex, suffix, uuid } from './ids.js';
import { secretArn } from './secrets.js';

/** Where a resource lives, for ids and ARNs. */
export interface ResourceScope {
  stackName: string;
  region: string;
  accountId: string;
  /** The fake's endpoint: queue URLs point at it, so the SDK (which sends to a QueueUrl's host) stays on the fake. */
  endpointUrl?: string;
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
    case 'AWS::ElasticLoadBalancingV2::Listener': {
      const lb = named('LoadBalancerArn')?.split(':loadbalancer/')[1] ?? `app/${scope.stackName.slice(0, 28)}-alb/${hex(16)}`;
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:listener/${lb}/${hex(16)}`;
    }
    case 'AWS::ElasticLoadBalancingV2::ListenerRule': {
      const listener = named('ListenerArn')?.split(':listener/')[1] ?? `app/${scope.stackName.slice(0, 28)}-alb/${hex(16)}/${hex(16)}`;
      return `arn:aws:elasticloadbalancing:${region}:${accountId}:listener-rule/${listener}/${hex(16)}`;
    }
    case 'AWS::IAM::Role':
      return named('RoleName') ?? generatedName(scope, logicalId, 64);
    case 'AWS::IAM::InstanceProfile':
      return named('InstanceProfileName') ?? generatedName(scope, logicalId, 128);
    case 'AWS::Logs::LogGroup':
      return named('LogGroupName') ?? generatedName(scope, logicalId, 512);
    case 'AWS::SNS::Topic':
      return `arn:aws:sns:${region}:${accountId}:${named('TopicName') ?? generatedName(scope, logicalId, 256)}`;
    case 'AWS::SQS::Queue': {
      const fifo = props.FifoQueue === true || props.FifoQueue === 'true';
      const name = named('QueueName') ?? (fifo ? `${generatedName(scope, logicalId, 75)}.fifo` : generatedName(scope, logicalId, 80));
      return `${scope.endpointUrl ?? `https://sqs.${region}.amazonaws.com`}/${accountId}/${name}`;
    }
    case 'AWS::SecretsManager::Secret':
      return secretArn(region, accountId, named('Name') ?? `${logicalId.slice(0, 40)}-${suffix(12)}`);
    case 'AWS::CloudWatch::Alarm':
      return named('AlarmName') ?? generatedName(scope, logicalId, 255);
    case 'AWS::AutoScaling::LifecycleHook':
      return named('LifecycleHookName') ?? generatedName(scope, logicalId, 255);
    case 'AWS::IAM::ManagedPolicy':
      return `arn:aws:iam::${accountId}:policy/${named('ManagedPolicyName') ?? generatedName(scope, logicalId, 128)}`;
    case 'AWS::CertificateManager::Certificate':
      return `arn:aws:acm:${region}:${accountId}:certificate/${uuid()}`;
    case 'AWS::AutoScaling::ScalingPolicy': {
      const policy = generatedName(scope, logicalId, 64);
      const group = named('AutoScalingGroupName') ?? scope.stackName;
      return `arn:aws:autoscaling:${region}:${accountId}:scalingPolicy:${uuid()}:autoScalingGroupName/${group}:policyName/${policy}`;
    }
    case 'AWS::Route53::RecordSet':
      return named('Name') ?? generatedName(scope, logicalId);
    case 'AWS::SSM::Parameter':
      return named('Name') ?? `CFN-${generatedName(scope, logicalId, 128)}`;
    default:
      return generatedName(scope, logicalId);
  }
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
  'AWS::Route53::RecordSet': ['Name', 'Type', 'HostedZoneId', 'HostedZoneName', 'SetIdentifier'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SQS::Queue': ['QueueName', 'FifoQueue'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::AutoScaling::LifecycleHook': ['AutoScalingGroupName', 'LifecycleHookName'],
  'AWS::ElasticLoadBalancingV2::Listener': ['LoadBalancerArn'],
  'AWS::ElasticLoadBalancingV2::ListenerRule': ['ListenerArn'],
};

/** Whether changing `property` of a `type` resource creates a new physical resource. */
export function replaces(type: string, property: string): boolean {
  return REPLACING[type]?.includes(property) ?? false;
}
