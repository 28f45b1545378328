/**
 * Reading AWS query-protocol form fields: `Prefix.N` scalar lists and `Prefix.N.Field` structure lists.
 */
export type Form = Record<string, string>;

/** Decodes an `application/x-www-form-urlencoded` body (and/or a URL query string). */
export function parseForm(...sources: string[]): Form {
  const form: Form = {};
  for (const source of sources) {
    for (const [k, v] of new URLSearchParams(source)) form[k] = v;
  }
  return form;
}

function indexesOf(form: Form, prefix: string): number[] {
  const found = new Set<number>();
  const head = `${prefix}.`;
  for (const key of Object.keys(form)) {
    if (!key.startsWith(head)) continue;
    const n = Number(key.slice(head.length).split('.')[0]);
    if (Number.isInteger(n) && n > 0) found.add(n);
  }
  return [...found].sort((a, b) => a - b);
}

/** `Prefix.1`, `Prefix.2`, … in index order. */
export function scalarList(form: Form, prefix: string): string[] {
  return indexesOf(form, prefix).flatMap((n) => {
    const v = form[`${prefix}.${n}`];
    return v === undefined ? [] : [v];
  });
}

/** `Prefix.N.Field…` as one sub-form per N, with `Prefix.N.` stripped from the keys. */
export function structList(form: Form, prefix: string): Form[] {
  return indexesOf(form, prefix).map((n) => {
    const head = `${prefix}.${n}.`;
    const sub: Form = {};
    for (const [k, v] of Object.entries(form)) if (k.startsWith(head)) sub[k.slice(head.length)] = v;
    return sub;
  });
}

/** `Tags.member.N.Key/Value` (or another prefix) as a record. */
export function keyValues(form: Form, prefix: string, key = 'Key', value = 'Value'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of structList(form, prefix)) {
    const k = m[key];
    if (k !== undefined) out[k] = m[value] ?? '';
  }
  return out;
}

/** Opaque pagination token around a number. */
export function encodeToken(n: number): string {
  return Buffer.from(`fake:${n}`).toString('base64');
}

/** Reads a token made by {@link encodeToken}; `undefined` when it is not one. */
export function decodeToken(token: string): number | undefined {
  const text = Buffer.from(token, 'base64').toString('utf8');
  if (!text.startsWith('fake:')) return undefined;
  const n = Number(text.slice(5));
  return Number.isInteger(n) ? n : undefined;
}
