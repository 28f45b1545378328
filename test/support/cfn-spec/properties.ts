import type { PropertyType, ResourceProperties, SpecDatabase } from '@aws-cdk/service-spec-types';
import { ifBranches, intrinsicName, isNoValue } from './intrinsics.js';
import { at, isObject, item, kindOf } from './json.js';
import type { SpecProblem } from './types.js';

/** The legacy built-in tag type of the specification. */
const TAG: ResourceProperties = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

type Check = (value: unknown, path: string) => SpecProblem[];

/**
 * Checks an intrinsic in place of a value: each branch of an `Fn::If` (but `AWS::NoValue`) must pass `check`;
 * any other function is taken on trust, as its result is only known at deployment. Undefined when `value`
 * is not an intrinsic.
 */
function viaIntrinsic(value: unknown, path: string, check: Check): SpecProblem[] | undefined {
  const name = intrinsicName(value);
  if (name === undefined) return undefined;
  if (name !== 'Fn::If') return [];
  return ifBranches(value).flatMap((branch, i) => (isNoValue(branch) ? [] : check(branch, `${path}.Fn::If[${i + 1}]`)));
}

/** The members of a type, unions flattened. */
const members = (type: PropertyType): PropertyType[] => (type.type === 'union' ? type.types.flatMap(members) : [type]);

/** Whether `value` has the JSON shape of `type`; primitives are not told apart (CloudFormation converts them). */
function fits(type: PropertyType, value: unknown): boolean {
  switch (type.type) {
    case 'json':
    case 'null':
      return true;
    case 'ref':
    case 'tag':
    case 'map':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return ['string', 'number', 'boolean'].includes(typeof value);
  }
}

const shapeName = (type: PropertyType): string =>
  type.type === 'array' ? 'a list' : ['ref', 'tag', 'map'].includes(type.type) ? 'an object' : `a ${type.type}`;

/** Checks `value` against one member type it fits. */
function checkMember(db: SpecDatabase, type: PropertyType, value: unknown, path: string): SpecProblem[] {
  switch (type.type) {
    case 'ref': {
      const definition = db.get('typeDefinition', type.reference);
      // A definition without properties is a free-form object.
      if (Object.keys(definition.properties).length === 0) return [];
      return checkObject(db, definition.properties, value, path);
    }
    case 'tag':
      return checkObject(db, TAG, value, path);
    case 'array':
      return (value as unknown[]).flatMap((v, i) => checkValue(db, [type.element], v, item(path, i)));
    case 'map':
      return Object.entries(value as object).flatMap(([k, v]) => checkValue(db, [type.element], v, at(path, k)));
    default:
      return [];
  }
}

/** Checks `value` against any of `types` (a property's current and previous types). */
export function checkValue(db: SpecDatabase, types: readonly PropertyType[], value: unknown, path: string): SpecProblem[] {
  const viaFn = viaIntrinsic(value, path, (v, p) => checkValue(db, types, v, p));
  if (viaFn) return viaFn;
  if (value === null) return [{ path, message: 'null is not allowed in a template' }];
  const all = types.flatMap(members);
  const fitting = all.filter((type) => fits(type, value));
  if (fitting.length === 0) {
    const expected = [...new Set(all.map(shapeName))].join(' or ');
    return [{ path, message: `expected ${expected}, got ${kindOf(value)}` }];
  }
  let first: SpecProblem[] | undefined;
  for (const type of fitting) {
    const problems = checkMember(db, type, value, path);
    if (problems.length === 0) return [];
    first ??= problems;
  }
  return first ?? [];
}

/** Checks an object against the properties of a resource or property type: none unknown, none required missing. */
export function checkObject(db: SpecDatabase, properties: ResourceProperties, value: unknown, path: string): SpecProblem[] {
  const viaFn = viaIntrinsic(value, path, (v, p) => checkObject(db, properties, v, p));
  if (viaFn) return viaFn;
  if (!isObject(value)) return [{ path, message: `expected an object, got ${kindOf(value)}` }];
  const problems: SpecProblem[] = [];
  for (const [key, v] of Object.entries(value)) {
    const property = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (!property) problems.push({ path: at(path, key), message: `unknown property ${key}` });
    else problems.push(...checkValue(db, [property.type, ...(property.previousTypes ?? [])], v, at(path, key)));
  }
  for (const [key, property] of Object.entries(properties)) {
    if (property.required && !Object.hasOwn(value, key)) problems.push({ path, message: `missing required property ${key}` });
  }
  return problems;
}
