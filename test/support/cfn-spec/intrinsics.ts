import { isObject } from './json.js';

/** Pseudo parameters that `Ref` and `Fn::Sub` may name. */
export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

/** The function name of an intrinsic (`Ref`, `Fn::If`, …) when `value` is one: an object with that single key. */
export function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  const [key] = keys;
  return keys.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::')) ? key : undefined;
}

/** Whether `value` is `{ Ref: AWS::NoValue }`. */
export const isNoValue = (value: unknown): boolean => isObject(value) && value.Ref === 'AWS::NoValue';

/** The value branches of a well-formed `Fn::If` (`[condition, whenTrue, whenFalse]`), else none. */
export function ifBranches(value: unknown): unknown[] {
  if (!isObject(value) || !Array.isArray(value['Fn::If']) || value['Fn::If'].length !== 3) return [];
  return value['Fn::If'].slice(1);
}

/** The variables of an `Fn::Sub` string (`${X}`, `${X.Attr}`), leaving out literals (`${!X}`). */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] ?? '').filter((name) => !name.startsWith('!'));
}
