import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

/** `UPDATE_GOLDEN=1` rewrites goldens from what the code renders; otherwise goldens are only read. */
export const updatingGoldens = process.env.UPDATE_GOLDEN === '1';

type JsonObject = Record<string, unknown>;
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The golden JSON file at `url`. With `UPDATE_GOLDEN=1`, `actual` is written there first. A missing
 * golden is a failure, never written silently: a test that writes its own expectation proves nothing.
 */
export function readGolden<T>(url: URL, actual: T): T {
  if (updatingGoldens) {
    mkdirSync(new URL('.', url), { recursive: true });
    writeFileSync(url, `${JSON.stringify(actual, null, 2)}\n`);
  }
  if (!existsSync(url)) {
    throw new Error(`the golden ${relative(process.cwd(), fileURLToPath(url))} is missing: rerun this test with UPDATE_GOLDEN=1 to write it, then review it`);
  }
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/**
 * The `.json` files in the folder `dir` that are not the goldens `names` (without `.json`): left
 * behind by a renamed or removed case. With `UPDATE_GOLDEN=1` they are deleted, and none is reported.
 */
export function strayGoldens(dir: URL, names: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const stray = readdirSync(dir).filter((f) => f.endsWith('.json') && !names.includes(f.slice(0, -'.json'.length)));
  if (!updatingGoldens) return stray;
  for (const f of stray) rmSync(new URL(f, dir));
  return [];
}

/**
 * The JSON Merge Patch (RFC 7386) that turns `base` into `target`: the members that differ, `null`
 * for a member `target` lacks; objects are compared member by member, anything else (arrays too) is
 * replaced whole. Throws where `target` holds a `null`, which a merge patch reads as a removal.
 */
export function mergePatchOf(base: unknown, target: unknown, at = '$'): unknown {
  if (!isObject(base) || !isObject(target)) {
    if (hasNull(target)) throw new Error(`${at} holds a null, which a merge patch cannot carry`);
    return target;
  }
  const patch: JsonObject = {};
  for (const key of Object.keys(base)) if (!(key in target)) patch[key] = null;
  for (const [key, value] of Object.entries(target)) {
    if (!isDeepStrictEqual(base[key], value)) patch[key] = mergePatchOf(base[key], value, `${at}.${key}`);
  }
  return patch;
}

/** `base` with the JSON Merge Patch (RFC 7386) `patch` applied; `base` itself is left as it was. */
export function applyMergePatch<T>(base: T, patch: unknown): T {
  if (!isObject(patch)) return structuredClone(patch) as T;
  const result: JsonObject = isObject(base) ? structuredClone(base) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result as T;
}

const hasNull = (v: unknown): boolean => v === null || (typeof v === 'object' && Object.values(v as object).some(hasNull));
