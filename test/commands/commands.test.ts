import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  GetTemplateCommand,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, DescribeInstancesCommand, DescribeInstanceTypeOfferingsCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { FAKE_RUNTIME_BYTES, FAKE_RUNTIME_SHA256, type TestContextOptions, testContext } from '../support/context.js';

const cfn = mockClient(CloudFormationClient);
const ec2 = mockClient(EC2Client);
const asg = mockClient(AutoScalingClient);
const sts = mockClient(STSClient);
const s3 = mockClient(S3Client);
const sm = mockClient(SecretsManagerClient);

const env = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'secret', AWS_REGION: 'eu-west-1' };
const clusterStack = (name: string, extra: Partial<Stack> = {}): Stack => ({
  StackName: name,
  StackId: `arn:aws:cloudformation:eu-west-1:123456789012:stack/${name}/1`,
  StackStatus: 'CREATE_COMPLETE',
  CreationTime: new Date('2026-11-20T10:00:00Z'),
  Tags: [{ Key: 'elasticrtc:cluster', Value: name }, { Key: 'elasticrtc:kms-version', Value: '7.3.0' }],
  Parameters: [{ ParameterKey: 'DesiredCapacity', ParameterValue: '2' }, { ParameterKey: 'MinCapacity', ParameterValue: '1' }, { ParameterKey: 'MaxCapacity', ParameterValue: '4' }],
  Outputs: [{ OutputKey: 'ClusterUrl', OutputValue: 'ws://lb/kurento' }, { OutputKey: 'BucketName', OutputValue: 'demo-bucket' }],
  ...extra,
});

async function run(argv: string[], o: Pick<TestContextOptions, 'tty' | 'answers'> = {}) {
  const t = testContext({ env, ...o });
  const code = await main(argv, t.ctx);
  return { code, out: t.out(), err: t.err(), t };
}

beforeEach(() => {
  cfn.reset();
  ec2.reset();
  asg.reset();
  sts.reset();
  s3.reset();
  sm.reset();
  ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: [{ Location: 'eu-west-1a' }, { Location: 'eu-west-1b' }] });
  s3.on(HeadBucketCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
  sm.on(DescribeSecretCommand).rejects(Object.assign(new Error('no secret'), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 400 } }));
  sm.on(CreateSecretCommand).resolves({ ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elasticrtc/demo-AbCdEf' });
  sm.on(DeleteSecretCommand).resolves({});
  // Every command checks its credentials with STS first.
  sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/me' });
});
afterEach(() => cfn.reset());

describe('list', () => {
  it('lists only clusters, across pages, and tolerates odd stacks', async () => {
    cfn.on(DescribeStacksCommand, { NextToken: undefined }).resolves({ Stacks: [clusterStack('b'), { StackName: 'other', StackId: 'x', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date() }], NextToken: 'p2' });
    cfn.on(DescribeStacksCommand, { NextToken: 'p2' }).resolves({ Stacks: [clusterStack('a', { Parameters: undefined, CreationTime: undefined })] });
    const r = await run(['list', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.clusters.map((c: { name: string }) => c.name)).toEqual(['a', 'b']);
    expect(doc.clusters[1]).toMatchObject({ status: 'CREATE_COMPLETE', version: '7.3.0', nodes: { desired: 2, min: 1, max: 4 } });
    expect(cfn.commandCalls(DescribeStacksCommand)).toHaveLength(2);
  });

  it('prints a tab-separated table when stdout is not a terminal', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [clusterStack('demo')] });
    const r = await run(['list']);
    expect(r.out).toBe('NAME\tSTATUS\tVERSION\tNODES\tCREATED\ndemo\tCREATE_COMPLETE\t7.3.0\t2 (1-4)\t2026-11-20T10:00:00.000Z\n');
  });

  it('lists every region with --all-regions, reporting a failing region without breaking', async () => {
    ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'eu-west-1' }, { RegionName: 'us-east-1' }, { RegionName: 'ap-south-1' }] });
    let n = 0;
    cfn.on(DescribeStacksCommand).callsFake(async () => {
      if (n++ === 1) throw Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      return { Stacks: [clusterStack(`c${n}`)] };
    });
    const r = await run(['list', '--all-regions', '-o', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.clusters).toHaveLength(2);
    expect(doc.failedRegions).toHaveLength(1);
    expect(r.err).toContain('could not list');
  });
});

