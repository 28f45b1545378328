import type { SpecDatabase } from '@aws-cdk/service-spec-types';
import { intrinsicName } from './intrinsics.js';
import { at, isObject } from './json.js';
import { checkPolicy } from './policies.js';
import { checkObject } from './properties.js';
import { findResource, isCustomType } from './spec.js';
import type { SpecProblem } from './types.js';

const RESOURCE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'Metadata',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'CreationPolicy',
  'UpdatePolicy',
]);
const DELETION_POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
const UPDATE_REPLACE_POLICIES = ['Delete', 'Retain', 'Snapshot'];

function checkChoice(resource: Record<string, unknown>, key: string, allowed: string[], path: string): SpecProblem[] {
  const value = resource[key];
  if (value === undefined || allowed.includes(value as string)) return [];
  return [{ path: at(path, key), message: `${key} must be one of ${allowed.join(', ')}` }];
}

/** Problems of a custom resource's properties: anything goes but a `ServiceToken`. */
function customProperties(properties: unknown, path: string): SpecProblem[] {
  if (intrinsicName(properties) !== undefined) return [];
  if (isObject(properties) && 'ServiceToken' in properties) return [];
  return [{ path: at(path, 'Properties'), message: 'missing required property ServiceToken' }];
}

/** Checks one resource: its attributes, its type and its properties against the specification. */
export function checkResource(db: SpecDatabase, id: string, resource: unknown, path = at('Resources', id)): SpecProblem[] {
  if (!isObject(resource)) return [{ path, message: 'a resource must be an object' }];
  const problems: SpecProblem[] = [];
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_ATTRIBUTES.has(key)) problems.push({ path: at(path, key), message: `unknown resource attribute ${key}` });
  }
  problems.push(...checkChoice(resource, 'DeletionPolicy', DELETION_POLICIES, path));
  problems.push(...checkChoice(resource, 'UpdateReplacePolicy', UPDATE_REPLACE_POLICIES, path));
  for (const key of ['CreationPolicy', 'UpdatePolicy'] as const) {
    if (key in resource) problems.push(...checkPolicy(key, resource[key], at(path, key)));
  }
  const { Type: type, Properties: properties } = resource;
  if (typeof type !== 'string') return [...problems, { path, message: 'missing resource Type' }];
  if (isCustomType(type)) return [...problems, ...customProperties(properties, path)];
  const spec = findResource(db, type);
  if (!spec) return [...problems, { path: at(path, 'Type'), message: `unknown resource type ${type}` }];
  const propertiesPath = properties === undefined ? path : at(path, 'Properties');
  return [...problems, ...checkObject(db, spec.properties, properties ?? {}, propertiesPath)];
}
