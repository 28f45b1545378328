import type { Problem } from './problems.js';

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]*$/;

/** Checks a cluster (stack) name: a letter, then letters, digits or `-`; at most 128 characters. */
export function checkStackName(name: string | undefined): Problem[] {
  if (name === undefined || name === '') {
    return [{ flag: 'stack-name', value: '', expected: 'is required: the cluster name, e.g. --stack-name demo' }];
  }
  if (name.length > 128) {
    return [{ flag: 'stack-name', value: name, expected: `is ${name.length} characters long; at most 128 are allowed` }];
  }
  if (!STACK_NAME.test(name)) {
    return [{ flag: 'stack-name', value: name, expected: 'must start with a letter and contain only letters, digits and "-"' }];
  }
  return [];
}

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** Checks the shape of a region name (`eu-west-1`); whether it is enabled is for AWS to say. */
export const isRegionName = (region: string): boolean => REGION.test(region);
