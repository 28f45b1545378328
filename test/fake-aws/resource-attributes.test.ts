import { CreateStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { useFake } from './helpers.js';

const env = useFake();

const att = (id: string, name: string) => ({ Value: { 'Fn::GetAtt': [id, name] } });
const ref = (id: string) => ({ Value: { Ref: id } });

const TEMPLATE = {
  Resources: {
    LoadBalancer: { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer' },
    Listener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'LoadBalancer' }, Port: 80 } },
    Rule: { Type: 'AWS::ElasticLoadBalancingV2::ListenerRule', Properties: { ListenerArn: { Ref: 'Listener' }, Priority: 1 } },
    Logs: { Type: 'AWS::Logs::LogGroup' },
    Queue: { Type: 'AWS::SQS::Queue' },
    Group: { Type: 'AWS::AutoScaling::AutoScalingGroup', Properties: { MinSize: '0', MaxSize: '1' } },
    Hook: { Type: 'AWS::AutoScaling::LifecycleHook', Properties: { AutoScalingGroupName: { Ref: 'Group' } } },
    Policy: { Type: 'AWS::AutoScaling::ScalingPolicy', Properties: { AutoScalingGroupName: { Ref: 'Group' } } },
    Alarm: { Type: 'AWS::CloudWatch::Alarm' },
    Role: { Type: 'AWS::IAM::Role' },
    RolePolicy: { Type: 'AWS::IAM::Policy' },
    Profile: { Type: 'AWS::IAM::InstanceProfile' },
    Secret: { Type: 'AWS::SecretsManager::Secret' },
    Topic: { Type: 'AWS::SNS::Topic' },
    Template: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { InstanceType: 't3.micro' } } },
    Bucket: { Type: 'AWS::S3::Bucket', UpdateReplacePolicy: 'Retain', Properties: { BucketName: 'first-name' } },
  },
  Outputs: {
    ListenerArn: att('Listener', 'ListenerArn'),
    ListenerRef: ref('Listener'),
    RuleArn: att('Rule', 'RuleArn'),
    LogGroupArn: att('Logs', 'Arn'),
    LogGroupRef: ref('Logs'),
    QueueArn: att('Queue', 'Arn'),
    QueueName: att('Queue', 'QueueName'),
    QueueRef: ref('Queue'),
    HookRef: ref('Hook'),
    PolicyArn: att('Policy', 'Arn'),
    AlarmArn: att('Alarm', 'Arn'),
    RoleArn: att('Role', 'Arn'),
    RoleId: att('Role', 'RoleId'),
    RolePolicyRef: ref('RolePolicy'),
    ProfileArn: att('Profile', 'Arn'),
    SecretRef: ref('Secret'),
    TopicArn: att('Topic', 'TopicArn'),
    TopicName: att('Topic', 'TopicName'),
    LatestVersion: att('Template', 'LatestVersionNumber'),
    DefaultVersion: att('Template', 'DefaultVersionNumber'),
    BucketArn: att('Bucket', 'Arn'),
    BucketDomain: att('Bucket', 'DomainName'),
    BucketRegionalDomain: att('Bucket', 'RegionalDomainName'),
  },
};

