/**
 * Secrets Manager state: secrets with their versions and staging labels, from the API or from
 * stacks (`AWS::SecretsManager::Secret`), and random passwords as GenerateSecretString makes them.
 * A secret deleted with a recovery window stays (marked deleted) until its deletion date.
 */
import { randomInt } from 'node:crypto';
import { AwsError } from './errors.js';
import { aliveAt, reached, type Lived } from './lifetime.js';
import type { World } from './world.js';

/** One version of a secret's value. */
export interface SecretVersion {
  id: string;
  value?: string;
  /** Base64. */
  binary?: string;
  stages: string[];
  created: number;
}

/** One secret. */
export interface SecretRecord extends Lived {
  arn: string;
  name: string;
  description?: string;
  tags: Record<string, string>;
  versions: SecretVersion[];
  created: number;
  lastChanged: number;
  /** Set by DeleteSecret with a recovery window. */
  deletedAt?: number;
  deletionDate?: number;
  /** For stack secrets: their SecretString / GenerateSecretString, to tell whether an update changes the value. */
  templateSource?: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The ARN of a new secret in that region and account: its name and six random characters. */
export function secretArn(region: string, accountId: string, name: string): string {
  const tail = Array.from({ length: 6 }, () => ALNUM[randomInt(ALNUM.length)]).join('');
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${tail}`;
}

/** The ARN of a new secret of the fake's account and region. */
export function newSecretArn(world: World, name: string): string {
  return secretArn(world.options.region, world.options.accountId, name);
}

/** A secret's name from its ARN. */
export function secretNameOf(arn: string): string {
  return arn.split(':secret:')[1]?.slice(0, -7) ?? arn;
}

/** The secret a `SecretId` (name, ARN or ARN without the random suffix) names at `t`. */
export function findSecret(world: World, id: string, t: number): SecretRecord | undefined {
  const matches = (s: SecretRecord): boolean => s.name === id || s.arn === id || (id.startsWith('arn:') && s.arn.slice(0, -7) === id);
  return world.secrets.filter((s) => matches(s) && aliveAt(s, t)).pop();
}

/** Like {@link findSecret}, or `ResourceNotFoundException`. */
export function secretOrFail(world: World, id: string, t: number): SecretRecord {
  const secret = findSecret(world, id, t);
  if (!secret) throw new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  return secret;
}

/** Whether a secret has been marked deleted (or is gone) at `t`. */
export function isDeleted(s: SecretRecord, t: number): boolean {
  return s.deletedAt !== undefined || reached(s.life.until, t);
}

/** The version with that id or staging label (default `AWSCURRENT`). */
export function versionOf(s: SecretRecord, versionId?: string, stage?: string): SecretVersion | undefined {
  if (versionId !== undefined) return s.versions.find((v) => v.id === versionId && (stage === undefined || v.stages.includes(stage)));
  return s.versions.find((v) => v.stages.includes(stage ?? 'AWSCURRENT'));
}

/** Adds a version; `AWSCURRENT` moves to it and the old current one becomes `AWSPREVIOUS`. */
export function addVersion(s: SecretRecord, version: SecretVersion): void {
  if (version.stages.includes('AWSCURRENT')) {
    const current = versionOf(s);
    for (const v of s.versions) v.stages = v.stages.filter((x) => x !== 'AWSPREVIOUS' && !version.stages.includes(x));
    if (current) current.stages.push('AWSPREVIOUS');
  } else {
    for (const v of s.versions) v.stages = v.stages.filter((x) => !version.stages.includes(x));
  }
  s.versions = s.versions.filter((v) => v.stages.length > 0);
  s.versions.push(version);
  s.lastChanged = version.created;
}

/** GenerateSecretString / GetRandomPassword options. */
export interface PasswordOptions {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeLowercase?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
}

const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const truthy = (v: unknown): boolean => v === true || v === 'true';

/** A random password as Secrets Manager makes one (default: 32 characters of every kind, each kind at least once). */
export function randomPassword(options: PasswordOptions = {}): string {
  const length = Number(options.PasswordLength ?? 32);
  const excluded = new Set(options.ExcludeCharacters ?? '');
  const kinds = [
    truthy(options.ExcludeUppercase) ? '' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    truthy(options.ExcludeLowercase) ? '' : 'abcdefghijklmnopqrstuvwxyz',
    truthy(options.ExcludeNumbers) ? '' : '0123456789',
    truthy(options.ExcludePunctuation) ? '' : PUNCTUATION,
    truthy(options.IncludeSpace) ? ' ' : '',
  ].map((k) => [...k].filter((c) => !excluded.has(c)).join('')).filter((k) => k.length > 0);
  if (!Number.isInteger(length) || length < 1 || length > 4096) throw new AwsError('InvalidParameterException', 'PasswordLength must be between 1 and 4096.');
  if (!kinds.length) throw new AwsError('InvalidParameterException', 'The password would have no characters to choose from.');
  const all = kinds.join('');
  const pick = (set: string): string => set[randomInt(set.length)] ?? '';
  const required = options.RequireEachIncludedType === false || String(options.RequireEachIncludedType) === 'false' ? [] : kinds.map(pick);
  const chars = [...required, ...Array.from({ length: Math.max(0, length - required.length) }, () => pick(all))].slice(0, length);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}
