import { intrinsicName, subVariables } from './intrinsics.js';
import { at, isObject, item } from './json.js';
import { attributeTarget, conditionTarget, refTarget, type RefContext } from './targets.js';

/** A logical ID, a pseudo parameter (`AWS::Region`) or `Logical.Attr.Path`. */
const SUB_VARIABLE = /^(?:[A-Za-z0-9]+(?:::[A-Za-z0-9]+)*|[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+)$/;

/** `Logical.Attr` split at its first dot, or undefined without one. */
function splitAttribute(text: string): [string, string] | undefined {
  const dot = text.indexOf('.');
  return dot > 0 ? [text.slice(0, dot), text.slice(dot + 1)] : undefined;
}

function getAtt(ctx: RefContext, arg: unknown, path: string): void {
  const label = (id: string, attribute: string | undefined) => `Fn::GetAtt ${id}.${attribute ?? '(computed)'}`;
  if (typeof arg === 'string') {
    const parts = splitAttribute(arg);
    if (parts) return attributeTarget(ctx, parts[0], parts[1], path, label(...parts));
  } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') {
    const attribute = typeof arg[1] === 'string' ? arg[1] : undefined;
    walk(ctx, arg[1], item(path, 1));
    return attributeTarget(ctx, arg[0], attribute, path, label(arg[0], attribute));
  }
  ctx.problems.push({ path, message: 'Fn::GetAtt takes [resource, attribute] or "resource.attribute"' });
}

function sub(ctx: RefContext, arg: unknown, path: string): void {
  const [text, variables] =
    typeof arg === 'string'
      ? [arg, {}]
      : Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && isObject(arg[1])
        ? [arg[0], arg[1]]
        : [undefined, {}];
  if (text === undefined) {
    ctx.problems.push({ path, message: 'Fn::Sub takes a string or [string, variables]' });
    return walk(ctx, arg, path);
  }
  walk(ctx, variables, item(path, 1));
  for (const name of subVariables(text)) {
    if (Object.hasOwn(variables, name)) continue;
    const label = `Fn::Sub variable \${${name}}`;
    const parts = splitAttribute(name);
    if (!SUB_VARIABLE.test(name)) {
      ctx.problems.push({ path, message: `${label}: not a name CloudFormation can resolve (write \${!${name}} for a literal)` });
    } else if (parts) attributeTarget(ctx, parts[0], parts[1], path, label);
    else refTarget(ctx, name, path, label);
  }
}

function fnIf(ctx: RefContext, arg: unknown, path: string): void {
  if (!Array.isArray(arg) || arg.length !== 3) {
    ctx.problems.push({ path, message: 'Fn::If takes [condition, value if true, value if false]' });
    return walk(ctx, arg, path);
  }
  conditionTarget(ctx, arg[0], item(path, 0));
  arg.slice(1).forEach((branch, i) => walk(ctx, branch, item(path, i + 1)));
}

function findInMap(ctx: RefContext, arg: unknown, path: string): void {
  const map: unknown = Array.isArray(arg) ? arg[0] : undefined;
  if (typeof map === 'string' && !ctx.names.mappings.has(map)) {
    ctx.problems.push({ path, message: `Fn::FindInMap: no mapping ${map}` });
  }
  walk(ctx, arg, path);
}

/** Checks every reference inside `value`: `Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If`, `Fn::FindInMap`, `{ Condition }`. */
export function walk(ctx: RefContext, value: unknown, path: string): void {
  if (Array.isArray(value)) return value.forEach((v, i) => walk(ctx, v, item(path, i)));
  if (!isObject(value)) return;
  const name = intrinsicName(value);
  const arg = name === undefined ? undefined : value[name];
  const argPath = at(path, name ?? '');
  if (name === 'Ref') {
    if (typeof arg === 'string') refTarget(ctx, arg, argPath, `Ref to ${arg}`);
    else ctx.problems.push({ path: argPath, message: 'Ref takes the name of a parameter or resource' });
  } else if (name === 'Fn::GetAtt') getAtt(ctx, arg, argPath);
  else if (name === 'Fn::Sub') sub(ctx, arg, argPath);
  else if (name === 'Fn::If') fnIf(ctx, arg, argPath);
  else if (name === 'Fn::FindInMap') findInMap(ctx, arg, argPath);
  else if (ctx.conditionKeys && Object.keys(value).length === 1 && 'Condition' in value) {
    conditionTarget(ctx, value.Condition, at(path, 'Condition'));
  } else for (const [key, v] of Object.entries(value)) walk(ctx, v, at(path, key));
}
