/**
 * Checks CloudFormation templates against the official resource specification
 * (`@aws-cdk/aws-service-spec`): resource types, properties, attributes and every reference.
 */
import { at, entries, isObject } from './json.js';
import { checkReferences } from './references.js';
import { checkResource } from './resources.js';
import { loadSpec } from './spec.js';
import { checkStructure, declaredNames } from './structure.js';
import type { SpecProblem } from './types.js';

export type { SpecProblem } from './types.js';

/**
 * Every problem of a template (parsed JSON or YAML with long-form intrinsics), in template order
 * within each kind of check; empty when the template is sound. The specification is loaded on the
 * first call and kept for the process.
 */
export async function checkTemplate(template: unknown): Promise<SpecProblem[]> {
  const db = await loadSpec();
  if (!isObject(template)) return [{ path: '', message: 'a template must be an object' }];
  return [
    ...checkStructure(template),
    ...entries(template.Resources).flatMap(([id, resource]) => checkResource(db, id, resource, at('Resources', id))),
    ...checkReferences(db, template, declaredNames(template)),
  ];
}
