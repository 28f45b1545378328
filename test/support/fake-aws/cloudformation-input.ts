/** Reading CloudFormation inputs shared by CreateStack, UpdateStack and CreateChangeSet. */
import { AwsError, validationError } from './errors.js';
import { keyValues, scalarList, structList, type Form } from './form.js';
import { capabilityNeeded } from './resource-types.js';
import type { StackConfig } from './stack.js';
import { parseTemplate, resolveParameters, type Template } from './template.js';

/** A required field, or a `ValidationError` worded like the service's. */
export function required(params: Form, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') {
    throw validationError(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** Checks a stack or change set name like CloudFormation does. */
export function checkName(name: string, field = 'stackName'): void {
  if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(name) || name.length > 128) {
    throw validationError(
      `1 validation error detected: Value '${name}' at '${field}' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*',
    );
  }
}

function checkCapabilities(template: Template, capabilities: string[]): void {
  let needed: string | undefined;
  for (const r of Object.values(template.Resources)) {
    const need = capabilityNeeded(r.Type, r.Properties ?? {});
    if (need === 'CAPABILITY_NAMED_IAM' || (need && !needed)) needed = need;
  }
  if (!needed || capabilities.includes('CAPABILITY_NAMED_IAM') || (needed === 'CAPABILITY_IAM' && capabilities.includes('CAPABILITY_IAM'))) return;
  throw new AwsError('InsufficientCapabilitiesException', `Requires capabilities : [${needed}]`);
}

/**
 * The template, parameters, tags and capabilities of a request. With `previous` (updates):
 * `UsePreviousTemplate`, `UsePreviousValue` and tags kept when none are sent.
 */
export function readConfig(params: Form, previous?: StackConfig): StackConfig {
  let templateBody = params.TemplateBody;
  if (!templateBody) {
    if (params.UsePreviousTemplate === 'true' && previous) templateBody = previous.templateBody;
    else if (params.TemplateURL) throw validationError('The fake AWS server does not fetch TemplateURL: send TemplateBody');
    else throw validationError('Either Template URL or Template Body must be specified.');
  }
  const template = parseTemplate(templateBody);
  const given: Record<string, string> = {};
  for (const m of structList(params, 'Parameters.member')) {
    const key = m.ParameterKey;
    if (key === undefined) continue;
    if (m.UsePreviousValue === 'true') {
      const old = previous?.parameters.values[key];
      if (old === undefined) throw validationError(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      given[key] = old;
    } else {
      given[key] = m.ParameterValue ?? '';
    }
  }
  const capabilities = scalarList(params, 'Capabilities.member');
  checkCapabilities(template, capabilities);
  const sentTags = 'Tags' in params || Object.keys(params).some((k) => k.startsWith('Tags.member.'));
  return {
    templateBody,
    template,
    parameters: resolveParameters(template, given),
    tags: sentTags || !previous ? keyValues(params, 'Tags.member') : { ...previous.tags },
    capabilities,
  };
}
