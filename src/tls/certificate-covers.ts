const normalise = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');

/**
 * True when one of the certificate's DNS `names` covers `host`, case-insensitively. A wildcard
 * `*.d` covers exactly one extra label: `a.d`, but neither `d` nor `a.b.d`.
 */
export function certificateCovers(names: readonly string[], host: string): boolean {
  const h = normalise(host);
  if (h === '') return false;
  const dot = h.indexOf('.');
  return names.some((raw) => {
    const name = normalise(raw);
    if (!name.startsWith('*.')) return name === h;
    return dot > 0 && h.slice(dot + 1) === name.slice(2);
  });
}
