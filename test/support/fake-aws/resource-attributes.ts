/** Plausible `Fn::GetAtt` values per resource type, derived from the physical id (stable between calls). */
import { stableDigits, stableHex } from './ids.js';
import type { ResourceScope } from './resource-types.js';

function service(type: string): string {
  return (type.split('::')[1] ?? 'service').toLowerCase();
}

const lastSegment = (text: string, separator: string): string => text.split(separator).pop() ?? text;

/** Attributes whose value is the physical id itself. */
const SAME_AS_PHYSICAL = new Set([
  'AWS::ElasticLoadBalancingV2::Listener.ListenerArn',
  'AWS::ElasticLoadBalancingV2::ListenerRule.RuleArn',
  'AWS::ElasticLoadBalancingV2::LoadBalancer.LoadBalancerArn',
  'AWS::ElasticLoadBalancingV2::TargetGroup.TargetGroupArn',
  'AWS::SQS::Queue.QueueUrl',
  'AWS::SNS::Topic.TopicArn',
  'AWS::SecretsManager::Secret.Id',
  'AWS::AutoScaling::ScalingPolicy.Arn',
  'AWS::IAM::ManagedPolicy.PolicyArn',
  'AWS::CertificateManager::Certificate.Arn',
]);

/** A plausible `Fn::GetAtt` value for a resource with that physical id. */
export function attributeValue(type: string, logicalId: string, physicalId: string, attribute: string, scope: ResourceScope, version = 1): unknown {
  const { region, accountId } = scope;
  const key = `${type}.${attribute}`;
  if (SAME_AS_PHYSICAL.has(key)) return physicalId;
  const lbName = physicalId.split('/')[2] ?? physicalId;
  switch (key) {
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
    case 'AWS::ElasticLoadBalancingV2::TargetGroup.LoadBalancerArns':
      return [];
    case 'AWS::ElasticLoadBalancingV2::ListenerRule.IsDefault':
      return 'false';
    case 'AWS::EC2::LaunchTemplate.LatestVersionNumber':
    case 'AWS::EC2::LaunchTemplate.DefaultVersionNumber':
      return String(version);
    case 'AWS::EC2::LaunchTemplate.LaunchTemplateName':
      return `${scope.stackName}-${logicalId}`;
    case 'AWS::EC2::LaunchTemplate.LaunchTemplateId':
      return physicalId;
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
    case 'AWS::S3::Bucket.DualStackDomainName':
      return `${physicalId}.s3.dualstack.${region}.amazonaws.com`;
    case 'AWS::S3::Bucket.WebsiteURL':
      return `http://${physicalId}.s3-website-${region}.amazonaws.com`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${accountId}:role/${physicalId}`;
    case 'AWS::IAM::Role.RoleId':
      return `AROA${stableHex(physicalId, 17).toUpperCase()}`;
    case 'AWS::IAM::InstanceProfile.Arn':
      return `arn:aws:iam::${accountId}:instance-profile/${physicalId}`;
    case 'AWS::Logs::LogGroup.Arn':
      return `arn:aws:logs:${region}:${accountId}:log-group:${physicalId}:*`;
    case 'AWS::SQS::Queue.QueueName':
      return lastSegment(physicalId, '/');
    case 'AWS::SQS::Queue.Arn':
      return `arn:aws:sqs:${region}:${accountId}:${lastSegment(physicalId, '/')}`;
    case 'AWS::SNS::Topic.TopicName':
      return lastSegment(physicalId, ':');
    case 'AWS::CloudWatch::Alarm.Arn':
      return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${physicalId}`;
    case 'AWS::AutoScaling::ScalingPolicy.PolicyName':
      return lastSegment(physicalId, 'policyName/');
    case 'AWS::AutoScaling::AutoScalingGroup.AutoScalingGroupName':
      return physicalId;
    case 'AWS::EC2::SecurityGroup.GroupName':
      return `${scope.stackName}-${logicalId}-${stableHex(physicalId, 12).toUpperCase()}`;
  }
  if (attribute.endsWith('Id') && /^[a-z]+-[0-9a-f]+$/.test(physicalId)) return physicalId;
  if (attribute === 'Arn' || attribute.endsWith('Arn')) {
    return physicalId.startsWith('arn:') ? physicalId : `arn:aws:${service(type)}:${region}:${accountId}:${logicalId.toLowerCase()}/${physicalId}`;
  }
  return `${physicalId}-${attribute}`;
}
