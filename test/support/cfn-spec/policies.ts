import { intrinsicName } from './intrinsics.js';
import { at, entries, isObject } from './json.js';
import type { SpecProblem } from './types.js';

/** The keys of each policy entry, or `'value'` for an entry that is a plain value. */
type PolicySchema = Readonly<Record<string, readonly string[] | 'value'>>;

const CREATION_POLICY: PolicySchema = {
  AutoScalingCreationPolicy: ['MinSuccessfulInstancesPercent'],
  ResourceSignal: ['Count', 'Timeout'],
  StartFleet: 'value',
};

const UPDATE_POLICY: PolicySchema = {
  AutoScalingReplacingUpdate: ['WillReplace'],
  AutoScalingRollingUpdate: [
    'MaxBatchSize',
    'MinActiveInstancesPercent',
    'MinInstancesInService',
    'MinSuccessfulInstancesPercent',
    'PauseTime',
    'SuspendProcesses',
    'WaitOnResourceSignals',
  ],
  AutoScalingScheduledAction: ['IgnoreUnmodifiedGroupSizeProperties'],
  CodeDeployLambdaAliasUpdate: ['AfterAllowTrafficHook', 'ApplicationName', 'BeforeAllowTrafficHook', 'DeploymentGroupName'],
  EnableVersionUpgrade: 'value',
  UseOnlineResharding: 'value',
};

const SCHEMAS: Readonly<Record<string, PolicySchema>> = { CreationPolicy: CREATION_POLICY, UpdatePolicy: UPDATE_POLICY };

/** Checks the keys of a resource's `CreationPolicy` or `UpdatePolicy` (not the values, which may be intrinsics). */
export function checkPolicy(attribute: 'CreationPolicy' | 'UpdatePolicy', value: unknown, path: string): SpecProblem[] {
  const schema = SCHEMAS[attribute] ?? {};
  if (intrinsicName(value) !== undefined) return [];
  if (!isObject(value)) return [{ path, message: `${attribute} must be an object` }];
  const problems: SpecProblem[] = [];
  for (const [key, entry] of Object.entries(value)) {
    const keys = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (keys === undefined) problems.push({ path: at(path, key), message: `unknown ${attribute} ${key}` });
    else if (keys !== 'value' && intrinsicName(entry) === undefined) {
      if (!isObject(entry)) problems.push({ path: at(path, key), message: `${key} must be an object` });
      for (const [name] of entries(entry)) {
        if (!keys.includes(name)) problems.push({ path: at(at(path, key), name), message: `unknown ${key} setting ${name}` });
      }
    }
  }
  return problems;
}