describe('show', () => {
  it('builds the report of 100 nodes from a constant number of calls', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `i-${i}`);
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [clusterStack('demo')] });
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [{ LogicalResourceId: 'NodeGroup', PhysicalResourceId: 'demo-ng', ResourceType: 'AWS::AutoScaling::AutoScalingGroup', ResourceStatus: 'CREATE_COMPLETE', Timestamp: new Date() }] });
    asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [{ AutoScalingGroupName: 'demo-ng', MinSize: 1, MaxSize: 100, DesiredCapacity: 100, Instances: ids.map((InstanceId) => ({ InstanceId, AvailabilityZone: 'eu-west-1a', LifecycleState: 'InService', HealthStatus: 'Healthy', ProtectedFromScaleIn: false })), CreatedTime: new Date(), DefaultCooldown: 300, HealthCheckType: 'ELB', AvailabilityZones: [] }] });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: ids.map((InstanceId, i) => ({ InstanceId, InstanceType: 'c7i.large', State: { Name: 'running' }, PrivateIpAddress: `10.0.0.${i}` })) }] });
    cfn.on(GetTemplateCommand).resolves({ TemplateBody: JSON.stringify({ Metadata: { elasticrtc: { settings: { 'api-origin': '10.0.0.0/8', 'control-origin': '203.0.113.7/32', 'scale-out-policy': '70=50', 'scale-in-policy': '30=-20' } } }, Resources: {} }) });
    const r = await run(['show', '--stack-name', 'demo', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).instances).toHaveLength(100);
    expect(JSON.parse(r.out)).toMatchObject({ apiOrigin: ['10.0.0.0/8'], controlOrigin: ['203.0.113.7/32'], scaleOutPolicy: ['70=50'], scaleInPolicy: ['30=-20'], terminationProtection: false });
    const calls = cfn.calls().length + asg.calls().length + ec2.calls().length;
    expect(calls).toBeLessThanOrEqual(6);
  });

  it('refuses a stack that is not a cluster, and a missing one, with exit 2', async () => {
    cfn.on(DescribeStacksCommand, { StackName: 'plain' }).resolves({ Stacks: [{ ...clusterStack('plain'), Tags: [] }] });
    cfn.on(DescribeStacksCommand, { StackName: 'gone' }).rejects(Object.assign(new Error('Stack with id gone does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } }));
    const plain = await run(['show', '--stack-name', 'plain']);
    expect(plain).toMatchObject({ code: 2, err: expect.stringContaining('is not an elasticrtc cluster') });
    const gone = await run(['show', '--stack-name', 'gone']);
    expect(gone).toMatchObject({ code: 2, err: expect.stringContaining('no cluster named gone in eu-west-1') });
  });
});

describe('delete', () => {
  const deleting = () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [clusterStack('demo')] });
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [] });
    cfn.on(DeleteStackCommand).resolves({});
    const token = () => (cfn.commandCalls(DeleteStackCommand)[0]?.args[0].input.ClientRequestToken ?? '');
    cfn.on(DescribeStackEventsCommand).callsFake(async () => ({
      StackEvents: [
        { EventId: '2', StackId: 'id', StackName: 'demo', LogicalResourceId: 'demo', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'DELETE_COMPLETE', Timestamp: new Date(), ClientRequestToken: token() },
        { EventId: '1', StackId: 'id', StackName: 'demo', LogicalResourceId: 'Bucket', ResourceType: 'AWS::S3::Bucket', ResourceStatus: 'DELETE_SKIPPED', Timestamp: new Date(), ClientRequestToken: token() },
      ],
    }));
  };

  it('asks to type the name on a terminal, deletes, and says what is kept', async () => {
    deleting();
    const r = await run(['delete', '--stack-name', 'demo'], { tty: true, answers: [{ kind: 'input', match: /Type its name/, value: 'demo' }] });
    expect(r.code).toBe(0);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(1);
    // The question names the account and region acted in, in full.
    expect(r.t.prompter.asked).toEqual(['Delete cluster demo in account 123456789012, eu-west-1, and all its nodes? Type its name to confirm:']);
    expect(r.err).toContain('demo-bucket is kept');
    // A cluster made while the stack still held its bucket: the skipped deletion reads as retained.
    expect(r.err).toContain('\u001b[32m✔\u001b[0m bucket retained'); // colour on a terminal
  });

  it('says the audio archive (final/) stays with the bucket when the cluster has recorders', async () => {
    deleting();
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [{ LogicalResourceId: 'RecorderGroup', PhysicalResourceId: 'demo-recorders', ResourceType: 'AWS::AutoScaling::AutoScalingGroup', ResourceStatus: 'CREATE_COMPLETE', Timestamp: new Date() }] });
    const r = await run(['delete', '--stack-name', 'demo', '--yes']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('demo-bucket is kept with its recordings, logs, node runtime and the audio archive under final/');
    expect(r.out).toContain('Kept: bucket demo-bucket (audio archive: s3://demo-bucket/final/)');
    const json = await run(['delete', '--stack-name', 'demo', '--yes', '-o', 'json']);
    expect(JSON.parse(json.out)).toMatchObject({ retained: { bucket: 'demo-bucket', archive: 's3://demo-bucket/final/' } });
  });

  it('declining exits 3 and deletes nothing', async () => {
    deleting();
    const r = await run(['delete', '--stack-name', 'demo'], { tty: true, answers: [{ kind: 'input', value: 'nope' }] });
    expect(r.code).toBe(3);
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });

  it('refuses a stack that is not a cluster', async () => {
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ ...clusterStack('plain'), Tags: [] }] });
    const r = await run(['delete', '--stack-name', 'plain', '--yes']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('not an elasticrtc cluster');
    expect(cfn.commandCalls(DeleteStackCommand)).toHaveLength(0);
  });
});

