/**
 * CloudFormation templates: parsing (JSON or YAML, long-form intrinsics), parameters, conditions and
 * the intrinsic functions the fake resolves.
 */
import { parse } from 'yaml';
import { validationError } from './errors.js';

/** A template parameter declaration. */
export interface ParameterDef {
  Type?: string;
  Default?: unknown;
  AllowedValues?: unknown[];
  AllowedPattern?: string;
  NoEcho?: boolean | string;
  Description?: string;
}
/** A template resource. */
export interface ResourceDef {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  DependsOn?: string | string[];
}
/** A template output. */
export interface OutputDef {
  Value: unknown;
  Description?: string;
  Condition?: string;
  Export?: { Name?: unknown };
}
/** A parsed template. */
export interface Template {
  Description?: string;
  Parameters?: Record<string, ParameterDef>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, ResourceDef>;
  Outputs?: Record<string, OutputDef>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses a template body; format errors are `ValidationError`s worded like CloudFormation's. */
export function parseTemplate(body: string): Template {
  let doc: unknown;
  try {
    doc = parse(body);
  } catch (e) {
    throw validationError(`Template format error: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(doc)) throw validationError('Template format error: not a JSON or YAML object');
  const resources = doc.Resources;
  if (!isRecord(resources) || Object.keys(resources).length === 0) {
    throw validationError('Template format error: At least one Resources member must be defined.');
  }
  for (const [id, r] of Object.entries(resources)) {
    if (!isRecord(r) || typeof r.Type !== 'string') {
      throw validationError(`Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`);
    }
  }
  return doc as unknown as Template;
}

/** Parameter values after defaults; `noEcho` names the parameters CloudFormation masks. */
export interface ResolvedParameters {
  values: Record<string, string>;
  noEcho: Set<string>;
}

/**
 * Applies defaults and checks the given parameter values against the template: unknown keys,
 * missing values, AllowedValues and AllowedPattern.
 */
export function resolveParameters(template: Template, given: Record<string, string>): ResolvedParameters {
  const defs = template.Parameters ?? {};
  const unknown = Object.keys(given).filter((k) => !(k in defs));
  if (unknown.length) throw validationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const values: Record<string, string> = {};
  const missing: string[] = [];
  const noEcho = new Set<string>();
  for (const [key, def] of Object.entries(defs)) {
    const value = given[key] ?? (def.Default === undefined ? undefined : String(def.Default));
    if (value === undefined) {
      missing.push(key);
      continue;
    }
    if (def.AllowedValues && !def.AllowedValues.map(String).includes(value)) {
      throw validationError(`Parameter '${key}' must be one of AllowedValues`);
    }
    if (def.AllowedPattern && !new RegExp(`^(?:${def.AllowedPattern})$`).test(value)) {
      throw validationError(`Parameter '${key}' must match pattern ${def.AllowedPattern}`);
    }
    if (def.NoEcho === true || def.NoEcho === 'true') noEcho.add(key);
    values[key] = value;
  }
  if (missing.length) throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
  return { values, noEcho };
}

/** What intrinsic functions can see. */
export interface EvalContext {
  template: Template;
  params: Record<string, string>;
  region: string;
  accountId: string;
  stackName: string;
  stackId: string;
  /** Physical id of a resource, `undefined` for one that does not exist (yet). */
  physicalId(logicalId: string): string | undefined;
  /** `Fn::GetAtt` value of a resource. */
  getAtt(logicalId: string, attribute: string): unknown;
}

/** Marker for `AWS::NoValue`: properties resolving to it are dropped. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Evaluates every condition of the template. */
export function evaluateConditions(ctx: EvalContext): Record<string, boolean> {
  const defs = ctx.template.Conditions ?? {};
  const done: Record<string, boolean> = {};
  const active = new Set<string>();
  const condition = (name: string): boolean => {
    if (name in done) return done[name] ?? false;
    if (!(name in defs)) throw validationError(`Template format error: Unresolved dependencies [${name}]`);
    if (active.has(name)) throw validationError(`Template format error: circular condition ${name}`);
    active.add(name);
    const value = Boolean(new Resolver(ctx, condition).value(defs[name]));
    active.delete(name);
    done[name] = value;
    return value;
  };
  for (const name of Object.keys(defs)) condition(name);
  return done;
}

/** Resolves intrinsic functions in `value` (deeply); conditions come from {@link evaluateConditions}. */
export function resolveValue(value: unknown, ctx: EvalContext, conditions: Record<string, boolean>): unknown {
  const out = new Resolver(ctx, (name) => conditions[name] ?? false).value(value);
  return out === NO_VALUE ? undefined : out;
}

/** Renders a resolved value as CloudFormation shows it in outputs (lists joined with commas). */
export function asString(value: unknown): string {
  if (Array.isArray(value)) return value.map(asString).join(',');
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

class Resolver {
  constructor(
    private readonly ctx: EvalContext,
    private readonly condition: (name: string) => boolean,
  ) {}

  value(v: unknown): unknown {
    if (Array.isArray(v)) return v.map((x) => this.value(x)).filter((x) => x !== NO_VALUE);
    if (!isRecord(v)) return v;
    const keys = Object.keys(v);
    const fn = keys.length === 1 ? keys[0] : undefined;
    if (fn !== undefined && (fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::'))) return this.intrinsic(fn, v[fn]);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = this.value(x);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown): unknown {
    const list = (): unknown[] => {
      if (!Array.isArray(arg)) throw validationError(`Template error: ${fn} needs a list`);
      return arg;
    };
    switch (fn) {
      case 'Ref':
        return this.ref(String(arg));
      case 'Condition':
        return this.condition(String(arg));
      case 'Fn::GetAtt': {
        const [id, ...attr] = typeof arg === 'string' ? arg.split('.') : list().map((x) => String(this.value(x)));
        return this.ctx.getAtt(String(id), attr.join('.'));
      }
      case 'Fn::Sub':
        return this.sub(arg);
      case 'Fn::Join': {
        const [sep, items] = list();
        const parts = this.value(items);
        return (Array.isArray(parts) ? parts : [parts]).map(asString).join(String(sep));
      }
      case 'Fn::If': {
        const [name, yes, no] = list();
        return this.value(this.condition(String(name)) ? yes : no);
      }
      case 'Fn::Select': {
        const [index, items] = list();
        const resolved = this.value(items);
        return Array.isArray(resolved) ? resolved[Number(this.value(index))] : undefined;
      }
      case 'Fn::Split': {
        const [sep, text] = list();
        return asString(this.value(text)).split(String(sep));
      }
      case 'Fn::GetAZs': {
        const region = asString(this.value(arg)) || this.ctx.region;
        return ['a', 'b', 'c'].map((z) => region + z);
      }
      case 'Fn::FindInMap': {
        const [map, top, second] = list().map((x) => asString(this.value(x)));
        const found = this.ctx.template.Mappings?.[map ?? '']?.[top ?? '']?.[second ?? ''];
        if (found === undefined) throw validationError(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
        return found;
      }
      case 'Fn::Base64':
        return Buffer.from(asString(this.value(arg))).toString('base64');
      case 'Fn::ImportValue':
        return `imported-${asString(this.value(arg))}`;
      case 'Fn::Equals': {
        const [a, b] = list().map((x) => asString(this.value(x)));
        return a === b;
      }
      case 'Fn::Not':
        return !this.value(list()[0]);
      case 'Fn::And':
        return list().every((x) => Boolean(this.value(x)));
      case 'Fn::Or':
        return list().some((x) => Boolean(this.value(x)));
      default:
        throw validationError(`Template format error: Unrecognized function ${fn}`);
    }
  }

  private ref(name: string): unknown {
    const { ctx } = this;
    switch (name) {
      case 'AWS::Region':
        return ctx.region;
      case 'AWS::AccountId':
        return ctx.accountId;
      case 'AWS::StackName':
        return ctx.stackName;
      case 'AWS::StackId':
        return ctx.stackId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    if (name in ctx.params) {
      const type = ctx.template.Parameters?.[name]?.Type ?? 'String';
      const value = ctx.params[name] ?? '';
      return type === 'CommaDelimitedList' || type.startsWith('List<') ? value.split(',') : value;
    }
    if (name in ctx.template.Resources) return ctx.physicalId(name);
    throw validationError(`Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`);
  }

  private sub(arg: unknown): string {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    const bound = isRecord(vars) ? vars : {};
    return String(text).replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
      if (bang) return `\${${name}}`;
      if (name in bound) return asString(this.value(bound[name]));
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return asString(this.ctx.getAtt(name.slice(0, dot), name.slice(dot + 1)));
      return asString(this.ref(name));
    });
  }
}
