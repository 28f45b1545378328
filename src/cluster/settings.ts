import { checkStackName } from './naming.js';
import { type Parsed, fail, ok, parseCidrList, parseInteger, parseTags } from './parse.js';
import type { Problem } from './problems.js';
import { DEFAULT_KMS_VERSION, isVersion } from './versions.js';

/** The validated description of a cluster: everything the template is rendered from. */
export interface ClusterSettings {
  stackName: string;
  region: string;
  kmsVersion: string;
  instanceType: string;
  capacity: { min: number; max: number; desired: number };
  keyName?: string;
  apiOrigin: string[];
  controlOrigin: string[];
  tags: Record<string, string>;
}

/** Settings as given: keyed by long flag name, values as yargs or a config file delivers them. */
export type RawSettings = Readonly<Record<string, unknown>>;

export const DEFAULT_INSTANCE_TYPE = 'c7i.large';
export const OPEN_TO_WORLD = '0.0.0.0/0';
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
const KEY_NAME = /^[\x20-\x7e]{1,255}$/;

const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** `--desired-capacity`, `--min-capacity`, `--max-capacity`: 0 ≤ min ≤ desired ≤ max ≤ 100, max ≥ 1. */
export function parseCapacity(raw: RawSettings): Parsed<ClusterSettings['capacity']> {
  const problems: Problem[] = [];
  const num = (flag: string, min: number) => {
    if (raw[flag] === undefined) return undefined;
    const r = parseInteger(flag, raw[flag], min, 100);
    if (!r.ok) problems.push(...r.problems);
    return r.ok ? r.value : undefined;
  };
  const desired = num('desired-capacity', 0);
  const min = num('min-capacity', 0);
  const max = num('max-capacity', 1);
  if (problems.length > 0) return { ok: false, problems };

  const hasMin = raw['min-capacity'] !== undefined;
  const hasMax = raw['max-capacity'] !== undefined;
  if (hasMin !== hasMax) {
    const [given, missing] = hasMin ? ['min-capacity', 'max-capacity'] : ['max-capacity', 'min-capacity'];
    return fail(given, String(raw[given]), `needs --${missing} too: give both for autoscaling, or neither for a fixed size (--desired-capacity)`);
  }
  if (min === undefined || max === undefined) {
    const size = desired ?? 1;
    if (size < 1) return fail('desired-capacity', String(size), 'must be at least 1 for a fixed-size cluster (give --min-capacity 0 and --max-capacity for autoscaling)');
    return ok({ min: size, max: size, desired: size });
  }
  if (min > max) return fail('min-capacity', String(min), `is above --max-capacity ${max}`);
  const want = desired ?? Math.max(min, 1);
  if (want < min) return fail('desired-capacity', String(want), `is below --min-capacity ${min}`);
  if (want > max) return fail('desired-capacity', String(want), `is above --max-capacity ${max}`);
  return ok({ min, max, desired: want });
}

/**
 * Validates every setting (pure: no AWS, no files) and returns the settings or every problem found,
 * so the user sees all mistakes at once. `region` was resolved beforehand.
 */
export function resolveSettings(raw: RawSettings, region: string, knownVersions: readonly string[]): Parsed<ClusterSettings> {
  const problems: Problem[] = [];
  const take = <T>(r: Parsed<T>): T | undefined => {
    if (r.ok) return r.value;
    problems.push(...r.problems);
    return undefined;
  };

  const stackName = text(raw['stack-name']) ?? '';
  problems.push(...checkStackName(stackName));

  const kmsVersion = text(raw.version) ?? DEFAULT_KMS_VERSION;
  if (!isVersion(kmsVersion) || !knownVersions.includes(kmsVersion)) {
    problems.push({ flag: 'version', value: kmsVersion, expected: `is not a deployable Kurento version; expected one of ${knownVersions.join(', ')}` });
  }

  const instanceType = text(raw['aws-instance-type']) ?? DEFAULT_INSTANCE_TYPE;
  if (!INSTANCE_TYPE.test(instanceType)) {
    problems.push({ flag: 'aws-instance-type', value: instanceType, expected: 'expected an EC2 instance type such as c7i.large' });
  }

  const keyName = text(raw['aws-key-name']);
  if (keyName !== undefined && !KEY_NAME.test(keyName)) {
    problems.push({ flag: 'aws-key-name', value: keyName, expected: 'expected the name of an EC2 key pair (1-255 printable ASCII characters)' });
  }

  const capacity = take(parseCapacity(raw));
  const apiOrigin = take(parseCidrList('api-origin', text(raw['api-origin']) ?? OPEN_TO_WORLD));
  const controlOrigin = take(parseCidrList('control-origin', text(raw['control-origin']) ?? OPEN_TO_WORLD));
  const tags = take(parseTags('tags', text(raw.tags) ?? ''));

  if (problems.length > 0 || !capacity || !apiOrigin || !controlOrigin || !tags) return { ok: false, problems };
  return ok({
    stackName,
    region,
    kmsVersion,
    instanceType,
    capacity,
    ...(keyName !== undefined ? { keyName } : {}),
    apiOrigin,
    controlOrigin,
    tags,
  });
}
