import { type Parsed, ok, parseInteger } from './parse.js';
import type { Problem } from './problems.js';
import { parseCapacity, type RawSettings, TLS_SOURCES_COMBINED } from './settings.js';

type Capacity = { min?: number; max?: number; desired?: number };

const given = (raw: RawSettings, flag: string): boolean => raw[flag] !== undefined;
const whole = (raw: RawSettings, flag: string): number | undefined => {
  if (raw[flag] === undefined) return undefined;
  const r = parseInteger(flag, raw[flag], 0, 100);
  return r.ok ? r.value : undefined;
};
const capacityOf = (raw: RawSettings): Capacity => ({ min: whole(raw, 'min-capacity'), max: whole(raw, 'max-capacity'), desired: whole(raw, 'desired-capacity') });
const withoutUndefined = (raw: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));

/**
 * The capacity flags of an update. A desired capacity given on this update is the user's and is checked
 * against the bounds as they end up; one carried from the cluster follows the bounds (clamped into them).
 * A fixed-size cluster (min = max = desired) given only `--desired-capacity` stays fixed at that size.
 */
function capacityFlags(current: RawSettings, changes: RawSettings): Record<string, unknown> {
  const now = capacityOf(current);
  const boundsGiven = given(changes, 'min-capacity') || given(changes, 'max-capacity');
  if (given(changes, 'desired-capacity')) {
    const fixed = now.desired !== undefined && now.min === now.desired && now.max === now.desired;
    return fixed && !boundsGiven ? { 'min-capacity': undefined, 'max-capacity': undefined } : {};
  }
  const next = { ...now, ...withoutUndefined(capacityOf(changes)) } as Capacity;
  // Bounds that are not numbers, or crossed, are reported as they are by validation.
  if (next.min === undefined || next.max === undefined || next.desired === undefined || next.min > next.max) return {};
  return { 'desired-capacity': Math.min(Math.max(next.desired, next.min), next.max) };
}

/**
 * Where the listener's certificate comes from after an update. New files or another ARN given now replace
 * the cluster's source, whichever it was; otherwise the deployed certificate stays, by its ARN (the file
 * paths recorded at create time name files on another machine, maybe long gone).
 */
function tlsFlags(current: RawSettings, changes: RawSettings, deployedArn: string | undefined): Record<string, unknown> {
  const replaced = given(changes, 'ssl-cert') || given(changes, 'ssl-key') || given(changes, 'certificate-arn');
  const kept = replaced ? undefined : deployedArn || current['certificate-arn'];
  return { 'ssl-cert': undefined, 'ssl-key': undefined, 'certificate-arn': kept };
}

/**
 * The raw settings of an update: the cluster's current settings (recorded in its template), the flags given
 * on this update on top. Pure. `deployedArn` is the certificate the listener serves now, if any.
 */
export function mergeUpdateSettings(current: RawSettings, changes: RawSettings, deployedArn?: string): Record<string, unknown> {
  const given = withoutUndefined(changes);
  return withoutUndefined({ ...current, ...tlsFlags(current, given, deployedArn), ...given, ...capacityFlags(current, given) });
}

/**
 * The checks an update's own flags allow before anything is read from AWS: bounds given together (with a
 * desired capacity, if given), and a certificate given both as files and as an ARN. Every problem at once.
 */
export function checkUpdateFlags(changes: RawSettings): Parsed<true> {
  const problems: Problem[] = [];
  if (given(changes, 'min-capacity') && given(changes, 'max-capacity')) {
    const capacity = parseCapacity({ 'min-capacity': changes['min-capacity'], 'max-capacity': changes['max-capacity'], 'desired-capacity': changes['desired-capacity'] });
    if (!capacity.ok) problems.push(...capacity.problems);
  }
  const arn = changes['certificate-arn'];
  if (arn !== undefined && (given(changes, 'ssl-cert') || given(changes, 'ssl-key'))) {
    problems.push({ flag: 'certificate-arn', value: String(arn), expected: TLS_SOURCES_COMBINED });
  }
  return problems.length > 0 ? { ok: false, problems } : ok(true);
}

/** One setting an update changes, with where its new value comes from. */
export interface SettingChange {
  setting: string;
  from: string | undefined;
  to: string;
  /** `--min-capacity`, `the config file`, or why it moved by itself (a desired capacity following new bounds). */
  source: string;
}

/**
 * The settings an update changes: the cluster's current values against the update's, each with the
 * source of its new value. Pure; `source` tells a flag from a config file's key.
 */
export function settingChanges(current: RawSettings, next: RawSettings, source: (setting: string) => string | undefined): SettingChange[] {
  const shown = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
  // A setting nobody gave changes only when it follows others (a desired capacity moved into new bounds);
  // the rest is bookkeeping (the served certificate recorded by its ARN) and not shown.
  return Object.keys(next)
    .filter((k) => k !== 'stack-name' && shown(next[k]) !== undefined && shown(next[k]) !== shown(current[k]))
    .flatMap((k) => {
      const from = source(k) ?? (k === 'desired-capacity' ? 'follows the new bounds' : undefined);
      return from === undefined ? [] : [{ setting: k, from: shown(current[k]), to: shown(next[k]) ?? '', source: from }];
    });
}
