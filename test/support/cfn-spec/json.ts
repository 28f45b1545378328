/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/** Whether `value` is a JSON object. */
export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `path.key`, or `key` at the root. */
export const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

/** `path[index]`. */
export const item = (path: string, index: number): string => `${path}[${index}]`;

/** The entries of an object section, or none when the section is missing or not an object. */
export const entries = (value: unknown): [string, unknown][] => (isObject(value) ? Object.entries(value) : []);

/** A short name for the JSON kind of `value`, for messages. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
