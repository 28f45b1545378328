import { DeleteCertificateCommand, DescribeCertificateCommand, ImportCertificateCommand } from '@aws-sdk/client-acm';
import { CreateStackCommand, DeleteStackCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { GetBucketTaggingCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { selfSigned } from './certs.js';
import { rejection, useFake } from './helpers.js';

const env = useFake();

const LATER = 60_000;

async function createStack(name: string, template: object, parameters: Record<string, string> = {}): Promise<void> {
  await env.cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: JSON.stringify(template),
      Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM'],
      Tags: [{ Key: 'elasticrtc:cluster', Value: name }],
    }),
  );
}

const deleteStack = (name: string) => env.cfn.send(new DeleteStackCommand({ StackName: name }));
const failure = (stack: string) => env.fake.stack(stack)?.events.find((e) => e.status.endsWith('_FAILED') && e.type !== 'AWS::CloudFormation::Stack');

const LOAD_BALANCER = { Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer', Properties: { Type: 'application' } };

describe('CloudFormation resources in the other services', () => {
  it('creates buckets when their resources complete and keeps the retained one after the stack is deleted', async () => {
    await createStack('media', {
      Resources: {
        Kept: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { Tags: [{ Key: 'team', Value: 'media' }] } },
        Named: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'media-named-bucket' } },
      },
    });
    expect((await rejection(env.s3.send(new HeadBucketCommand({ Bucket: 'media-named-bucket' })))).name).toBe('NotFound');
    env.clock.advance(LATER);
    const kept = env.fake.stack('media')?.resources.find((r) => r.logicalId === 'Kept')?.physicalId ?? '';
    expect(kept).toMatch(/^media-kept-[a-z0-9]{12}$/);
    expect((await env.s3.send(new HeadBucketCommand({ Bucket: kept }))).BucketRegion).toBe('eu-west-1');
    const tags = (await env.s3.send(new GetBucketTaggingCommand({ Bucket: kept }))).TagSet ?? [];
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toMatchObject({ team: 'media', 'elasticrtc:cluster': 'media', 'aws:cloudformation:logical-id': 'Kept' });
    await deleteStack('media');
    env.clock.advance(LATER);
    expect(env.fake.stack('media')?.status).toBe('DELETE_COMPLETE');
    expect((await env.s3.send(new HeadBucketCommand({ Bucket: kept }))).BucketRegion).toBe('eu-west-1');
    expect((await rejection(env.s3.send(new HeadBucketCommand({ Bucket: 'media-named-bucket' })))).name).toBe('NotFound');
    expect(env.fake.buckets().map((b) => b.name)).toEqual([kept]);
  });

  it('fails a bucket whose name is taken', async () => {
    env.fake.addBucket({ name: 'taken', otherAccount: true });
    await createStack('clash', { Resources: { B: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'taken' } } } });
    env.clock.advance(LATER);
    expect(env.fake.stack('clash')?.status).toBe('ROLLBACK_COMPLETE');
    expect(failure('clash')?.reason).toBe('Resource handler returned message: "taken already exists" (HandlerErrorCode: AlreadyExists)');
  });

  it('adds record sets to their zone and removes them with the stack', async () => {
    const zone = env.fake.addHostedZone({ name: 'example.com' });
    await createStack(
      'dns',
      {
        Parameters: { Zone: { Type: 'String' } },
        Resources: {
          LoadBalancer: LOAD_BALANCER,
          Alias: {
            Type: 'AWS::Route53::RecordSet',
            Properties: {
              HostedZoneId: { Ref: 'Zone' },
              Name: 'media.example.com',
              Type: 'A',
              AliasTarget: { DNSName: { 'Fn::GetAtt': ['LoadBalancer', 'DNSName'] }, HostedZoneId: { 'Fn::GetAtt': ['LoadBalancer', 'CanonicalHostedZoneID'] } },
            },
          },
          Text: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneName: 'example.com.', Name: 'txt.example.com.', Type: 'TXT', TTL: '60', ResourceRecords: ['"hello"'] } },
        },
      },
      { Zone: `/hostedzone/${zone}` },
    );
    env.clock.advance(LATER);
    expect(env.fake.stack('dns')?.resources.find((r) => r.logicalId === 'Alias')?.physicalId).toBe('media.example.com');
    const listed = await env.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
    expect(listed.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual(['example.com. NS', 'example.com. SOA', 'media.example.com. A', 'txt.example.com. TXT']);
    const alias = listed.ResourceRecordSets?.[2]?.AliasTarget;
    expect(alias?.DNSName).toMatch(/^dns-alb-\d{9}\.eu-west-1\.elb\.amazonaws\.com\.$/);
    expect(alias?.HostedZoneId).toBe('Z32O12XQLNTSW2');
    expect(env.fake.hostedZoneRecords(zone)[3]).toEqual({ name: 'txt.example.com.', type: 'TXT', ttl: 60, values: ['"hello"'], alias: undefined });
    await deleteStack('dns');
    env.clock.advance(LATER);
    expect(env.fake.hostedZoneRecords(zone).map((r) => r.type)).toEqual(['NS', 'SOA']);
  });

  it('fails a record set outside its zone, in a missing zone, or one that exists already', async () => {
    const zone = env.fake.addHostedZone({ name: 'example.com', records: [{ name: 'www', type: 'A' }] });
    const record = (Name: string, HostedZoneId = zone) => ({ Resources: { R: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId, Name, Type: 'A', ResourceRecords: ['192.0.2.1'] } } } });
    await createStack('outside', record('www.example.org'));
    await createStack('nozone', record('a.example.com', 'Z0MISSING'));
    await createStack('exists', record('www.example.com'));
    env.clock.advance(LATER);
    expect(failure('outside')?.reason).toBe('[RRSet with DNS name www.example.org. is not permitted in zone example.com.]');
    expect(failure('nozone')?.reason).toBe('No hosted zone found with ID: Z0MISSING');
    expect(failure('exists')?.reason).toBe("[Tried to create resource record set [name='www.example.com.', type='A'] but it already exists]");
  });

  it('keeps a certificate in use by a listener until its stack is deleted', async () => {
    const cert = selfSigned({ commonName: 'media.example.com' });
    const { CertificateArn: arn } = await env.acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(cert.certificatePem), PrivateKey: Buffer.from(cert.privateKeyPem) }));
    await createStack(
      'tls',
      {
        Parameters: { CertificateArn: { Type: 'String' } },
        Resources: {
          LoadBalancer: LOAD_BALANCER,
          Listener: {
            Type: 'AWS::ElasticLoadBalancingV2::Listener',
            Properties: { LoadBalancerArn: { Ref: 'LoadBalancer' }, Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: { Ref: 'CertificateArn' } }] },
          },
        },
        Outputs: { ListenerArn: { Value: { 'Fn::GetAtt': ['Listener', 'ListenerArn'] } } },
      },
      { CertificateArn: arn ?? '' },
    );
    expect((await env.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([]);
    env.clock.advance(LATER);
    const lb = env.fake.stack('tls')?.resources.find((r) => r.logicalId === 'LoadBalancer')?.physicalId ?? '';
    expect(env.fake.stack('tls')?.outputs.ListenerArn).toMatch(new RegExp(`^${lb.replace(':loadbalancer/', ':listener/')}/[0-9a-f]{16}$`));
    expect((await env.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }))).Certificate?.InUseBy).toEqual([lb]);
    const inUse = await rejection(env.acm.send(new DeleteCertificateCommand({ CertificateArn: arn })));
    expect(inUse.name).toBe('ResourceInUseException');
    await deleteStack('tls');
    env.clock.advance(LATER);
    await env.acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
    expect(env.fake.certificates()).toEqual([]);
  });

  it('fails a listener whose ACM certificate does not exist', async () => {
    const missing = 'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
    await createStack('nocert', {
      Resources: { LoadBalancer: LOAD_BALANCER, Listener: { Type: 'AWS::ElasticLoadBalancingV2::Listener', Properties: { LoadBalancerArn: { Ref: 'LoadBalancer' }, Certificates: [{ CertificateArn: missing }] } } },
    });
    env.clock.advance(LATER);
    expect(env.fake.stack('nocert')?.status).toBe('ROLLBACK_COMPLETE');
    expect(failure('nocert')?.reason).toContain(`Certificate '${missing}' not found`);
  });

  it('stores stack secrets (given or generated), resolves dynamic references, and deletes them with the stack', async () => {
    await env.secrets.send(new CreateSecretCommand({ Name: 'demo/db', SecretString: '{"password":"pw-1","user":"kms"}' }));
    await createStack('sec', {
      Resources: {
        Generated: {
          Type: 'AWS::SecretsManager::Secret',
          Properties: { Name: 'sec/generated', GenerateSecretString: { SecretStringTemplate: '{"user":"turn"}', GenerateStringKey: 'password', PasswordLength: 24, ExcludePunctuation: true } },
        },
        FromApi: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: '{{resolve:secretsmanager:demo/db:SecretString:password}}' } },
        FromStack: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: { 'Fn::Sub': '{{resolve:secretsmanager:${Generated}:SecretString:password}}' } } },
      },
      Outputs: { GeneratedArn: { Value: { Ref: 'Generated' } } },
    });
    env.clock.advance(LATER);
    expect(env.fake.stack('sec')?.status).toBe('CREATE_COMPLETE');
    const arn = env.fake.stack('sec')?.outputs.GeneratedArn ?? '';
    expect(arn).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:sec\/generated-[A-Za-z0-9]{6}$/);
    const generated = JSON.parse((await env.secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '{}') as Record<string, string>;
    expect(generated.user).toBe('turn');
    expect(generated.password).toMatch(/^[A-Za-z0-9]{24}$/);
    const byName = Object.fromEntries(env.fake.secrets().map((s) => [s.name, s]));
    expect(byName['sec/generated']?.tags).toMatchObject({ 'aws:cloudformation:logical-id': 'Generated' });
    const values = env.fake.secrets().filter((s) => s.name.startsWith('FromApi-') || s.name.startsWith('FromStack-')).map((s) => s.value);
    expect(values).toEqual(['pw-1', generated.password]);
    await deleteStack('sec');
    env.clock.advance(LATER);
    expect((await rejection(env.secrets.send(new DescribeSecretCommand({ SecretId: arn })))).name).toBe('ResourceNotFoundException');
    expect(env.fake.secrets().map((s) => s.deleted)).toEqual([false, true, true, true]);
  });

  it('fails a resource whose dynamic reference names a missing secret or key', async () => {
    await env.secrets.send(new CreateSecretCommand({ Name: 'demo/db', SecretString: '{"password":"pw-1"}' }));
    const template = (ref: string) => ({ Resources: { Copy: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: `{{resolve:secretsmanager:${ref}}}` } } } });
    await createStack('nokey', template('demo/db:SecretString:username'));
    await createStack('nosecret', template('demo/none:SecretString:password'));
    env.clock.advance(LATER);
    expect(env.fake.stack('nokey')?.status).toBe('ROLLBACK_COMPLETE');
    expect(failure('nokey')?.reason).toMatch(/^Could not resolve the dynamic reference \{\{resolve:secretsmanager:demo\/db:SecretString:username\}\}: Could not find the key 'username'/);
    expect(failure('nosecret')?.reason).toMatch(/Secrets Manager can't find the specified secret/);
  });

  it('updates stack secrets and record sets when their events happen', async () => {
    const zone = env.fake.addHostedZone({ name: 'example.com' });
    const template = (description: string, value: string, txt: string) => ({
      Resources: {
        Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { Name: 'kept/secret', Description: description, SecretString: value } },
        Text: { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId: zone, Name: 'txt.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [txt] } },
      },
    });
    const update = (body: object) => env.cfn.send(new UpdateStackCommand({ StackName: 'upd', TemplateBody: JSON.stringify(body) }));
    const txt = () => env.fake.hostedZoneRecords(zone).find((r) => r.type === 'TXT')?.values;
    await createStack('upd', template('first', 'one', '"v1"'));
    env.clock.advance(LATER);
    await update(template('second', 'one', '"v2"'));
    expect(txt()).toEqual(['"v1"']);
    env.clock.advance(LATER);
    expect(env.fake.stack('upd')?.status).toBe('UPDATE_COMPLETE');
    expect(txt()).toEqual(['"v2"']);
    const described = await env.secrets.send(new DescribeSecretCommand({ SecretId: 'kept/secret' }));
    expect(described.Description).toBe('second');
    expect(Object.keys(described.VersionIdsToStages ?? {})).toHaveLength(1);
    await update(template('second', 'two', '"v2"'));
    env.clock.advance(LATER);
    expect((await env.secrets.send(new GetSecretValueCommand({ SecretId: 'kept/secret' }))).SecretString).toBe('two');
    expect((await env.secrets.send(new GetSecretValueCommand({ SecretId: 'kept/secret', VersionStage: 'AWSPREVIOUS' }))).SecretString).toBe('one');
    expect(env.fake.secrets()).toEqual([expect.objectContaining({ name: 'kept/secret', value: 'two', deleted: false })]);
  });
});