describe('create', () => {
  it('checks the identity and the name, creates with a token, tags and timeout, follows, and reports', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/me' });
    let created = false;
    cfn.on(DescribeStacksCommand).callsFake(async (input: { StackName?: string }) => {
      if (!created && input.StackName === 'demo') throw Object.assign(new Error('Stack with id demo does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
      return { Stacks: [clusterStack('demo')] };
    });
    cfn.on(CreateStackCommand).callsFake(async () => {
      created = true;
      return { StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1' };
    });
    const token = () => cfn.commandCalls(CreateStackCommand)[0]?.args[0].input.ClientRequestToken;
    cfn.on(DescribeStackEventsCommand).callsFake(async () => ({
      StackEvents: [
        { EventId: 'b', StackId: 'id', StackName: 'demo', LogicalResourceId: 'demo', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'CREATE_COMPLETE', Timestamp: new Date(), ClientRequestToken: token() },
        { EventId: 'a', StackId: 'id', StackName: 'demo', LogicalResourceId: 'Vpc', ResourceType: 'AWS::EC2::VPC', ResourceStatus: 'CREATE_COMPLETE', Timestamp: new Date(), ClientRequestToken: token() },
        { EventId: 'old', StackId: 'id', StackName: 'demo', LogicalResourceId: 'demo', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'DELETE_COMPLETE', Timestamp: new Date(0), ClientRequestToken: 'someone-else' },
      ],
    }));
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [] });
    const r = await run(['create', '--stack-name', 'demo', '--timeout', '90m', '--tags', 'team=media', '-o', 'json']);
    expect(r.code).toBe(0);
    const input = cfn.commandCalls(CreateStackCommand)[0]!.args[0].input;
    expect(input.ClientRequestToken).toMatch(/^elasticrtc-create-/);
    expect(input.TimeoutInMinutes).toBe(90);
    expect(input.Tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'media' }, { Key: 'elasticrtc:cluster', Value: 'demo' }, { Key: 'elasticrtc:kms-version', Value: '7.3.0' }, { Key: 'elasticrtc:tool-version', Value: expect.any(String) }]));
    expect(input.Capabilities).toEqual(['CAPABILITY_IAM']);
    expect(JSON.parse(r.out)).toMatchObject({ name: 'demo', status: 'CREATE_COMPLETE', clusterUrl: 'ws://lb/kurento' });
    expect(r.err).toContain('deploying as environment keys (AWS_ACCESS_KEY_ID) / account ********9012 / region eu-west-1 (from AWS_REGION)');
    expect(r.err).toContain('network (Vpc) created');
    expect(r.err).not.toContain('DELETE_COMPLETE');
  });

  /** A create that succeeds at once; every S3 and CloudFormation write is logged in order. */
  const creating = (region: string, callerArn: string) => {
    const writes: string[] = [];
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: callerArn });
    let created = false;
    cfn.on(DescribeStacksCommand).callsFake(async (input: { StackName?: string }) => {
      if (!created && input.StackName === 'demo') throw Object.assign(new Error('Stack with id demo does not exist'), { name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
      return { Stacks: [clusterStack('demo')] };
    });
    cfn.on(CreateStackCommand).callsFake(async () => {
      writes.push('CreateStack');
      created = true;
      return { StackId: `arn:aws:cloudformation:${region}:123456789012:stack/demo/1` };
    });
    const token = () => cfn.commandCalls(CreateStackCommand)[0]?.args[0].input.ClientRequestToken;
    cfn.on(DescribeStackEventsCommand).callsFake(async () => ({
      StackEvents: [{ EventId: 'b', StackId: 'id', StackName: 'demo', LogicalResourceId: 'demo', ResourceType: 'AWS::CloudFormation::Stack', ResourceStatus: 'CREATE_COMPLETE', Timestamp: new Date(), ClientRequestToken: token() }],
    }));
    cfn.on(DescribeStackResourcesCommand).resolves({ StackResources: [] });
    for (const [command, name] of [
      [CreateBucketCommand, 'CreateBucket'],
      [PutPublicAccessBlockCommand, 'PutPublicAccessBlock'],
      [PutBucketEncryptionCommand, 'PutBucketEncryption'],
      [PutBucketOwnershipControlsCommand, 'PutBucketOwnershipControls'],
      [PutBucketPolicyCommand, 'PutBucketPolicy'],
      [PutBucketTaggingCommand, 'PutBucketTagging'],
      [PutObjectCommand, 'PutObject'],
    ] as const) {
      s3.on(command as typeof PutObjectCommand).callsFake(async () => {
        writes.push(name);
        return {};
      });
    }
    sm.on(CreateSecretCommand).callsFake(async () => {
      writes.push('CreateSecret');
      return { ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elasticrtc/demo-AbCdEf' };
    });
    return writes;
  };

  it('makes and hardens a missing bucket, then stores the runtime, before the secret and the stack', async () => {
    const writes = creating('eu-west-1', 'arn:aws:iam::123456789012:user/me');
    const r = await run(['create', '--stack-name', 'demo', '-o', 'json']);
    expect(r.code).toBe(0);
    expect(writes).toEqual(['CreateBucket', 'PutPublicAccessBlock', 'PutBucketEncryption', 'PutBucketOwnershipControls', 'PutBucketPolicy', 'PutBucketTagging', 'PutObject', 'CreateSecret', 'CreateStack']);
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).toEqual({ Bucket: 'eu-west-1-demo', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
    expect(s3.commandCalls(PutPublicAccessBlockCommand)[0]!.args[0].input.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(s3.commandCalls(PutBucketEncryptionCommand)[0]!.args[0].input.ServerSideEncryptionConfiguration).toEqual({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(s3.commandCalls(PutBucketOwnershipControlsCommand)[0]!.args[0].input.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(s3.commandCalls(PutBucketTaggingCommand)[0]!.args[0].input.Tagging).toEqual({ TagSet: [{ Key: 'elasticrtc:cluster', Value: 'demo' }] });
    const policy = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy ?? '{}');
    expect(policy.Statement[0]).toMatchObject({ Effect: 'Deny', Action: 's3:*', Resource: ['arn:aws:s3:::eu-west-1-demo', 'arn:aws:s3:::eu-west-1-demo/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } });

    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    const parameters = Object.fromEntries((cfn.commandCalls(CreateStackCommand)[0]!.args[0].input.Parameters ?? []).map((p) => [p.ParameterKey, p.ParameterValue]));
    expect(put).toMatchObject({ Bucket: 'eu-west-1-demo', Key: parameters.NodeRuntimeKey, Body: FAKE_RUNTIME_BYTES, ChecksumSHA256: Buffer.from(FAKE_RUNTIME_SHA256, 'hex').toString('base64') });
    expect(parameters.NodeRuntimeSha256).toBe(FAKE_RUNTIME_SHA256);
    expect(parameters.NodeRuntimeKey).toMatch(new RegExp(`^runtime/elasticrtc-node-.+-${FAKE_RUNTIME_SHA256.slice(0, 16)}\\.cjs$`));
    expect(parameters).not.toHaveProperty('CreateBucket');
    expect(r.err).toContain('creating the bucket eu-west-1-demo; it is kept when the cluster is deleted');
  });

  it('sends no location constraint in us-east-1, and names ARNs in the caller’s partition', async () => {
    creating('us-east-1', 'arn:aws:iam::123456789012:user/me');
    expect((await run(['create', '--stack-name', 'demo', '--region', 'us-east-1', '-o', 'json'])).code).toBe(0);
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).toEqual({ Bucket: 'us-east-1-demo' });

    s3.resetHistory();
    creating('cn-north-1', 'arn:aws-cn:iam::123456789012:user/me');
    expect((await run(['create', '--stack-name', 'demo', '--region', 'cn-north-1', '-o', 'json'])).code).toBe(0);
    expect(s3.commandCalls(CreateBucketCommand)[0]!.args[0].input.CreateBucketConfiguration).toEqual({ LocationConstraint: 'cn-north-1' });
    const policy = JSON.parse(s3.commandCalls(PutBucketPolicyCommand)[0]!.args[0].input.Policy ?? '{}');
    expect(policy.Statement[0].Resource).toEqual(['arn:aws-cn:s3:::cn-north-1-demo', 'arn:aws-cn:s3:::cn-north-1-demo/*']);
  });

  it('a bucket taken between preflight and its creation stops the create before anything else (exit 2)', async () => {
    const writes = creating('eu-west-1', 'arn:aws:iam::123456789012:user/me');
    s3.on(CreateBucketCommand).rejects(Object.assign(new Error('The requested bucket name is not available'), { name: 'BucketAlreadyExists', $metadata: { httpStatusCode: 409 } }));
    const r = await run(['create', '--stack-name', 'demo']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--aws-s3-bucket-name eu-west-1-demo: was just taken by another AWS account');
    expect(writes).toEqual([]);
  });

  it('refuses an existing stack name before creating anything', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn' });
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [clusterStack('demo')] });
    const r = await run(['create', '--stack-name', 'demo']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--stack-name demo: is taken');
    expect(cfn.commandCalls(CreateStackCommand)).toHaveLength(0);
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  it('looks up own images for a version that is not a release', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-own', Name: 'kms', Tags: [{ Key: 'elasticrtc:kms-version', Value: '7.3.1-custom' }] }] });
    const ok = await run(['create', '--stack-name', 'demo', '--version', '7.3.1-custom', '--dry-run', '-o', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).parameters.NodeImageId).toBe('ami-own');
    const bad = await run(['create', '--stack-name', 'demo', '--version', '7.9.9', '--dry-run']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--version 7.9.9: is not a deployable Kurento version; expected one of 7.3.0');
    expect(bad.err).toContain('7.3.1-custom');
  });
});

describe('version', () => {
  it('lists releases and own images, newest first, default marked', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [{ ImageId: 'ami-1', Name: 'x', Tags: [{ Key: 'elasticrtc:kms-version', Value: '7.4.0' }] }] });
    const r = await run(['version', '-o', 'json']);
    const doc = JSON.parse(r.out);
    expect(doc.versions[0]).toEqual({ version: '7.4.0', source: 'image', imageId: 'ami-1', default: false });
    expect(doc.versions[1]).toEqual({ version: '7.3.0', source: 'release', imageId: null, default: true });
    expect(ec2.commandCalls(DescribeImagesCommand)[0]!.args[0].input).toEqual({ Owners: ['self'], Filters: [{ Name: 'tag-key', Values: ['elasticrtc:kms-version'] }] });
  });
});
