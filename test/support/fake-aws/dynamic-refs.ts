/**
 * Dynamic references in resolved template properties:
 * `{{resolve:secretsmanager:SECRET-ID:SecretString:JSON-KEY:VERSION-STAGE:VERSION-ID}}`, where the
 * secret id is a name or an ARN and the last four parts are optional. They are resolved against
 * the Secrets Manager state at the time a resource is created. `ssm` references are left alone.
 */
import { findSecret, versionOf } from './secrets.js';
import type { World } from './world.js';

const PATTERN = /\{\{resolve:secretsmanager:([^}]*)\}\}/g;

/** Resolved properties, or the reason the resource fails. */
export type Resolution = { value: unknown; problem?: undefined } | { value?: undefined; problem: string };

function splitReference(body: string): { secretId: string; rest: string[] } {
  const parts = body.split(':');
  const idParts = body.startsWith('arn:') ? 7 : 1;
  return { secretId: parts.slice(0, idParts).join(':'), rest: parts.slice(idParts) };
}

/** The text one reference stands for, or throws the reason it cannot be resolved. */
function resolveOne(world: World, reference: string, body: string, at: number): string {
  const { secretId, rest } = splitReference(body);
  const [field = 'SecretString', key = '', stage = '', versionId = ''] = rest;
  const fail = (why: string): never => {
    throw new Error(`Could not resolve the dynamic reference ${reference}: ${why}`);
  };
  if (field !== 'SecretString') fail(`unsupported field '${field}' (only SecretString is supported)`);
  const secret = findSecret(world, secretId, at);
  if (!secret || (secret.deletedAt !== undefined && secret.deletedAt <= at)) {
    fail("Secrets Manager can't find the specified secret. (Service: AWSSecretsManager; Status Code: 400; Error Code: ResourceNotFoundException)");
  }
  const version = secret && versionOf(secret, versionId || undefined, stage || (versionId ? undefined : 'AWSCURRENT'));
  if (!version || version.value === undefined) return fail(`Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage || 'AWSCURRENT'}`}`);
  if (!key) return version.value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(version.value);
  } catch {
    return fail('Could not parse SecretString JSON');
  }
  const found = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[key] : undefined;
  if (found === undefined) return fail(`Could not find the key '${key}' in the SecretString JSON of ${secret?.arn ?? secretId}`);
  return typeof found === 'string' ? found : JSON.stringify(found);
}

function walk(world: World, value: unknown, at: number): unknown {
  if (typeof value === 'string') return value.replace(PATTERN, (reference, body: string) => resolveOne(world, reference, body, at));
  if (Array.isArray(value)) return value.map((v) => walk(world, v, at));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(world, v, at)]));
  return value;
}

/** Resolves every Secrets Manager dynamic reference in `value` as of `at`. */
export function resolveDynamicReferences(world: World, value: unknown, at: number): Resolution {
  try {
    return { value: walk(world, value, at) };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}
