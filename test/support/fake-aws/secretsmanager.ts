/**
 * Secrets Manager (JSON 1.1, target prefix `secretsmanager`): CreateSecret, PutSecretValue,
 * GetSecretValue, DescribeSecret, DeleteSecret, TagResource, GetRandomPassword, ListSecrets.
 */
import { AwsError } from './errors.js';
import { decodeToken, encodeToken } from './form.js';
import { uuid } from './ids.js';
import { epochSeconds, requiredString, tagList, tagsOf, type JsonContext, type JsonHandler, type JsonObject, type JsonServiceDef } from './protocol-json.js';
import { aliveAt } from './lifetime.js';
import { addVersion, findSecret, newSecretArn, randomPassword, secretOrFail, versionOf, type PasswordOptions, type SecretRecord } from './secrets.js';

const DAY = 86_400_000;
const param = (message: string): AwsError => new AwsError('InvalidParameterException', message);
const request = (message: string): AwsError => new AwsError('InvalidRequestException', message);

function live(ctx: JsonContext): SecretRecord {
  const s = secretOrFail(ctx.world, requiredString(ctx.input, 'SecretId', 'InvalidParameterException'), ctx.t);
  if (s.deletedAt !== undefined) throw request("You can't perform this operation on the secret because it was marked for deletion.");
  return s;
}

function valueOf(input: JsonObject): { value?: string; binary?: string } {
  const value = typeof input.SecretString === 'string' ? input.SecretString : undefined;
  const binary = typeof input.SecretBinary === 'string' ? input.SecretBinary : undefined;
  if (value !== undefined && binary !== undefined) throw param('You must provide either SecretString or SecretBinary, but not both.');
  return { value, binary };
}

const ids = (s: SecretRecord): JsonObject => ({ ARN: s.arn, Name: s.name });

const createSecret: JsonHandler = ({ input, t, world }) => {
  const name = requiredString(input, 'Name', 'InvalidParameterException');
  if (!/^[\w/+=.@-]{1,512}$/.test(name)) throw param('Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
  const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : uuid();
  const { value, binary } = valueOf(input);
  const existing = findSecret(world, name, t);
  if (existing?.deletedAt !== undefined) throw request("You can't create this secret because a secret with this name is already scheduled for deletion.");
  if (existing) {
    const same = existing.versions.find((v) => v.id === token);
    if (same && same.value === value && same.binary === binary) return { ...ids(existing), VersionId: token };
    throw new AwsError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
  }
  const secret: SecretRecord = {
    arn: newSecretArn(world, name),
    name,
    description: typeof input.Description === 'string' ? input.Description : undefined,
    tags: tagsOf(input.Tags),
    versions: [],
    created: t,
    lastChanged: t,
    life: { from: t },
  };
  if (value !== undefined || binary !== undefined) addVersion(secret, { id: token, value, binary, stages: ['AWSCURRENT'], created: t });
  world.secrets.push(secret);
  return { ...ids(secret), VersionId: secret.versions.length ? token : undefined };
};

const putSecretValue: JsonHandler = (ctx) => {
  const s = live(ctx);
  const { input, t } = ctx;
  const token = typeof input.ClientRequestToken === 'string' ? input.ClientRequestToken : uuid();
  const { value, binary } = valueOf(input);
  if (value === undefined && binary === undefined) throw param('You must provide either SecretString or SecretBinary.');
  const stages = Array.isArray(input.VersionStages) ? (input.VersionStages as string[]) : ['AWSCURRENT'];
  const same = s.versions.find((v) => v.id === token);
  if (same) {
    if (same.value === value && same.binary === binary) return { ...ids(s), VersionId: token, VersionStages: same.stages };
    throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
  }
  addVersion(s, { id: token, value, binary, stages, created: t });
  return { ...ids(s), VersionId: token, VersionStages: stages };
};

const getSecretValue: JsonHandler = (ctx) => {
  const s = live(ctx);
  const { input } = ctx;
  const stage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined;
  const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
  const v = versionOf(s, versionId, stage);
  if (!v) throw new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage ?? 'AWSCURRENT'}`}`);
  return { ...ids(s), VersionId: v.id, SecretString: v.value, SecretBinary: v.binary, VersionStages: v.stages, CreatedDate: epochSeconds(v.created) };
};

