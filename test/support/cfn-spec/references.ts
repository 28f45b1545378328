import type { SpecDatabase } from '@aws-cdk/service-spec-types';
import { at, entries, isObject, item, type JsonObject } from './json.js';
import { conditionTarget, type RefContext } from './targets.js';
import type { SpecProblem, TemplateNames } from './types.js';
import { walk } from './walk.js';

/** Resource attributes whose intrinsics CloudFormation resolves. */
const RESOLVED_ATTRIBUTES = ['Properties', 'Metadata', 'CreationPolicy', 'UpdatePolicy'];

function dependsOn(ctx: RefContext, id: string, value: unknown, path: string): void {
  const list = Array.isArray(value) ? value : [value];
  list.forEach((target: unknown, i) => {
    const where = Array.isArray(value) ? item(path, i) : path;
    if (typeof target !== 'string') ctx.problems.push({ path: where, message: 'DependsOn takes resource names' });
    else if (target === id) ctx.problems.push({ path: where, message: `DependsOn: ${id} depends on itself` });
    else if (!ctx.names.resources.has(target)) ctx.problems.push({ path: where, message: `DependsOn: no resource ${target}` });
  });
}

/** Walks one section, with the reference rules of that section. */
function section(ctx: RefContext, path: string, value: unknown, only: boolean, conditionKeys: boolean): void {
  walk({ ...ctx, parametersOnly: only, conditionKeys }, value, path);
}

/**
 * Checks every reference of the template (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::If`, `Fn::FindInMap`,
 * `DependsOn`, `Condition`) and that every parameter and condition is used.
 */
export function checkReferences(db: SpecDatabase, template: JsonObject, names: TemplateNames): SpecProblem[] {
  const ctx: RefContext = {
    db,
    names,
    problems: [],
    usedParameters: new Set(),
    usedConditions: new Set(),
    parametersOnly: false,
    conditionKeys: false,
  };
  for (const [id, condition] of entries(template.Conditions)) section(ctx, at('Conditions', id), condition, true, true);
  for (const [id, rule] of entries(template.Rules)) section(ctx, at('Rules', id), rule, true, false);
  for (const [id, resource] of entries(template.Resources)) {
    if (!isObject(resource)) continue;
    const path = at('Resources', id);
    for (const key of RESOLVED_ATTRIBUTES) section(ctx, at(path, key), resource[key], false, false);
    if ('DependsOn' in resource) dependsOn(ctx, id, resource.DependsOn, at(path, 'DependsOn'));
    if ('Condition' in resource) conditionTarget(ctx, resource.Condition, at(path, 'Condition'));
  }
  for (const [id, output] of entries(template.Outputs)) {
    if (!isObject(output)) continue;
    const path = at('Outputs', id);
    section(ctx, at(path, 'Value'), output.Value, false, false);
    section(ctx, at(path, 'Export'), output.Export, false, false);
    if ('Condition' in output) conditionTarget(ctx, output.Condition, at(path, 'Condition'));
  }
  for (const name of names.parameters) {
    if (!ctx.usedParameters.has(name)) ctx.problems.push({ path: at('Parameters', name), message: `parameter ${name} is never used` });
  }
  for (const name of names.conditions) {
    if (!ctx.usedConditions.has(name)) ctx.problems.push({ path: at('Conditions', name), message: `condition ${name} is never used` });
  }
  return ctx.problems;
}
