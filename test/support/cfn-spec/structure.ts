import { at, entries, isObject, type JsonObject } from './json.js';
import type { SpecProblem, TemplateNames } from './types.js';

const SECTIONS: ReadonlySet<string> = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
]);
const OBJECT_SECTIONS = ['Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Resources', 'Outputs'];
const PARAMETER_KEYS: ReadonlySet<string> = new Set([
  'Type',
  'Default',
  'AllowedValues',
  'AllowedPattern',
  'ConstraintDescription',
  'Description',
  'MaxLength',
  'MaxValue',
  'MinLength',
  'MinValue',
  'NoEcho',
]);
const OUTPUT_KEYS: ReadonlySet<string> = new Set(['Description', 'Value', 'Export', 'Condition']);
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/** The names the template declares. */
export function declaredNames(template: JsonObject): TemplateNames {
  const types = entries(template.Resources).map(([id, r]): [string, string | undefined] => [
    id,
    isObject(r) && typeof r.Type === 'string' ? r.Type : undefined,
  ]);
  const keys = (section: unknown) => new Set(entries(section).map(([id]) => id));
  return {
    parameters: keys(template.Parameters),
    resources: new Map(types),
    conditions: keys(template.Conditions),
    mappings: keys(template.Mappings),
  };
}

function checkKeys(value: JsonObject, allowed: ReadonlySet<string>, path: string, what: string): SpecProblem[] {
  return Object.keys(value)
    .filter((key) => !allowed.has(key))
    .map((key) => ({ path: at(path, key), message: `unknown ${what} ${key}` }));
}

function checkParameter(value: unknown, path: string): SpecProblem[] {
  if (!isObject(value)) return [{ path, message: 'a parameter must be an object' }];
  const problems = checkKeys(value, PARAMETER_KEYS, path, 'parameter attribute');
  if (typeof value.Type !== 'string') problems.push({ path, message: 'missing parameter Type' });
  return problems;
}

function checkOutput(value: unknown, path: string): SpecProblem[] {
  if (!isObject(value)) return [{ path, message: 'an output must be an object' }];
  const problems = checkKeys(value, OUTPUT_KEYS, path, 'output attribute');
  if (!('Value' in value)) problems.push({ path, message: 'missing output Value' });
  if ('Export' in value && !(isObject(value.Export) && 'Name' in value.Export)) {
    problems.push({ path: at(path, 'Export'), message: 'Export needs a Name' });
  }
  return problems;
}

/** Checks the template's shape: its sections, logical IDs, parameters and outputs. */
export function checkStructure(template: JsonObject): SpecProblem[] {
  const problems = checkKeys(template, SECTIONS, '', 'template section');
  for (const section of OBJECT_SECTIONS) {
    if (section in template && !isObject(template[section])) problems.push({ path: section, message: `${section} must be an object` });
  }
  if (entries(template.Resources).length === 0) problems.push({ path: 'Resources', message: 'a template needs at least one resource' });
  const parameters = new Set(entries(template.Parameters).map(([id]) => id));
  for (const section of ['Parameters', 'Resources', 'Outputs']) {
    for (const [id] of entries(template[section])) {
      if (!LOGICAL_ID.test(id)) problems.push({ path: at(section, id), message: `${id}: logical IDs must be alphanumeric` });
      if (section === 'Resources' && parameters.has(id)) problems.push({ path: at(section, id), message: `${id} is also a parameter` });
    }
  }
  for (const [id, p] of entries(template.Parameters)) problems.push(...checkParameter(p, at('Parameters', id)));
  for (const [id, o] of entries(template.Outputs)) problems.push(...checkOutput(o, at('Outputs', id)));
  return problems;
}
