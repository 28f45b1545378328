/**
 * A tiny reader for the XML bodies REST-XML requests carry (S3 bucket configurations): elements by
 * local name, namespaces and attributes ignored. Enough for the SDK's documents, not a parser.
 */
import { AwsError } from './errors.js';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five entities and numeric character references. */
export function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITIES[ref] ?? whole;
  });
}

/** The inner XML of every `<name>` element (any prefix), in document order; nested ones of the same name are not supported. */
export function elements(xml: string, name: string): string[] {
  const re = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>)`, 'g');
  return [...xml.matchAll(re)].map((m) => m[1] ?? '');
}

/** The text of the first `<name>` element, decoded and trimmed; `undefined` when there is none. */
export function text(xml: string, name: string): string | undefined {
  const inner = elements(xml, name)[0];
  return inner === undefined ? undefined : unescapeXml(inner.trim());
}

/** S3's answer to a body it cannot read. */
export function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

/** The body as XML whose root element is `root`, else `MalformedXML`. */
export function document(body: Buffer, root: string): string {
  const xml = body.toString('utf8');
  if (!elements(xml, root).length) throw malformedXml();
  return xml;
}

/** A `true` / `false` element; `undefined` when absent, `MalformedXML` for anything else. */
export function bool(xml: string, name: string): boolean | undefined {
  const value = text(xml, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw malformedXml();
  return value === 'true';
}
