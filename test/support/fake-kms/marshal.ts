/**
 * Reading constructor and method parameters the way KMS's generated code does
 * (module-creator templates cpp_interface_internal/remoteClass_internal_cpp.ftl and
 * cpp_server_internal/remoteClass_internal_cpp.ftl): each declared parameter is type-checked with
 * jsoncpp's loose conversions, then deserialised; a remote class parameter is looked up by id.
 */
import { classes, enums, isA, type ParamSpec, type TypeName } from './catalog.js';
import { Kms, KmsError } from './errors.js';
import { asNumber, asString, hasMember, isObject, toBoolOk, toDoubleOk, toInt64Ok, toIntOk, toStringOk } from './json.js';
import type { MediaObj } from './model.js';

/** Required properties of the complex types whose fields the fake reads. */
const complexRequired: Record<string, [string, TypeName][]> = {
  IceCandidate: [
    ['candidate', 'String'],
    ['sdpMid', 'String'],
    ['sdpMLineIndex', 'int'],
  ],
};

/** `getTypeDescription()` of JsonCppTypeData. */
export function describe(type: TypeName): string {
  if (type.endsWith('[]')) return 'list';
  if (type.endsWith('<>')) return 'map';
  if (type === 'String' || enums[type] || classes.has(type)) return 'string';
  if (type === 'int') return 'integer';
  if (type === 'int64') return 'int64';
  if (type === 'boolean') return 'boolean';
  if (type === 'double' || type === 'float') return 'double';
  return 'object';
}

/** The generated `isX() || isConvertibleTo(X)` test. */
export function accepts(type: TypeName, v: unknown): boolean {
  switch (describe(type)) {
    case 'list':
      return v === null || Array.isArray(v);
    case 'map':
    case 'object':
      return v === null || isObject(v);
    case 'string':
      return toStringOk(v);
    case 'integer':
      return toIntOk(v);
    case 'int64':
      return toInt64Ok(v);
    case 'boolean':
      return toBoolOk(v);
    default:
      return toDoubleOk(v);
  }
}

const marshall = (message: string) => new KmsError(Kms.MARSHALL_ERROR, message);

/** Deserialises an accepted value (`SerializeNVP` on a reader). */
export function decode(type: TypeName, v: unknown, lookup: (id: string) => MediaObj): unknown {
  const cls = classes.get(type);
  if (cls) {
    const obj = lookup(asString(v));
    // KMS would dynamic_pointer_cast to null here and fail later; the fake refuses clearly.
    if (!isA(obj.type, cls.name)) throw marshall(`'${obj.id}' is not a ${cls.name}`);
    return obj;
  }
  const values = enums[type];
  if (values) {
    if (!values.includes(asString(v))) throw marshall(`Invalid value for '${type}'`);
    return asString(v);
  }
  switch (describe(type)) {
    case 'string':
      return asString(v);
    case 'integer':
    case 'int64':
      return Math.trunc(asNumber(v));
    case 'boolean':
      return v === null ? false : Boolean(v);
    case 'double':
      return asNumber(v);
    case 'object': {
      for (const [name, t] of complexRequired[type] ?? []) {
        if (!hasMember(v, name) || !accepts(t, (v as Record<string, unknown>)[name])) throw marshall(`'${name}' property should be a ${describe(t)}`);
      }
      return v ?? {};
    }
    default:
      return v ?? (type.endsWith('[]') ? [] : {});
  }
}

/**
 * Reads `json` (the `operationParams` or `constructorParams` member) against `params`. Optional
 * parameters that are absent are left out, or given their kmd default when `withDefaults`.
 */
export function readParams(params: readonly ParamSpec[], json: unknown, what: 'operationParams' | 'constructorParams', lookup: (id: string) => MediaObj, withDefaults = false): Record<string, unknown> {
  const required = params.some((p) => !p.optional);
  if (required && (json === null || json === undefined)) throw marshall(`'${what}' is required`);
  if (json !== null && json !== undefined && !isObject(json)) throw marshall(`'${what}' should be an object`);
  const out: Record<string, unknown> = {};
  for (const p of params) {
    const present = hasMember(json, p.name);
    const v = present ? (json as Record<string, unknown>)[p.name] : undefined;
    if (!present || !accepts(p.type, v)) {
      if (!p.optional || present) throw marshall(`'${p.name}' parameter should be a ${describe(p.type)}`);
      if (withDefaults && p.default !== undefined) out[p.name] = p.default;
      continue;
    }
    out[p.name] = decode(p.type, v, lookup);
  }
  return out;
}
