import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();

const DAY = 86_400_000;
const create = (name = 'demo/api-key', value = 's3cret', token?: string) =>
  env.secrets.send(new CreateSecretCommand({ Name: name, SecretString: value, ClientRequestToken: token, Tags: [{ Key: 'elasticrtc:cluster', Value: 'demo' }] }));

describe('Secrets Manager', () => {
  it('creates, reads, describes and versions a secret', async () => {
    const created = await create();
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:demo\/api-key-[A-Za-z0-9]{6}$/);
    const got = await env.secrets.send(new GetSecretValueCommand({ SecretId: 'demo/api-key' }));
    expect(got).toMatchObject({ ARN: created.ARN, Name: 'demo/api-key', SecretString: 's3cret', VersionId: created.VersionId, VersionStages: ['AWSCURRENT'] });
    const put = await env.secrets.send(new PutSecretValueCommand({ SecretId: created.ARN, SecretString: 'rotated' }));
    expect(put.VersionStages).toEqual(['AWSCURRENT']);
    expect((await env.secrets.send(new GetSecretValueCommand({ SecretId: created.ARN }))).SecretString).toBe('rotated');
    const previous = await env.secrets.send(new GetSecretValueCommand({ SecretId: 'demo/api-key', VersionStage: 'AWSPREVIOUS' }));
    expect(previous.SecretString).toBe('s3cret');
    const described = await env.secrets.send(new DescribeSecretCommand({ SecretId: 'demo/api-key' }));
    expect(described.Tags).toEqual([{ Key: 'elasticrtc:cluster', Value: 'demo' }]);
    expect(described.VersionIdsToStages).toEqual({ [created.VersionId ?? '']: ['AWSPREVIOUS'], [put.VersionId ?? '']: ['AWSCURRENT'] });
    expect(described.CreatedDate?.getTime()).toBe(env.clock.ms);
    expect(env.fake.secrets()).toEqual([{ arn: created.ARN, name: 'demo/api-key', value: 'rotated', tags: { 'elasticrtc:cluster': 'demo' }, deleted: false }]);
    expect(env.fake.count({ service: 'secretsmanager' })).toBe(6);
    expect(env.fake.requests[0]).toMatchObject({ action: 'CreateSecret', params: { Name: 'demo/api-key', SecretString: 's3cret' } });
  });

  it('is idempotent on ClientRequestToken and refuses a second secret of the same name', async () => {
    const first = await create('n', 'v', 'token-1-0000000000000000000000000000');
    const again = await create('n', 'v', 'token-1-0000000000000000000000000000');
    expect(again.ARN).toBe(first.ARN);
    const clash = await rejection(create('n', 'other'));
    expect(clash.name).toBe('ResourceExistsException');
    expect(clash.message).toBe('The operation failed because the secret n already exists.');
    expect(env.fake.secrets()).toHaveLength(1);
  });

  it('deletes with a recovery window (marked, then gone after it) or at once when forced', async () => {
    const kept = await create('kept');
    await create('forced');
    const out = await env.secrets.send(new DeleteSecretCommand({ SecretId: 'kept', RecoveryWindowInDays: 7 }));
    expect(out.DeletionDate?.getTime()).toBe(env.clock.ms + 7 * DAY);
    const marked = await env.secrets.send(new DescribeSecretCommand({ SecretId: 'kept' }));
    expect(marked.DeletedDate?.getTime()).toBe(env.clock.ms);
    expect((await rejection(env.secrets.send(new GetSecretValueCommand({ SecretId: 'kept' })))).name).toBe('InvalidRequestException');
    expect((await rejection(create('kept'))).name).toBe('InvalidRequestException');
    await env.secrets.send(new DeleteSecretCommand({ SecretId: 'forced', ForceDeleteWithoutRecovery: true }));
    const gone = await rejection(env.secrets.send(new DescribeSecretCommand({ SecretId: 'forced' })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe("Secrets Manager can't find the specified secret.");
    await create('forced', 'again');
    env.clock.advance(7 * DAY);
    expect((await rejection(env.secrets.send(new DescribeSecretCommand({ SecretId: kept.ARN })))).name).toBe('ResourceNotFoundException');
    expect(env.fake.secrets().map((s) => `${s.name} ${s.deleted}`)).toEqual(['kept true', 'forced true', 'forced false']);
    const both = await rejection(env.secrets.send(new DeleteSecretCommand({ SecretId: 'forced', ForceDeleteWithoutRecovery: true, RecoveryWindowInDays: 7 })));
    expect(both.name).toBe('InvalidParameterException');
  });

  it('tags a secret and makes random passwords', async () => {
    await create('t');
    await env.secrets.send(new TagResourceCommand({ SecretId: 't', Tags: [{ Key: 'extra', Value: 'yes' }] }));
    expect(env.fake.secrets()[0]?.tags).toEqual({ 'elasticrtc:cluster': 'demo', extra: 'yes' });
    const pw = await env.secrets.send(new GetRandomPasswordCommand({ PasswordLength: 20, ExcludePunctuation: true }));
    expect(pw.RandomPassword).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await rejection(env.secrets.send(new TagResourceCommand({ SecretId: 'nope', Tags: [] })))).name).toBe('ResourceNotFoundException');
  });
});
