import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { Resource, SpecDatabase } from '@aws-cdk/service-spec-types';

let loading: Promise<SpecDatabase> | undefined;

/**
 * The CloudFormation resource specification, loaded once per process: gunzipping and indexing the
 * database takes about half a second and 80 MB.
 */
export function loadSpec(): Promise<SpecDatabase> {
  loading ??= loadAwsServiceSpec();
  return loading;
}

/** Whether `type` is a custom resource, which takes any properties and attributes. */
export const isCustomType = (type: string): boolean =>
  type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';

/** The specification of a resource type, if the specification knows it. */
export function findResource(db: SpecDatabase, type: string): Resource | undefined {
  return db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
}

/** Whether resources of `type` have the attribute `name` for `Fn::GetAtt` (undefined: type unknown). */
export function hasAttribute(db: SpecDatabase, type: string, name: string): boolean | undefined {
  if (isCustomType(type)) return true;
  const resource = findResource(db, type);
  if (!resource) return undefined;
  if (name in resource.attributes) return true;
  // Nested stacks expose each of their outputs as `Outputs.<Name>`.
  return name.startsWith('Outputs.') && 'Outputs' in resource.attributes;
}
