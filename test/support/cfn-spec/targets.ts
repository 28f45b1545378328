import type { SpecDatabase } from '@aws-cdk/service-spec-types';
import { PSEUDO_PARAMETERS } from './intrinsics.js';
import { hasAttribute } from './spec.js';
import type { SpecProblem, TemplateNames } from './types.js';

/** What a walk over references needs, and what it records. */
export interface RefContext {
  db: SpecDatabase;
  names: TemplateNames;
  problems: SpecProblem[];
  usedParameters: Set<string>;
  usedConditions: Set<string>;
  /** Only parameters and pseudo parameters may be named (Conditions and Rules sections). */
  parametersOnly: boolean;
  /** `{ Condition: Name }` names a condition (Conditions section). */
  conditionKeys: boolean;
}

const ONLY_PARAMETERS = 'only parameters and pseudo parameters can be referred to in this section';

/** Checks what a `Ref` or a plain `Fn::Sub` variable names; `label` starts the message. */
export function refTarget(ctx: RefContext, name: string, path: string, label: string): void {
  const { names, problems } = ctx;
  if (PSEUDO_PARAMETERS.has(name)) return;
  if (names.parameters.has(name)) ctx.usedParameters.add(name);
  else if (!names.resources.has(name)) {
    problems.push({ path, message: `${label}: no parameter, resource or pseudo parameter of that name` });
  } else if (ctx.parametersOnly) problems.push({ path, message: `${label}: ${ONLY_PARAMETERS}` });
}

/** Checks the resource and attribute an `Fn::GetAtt` or an `Fn::Sub` variable names; `attribute` is undefined when computed. */
export function attributeTarget(
  ctx: RefContext,
  logicalId: string,
  attribute: string | undefined,
  path: string,
  label: string,
): void {
  const { names, problems } = ctx;
  if (!names.resources.has(logicalId)) {
    problems.push({ path, message: `${label}: no resource ${logicalId}` });
  } else if (ctx.parametersOnly) {
    problems.push({ path, message: `${label}: ${ONLY_PARAMETERS}` });
  } else {
    const type = names.resources.get(logicalId);
    if (type !== undefined && attribute !== undefined && hasAttribute(ctx.db, type, attribute) === false) {
      problems.push({ path, message: `${label}: ${type} has no attribute ${attribute}` });
    }
  }
}

/** Checks that a referenced condition is declared, and counts it as used. */
export function conditionTarget(ctx: RefContext, name: unknown, path: string): void {
  if (typeof name !== 'string') ctx.problems.push({ path, message: 'a condition is named by a string' });
  else if (!ctx.names.conditions.has(name)) ctx.problems.push({ path, message: `condition ${name} is not declared` });
  else ctx.usedConditions.add(name);
}