const describeSecret: JsonHandler = ({ input, t, world }) => {
  const s = secretOrFail(world, requiredString(input, 'SecretId', 'InvalidParameterException'), t);
  return {
    ...ids(s),
    Description: s.description,
    LastChangedDate: epochSeconds(s.lastChanged),
    CreatedDate: epochSeconds(s.created),
    DeletedDate: s.deletedAt === undefined ? undefined : epochSeconds(s.deletedAt),
    Tags: tagList(s.tags),
    VersionIdsToStages: Object.fromEntries(s.versions.map((v) => [v.id, v.stages])),
  };
};

const deleteSecret: JsonHandler = ({ input, t, world }) => {
  const s = secretOrFail(world, requiredString(input, 'SecretId', 'InvalidParameterException'), t);
  const force = input.ForceDeleteWithoutRecovery === true;
  const days = input.RecoveryWindowInDays;
  if (force && days !== undefined) throw param("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  if (days !== undefined && (typeof days !== 'number' || days < 7 || days > 30)) throw param('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  if (force) {
    s.deletedAt ??= t;
    s.life.until = t;
    return { ...ids(s), DeletionDate: epochSeconds(t) };
  }
  if (s.deletedAt !== undefined) throw request("You can't perform this operation on the secret because it was already scheduled for deletion.");
  s.deletedAt = t;
  s.deletionDate = t + (typeof days === 'number' ? days : 30) * DAY;
  s.life.until = s.deletionDate;
  return { ...ids(s), DeletionDate: epochSeconds(s.deletionDate) };
};

const tagResource: JsonHandler = (ctx) => {
  const s = live(ctx);
  if (!Array.isArray(ctx.input.Tags)) requiredString(ctx.input, 'Tags', 'InvalidParameterException');
  Object.assign(s.tags, tagsOf(ctx.input.Tags));
  return undefined;
};

/**
 * ListSecrets: live secrets in creation order; the `name` filter (and `tag-key`, `tag-value`) matches a
 * prefix, case-insensitively, as Secrets Manager does; those scheduled for deletion only with
 * `IncludePlannedDeletion`. `MaxResults` 1–100 (default 100), `NextToken`.
 */
const listSecrets: JsonHandler = ({ input, t, world }) => {
  const max = input.MaxResults === undefined ? 100 : input.MaxResults;
  if (typeof max !== 'number' || max < 1 || max > 100) throw param('MaxResults must be between 1 and 100.');
  const start = typeof input.NextToken === 'string' ? decodeToken(input.NextToken) : 0;
  if (start === undefined) throw param('Invalid NextToken.');
  const filters = Array.isArray(input.Filters) ? (input.Filters as { Key?: string; Values?: string[] }[]) : [];
  const starts = (text: string, values: string[] | undefined) => (values ?? []).some((v) => text.toLowerCase().startsWith(v.toLowerCase()));
  const matches = (s: SecretRecord) =>
    filters.every((f) =>
      f.Key === 'name' ? starts(s.name, f.Values) : f.Key === 'tag-key' ? Object.keys(s.tags).some((k) => starts(k, f.Values)) : f.Key === 'tag-value' ? Object.values(s.tags).some((v) => starts(v, f.Values)) : true,
    );
  const all = world.secrets.filter((s) => aliveAt(s, t) && (s.deletedAt === undefined || input.IncludePlannedDeletion === true) && matches(s));
  const page = all.slice(start, start + max);
  return {
    SecretList: page.map((s) => ({
      ...ids(s),
      Description: s.description,
      CreatedDate: epochSeconds(s.created),
      LastChangedDate: epochSeconds(s.lastChanged),
      DeletedDate: s.deletedAt === undefined ? undefined : epochSeconds(s.deletedAt),
      Tags: tagList(s.tags),
    })),
    NextToken: start + max < all.length ? encodeToken(start + max) : undefined,
  };
};

/** The Secrets Manager service. */
export const secretsManager: JsonServiceDef = {
  name: 'secretsmanager',
  targetPrefix: 'secretsmanager',
  serverErrorCode: 'InternalServiceError',
  actions: {
    CreateSecret: createSecret,
    PutSecretValue: putSecretValue,
    GetSecretValue: getSecretValue,
    DescribeSecret: describeSecret,
    DeleteSecret: deleteSecret,
    TagResource: tagResource,
    GetRandomPassword: ({ input }) => ({ RandomPassword: randomPassword(input as PasswordOptions) }),
    ListSecrets: listSecrets,
  },
};
