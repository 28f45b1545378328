/**
 * A tiny XML writer for the AWS XML protocols: objects become elements, arrays become wrapped
 * lists (`<member>` for the query protocol, `<item>` for EC2, per-list names for REST-XML),
 * `undefined` and `null` are left out.
 */
export type XmlValue = string | number | boolean | undefined | null | XmlValue[] | XmlObject;
/** An element's children by name. */
export interface XmlObject {
  [name: string]: XmlValue;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content or attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** How list elements are named: one tag for every list, or a tag per list name (default `member`). */
export type ItemTag = string | Record<string, string>;

/** Serializes one element named `name`; `itemTag` names the elements of lists. */
export function toXml(name: string, value: XmlValue, itemTag: ItemTag): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const tag = typeof itemTag === 'string' ? itemTag : (itemTag[name] ?? 'member');
    return `<${name}>${value.map((v) => toXml(tag, v, itemTag)).join('')}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}>${children(value, itemTag)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Serializes every property of `value` as a sibling element. */
export function children(value: XmlObject, itemTag: ItemTag): string {
  return Object.entries(value)
    .map(([k, v]) => toXml(k, v, itemTag))
    .join('');
}

/** ISO 8601 with milliseconds, as AWS writes timestamps. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
