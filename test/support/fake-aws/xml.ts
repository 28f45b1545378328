/**
 * A tiny XML writer for the AWS query protocols: objects become elements, arrays become wrapped
 * lists (`<member>` for the query protocol, `<item>` for EC2), `undefined` and `null` are left out.
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

/** Serializes one element named `name`; `itemTag` names the elements of lists. */
export function toXml(name: string, value: XmlValue, itemTag: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((v) => toXml(itemTag, v, itemTag)).join('')}</${name}>`;
  }
  if (typeof value === 'object') return `<${name}>${children(value, itemTag)}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** Serializes every property of `value` as a sibling element. */
export function children(value: XmlObject, itemTag: string): string {
  return Object.entries(value)
    .map(([k, v]) => toXml(k, v, itemTag))
    .join('');
}

/** ISO 8601 with milliseconds, as AWS writes timestamps. */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