describe('physical ids and Fn::GetAtt values', () => {
  it('are plausible for the types the cluster template uses', async () => {
    await env.cfn.send(new CreateStackCommand({ StackName: 'attrs', TemplateBody: JSON.stringify(TEMPLATE), Capabilities: ['CAPABILITY_IAM'] }));
    env.clock.advance(60_000);
    const stack = env.fake.stack('attrs');
    expect(stack?.status).toBe('CREATE_COMPLETE');
    const o = stack?.outputs ?? {};
    const lb = stack?.resources.find((r) => r.logicalId === 'LoadBalancer')?.physicalId ?? '';
    const lbPath = lb.split(':loadbalancer/')[1];
    const expected: Record<string, RegExp> = {
      ListenerArn: new RegExp(`^arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/${lbPath}/[0-9a-f]{16}$`),
      RuleArn: new RegExp(`^${o.ListenerArn?.replace(':listener/', ':listener-rule/')}/[0-9a-f]{16}$`),
      LogGroupArn: new RegExp(`^arn:aws:logs:eu-west-1:123456789012:log-group:${o.LogGroupRef}:\\*$`),
      LogGroupRef: /^attrs-Logs-[A-Z0-9]{12}$/,
      QueueArn: new RegExp(`^arn:aws:sqs:eu-west-1:123456789012:${o.QueueName}$`),
      // On the fake's endpoint: the SDK sends SQS requests to the QueueUrl's host (unless given an endpoint).
      QueueRef: new RegExp(`^${env.fake.url.replace(/\./g, '\\.')}/123456789012/${o.QueueName}$`),
      HookRef: /^attrs-Hook-[A-Z0-9]{12}$/,
      PolicyArn: /^arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/attrs-Group-[A-Z0-9]{12}:policyName\/attrs-Policy-[A-Z0-9]{12}$/,
      AlarmArn: /^arn:aws:cloudwatch:eu-west-1:123456789012:alarm:attrs-Alarm-[A-Z0-9]{12}$/,
      RoleArn: /^arn:aws:iam::123456789012:role\/attrs-Role-[A-Z0-9]{12}$/,
      RoleId: /^AROA[0-9A-F]{17}$/,
      RolePolicyRef: /^attrs-RolePolicy-[A-Z0-9]{12}$/,
      ProfileArn: /^arn:aws:iam::123456789012:instance-profile\/attrs-Profile-[A-Z0-9]{12}$/,
      SecretRef: /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:Secret-[A-Z0-9]{12}-[A-Za-z0-9]{6}$/,
      TopicArn: /^arn:aws:sns:eu-west-1:123456789012:attrs-Topic-[A-Z0-9]{12}$/,
      TopicName: /^attrs-Topic-[A-Z0-9]{12}$/,
      LatestVersion: /^1$/,
      DefaultVersion: /^1$/,
      BucketArn: /^arn:aws:s3:::first-name$/,
      BucketDomain: /^first-name\.s3\.amazonaws\.com$/,
      BucketRegionalDomain: /^first-name\.s3\.eu-west-1\.amazonaws\.com$/,
    };
    for (const [key, pattern] of Object.entries(expected)) expect(o[key], key).toMatch(pattern);
    expect(o.ListenerRef).toBe(o.ListenerArn);
    expect(env.fake.secrets().map((s) => s.arn)).toEqual([o.SecretRef]);
    expect(env.fake.secrets()[0]?.value).toMatch(/^.{32}$/);
  });

  it('keeps a bucket replaced under UpdateReplacePolicy: Retain', async () => {
    await env.cfn.send(new CreateStackCommand({ StackName: 'attrs', TemplateBody: JSON.stringify(TEMPLATE), Capabilities: ['CAPABILITY_IAM'] }));
    env.clock.advance(60_000);
    const next = structuredClone(TEMPLATE);
    next.Resources.Bucket.Properties.BucketName = 'second-name';
    await env.cfn.send(new UpdateStackCommand({ StackName: 'attrs', TemplateBody: JSON.stringify(next), Capabilities: ['CAPABILITY_IAM'] }));
    env.clock.advance(60_000);
    expect(env.fake.stack('attrs')?.status).toBe('UPDATE_COMPLETE');
    expect(env.fake.stack('attrs')?.events.filter((e) => e.logicalId === 'Bucket').map((e) => `${e.physicalId} ${e.status}`).slice(-3)).toEqual([
      'second-name UPDATE_IN_PROGRESS',
      'second-name UPDATE_COMPLETE',
      'first-name DELETE_SKIPPED',
    ]);
    expect(env.fake.buckets().map((b) => b.name).sort()).toEqual(['first-name', 'second-name']);
  });
});
