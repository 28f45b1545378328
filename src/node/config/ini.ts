/**
 * Kurento module configuration (`<Module>.conf.ini`), as KMS reads it: boost's INI parser loads the
 * file as the module's subtree, so keys stand at the top, without a `[section]` header (a header
 * would nest every key one level deeper, where KMS never looks).
 */
export type IniValues = Readonly<Record<string, string | number | boolean>>;

const KEY = /^[A-Za-z][A-Za-z0-9]*$/;

/** `key=value` lines; keys are plain identifiers and values single-line, as boost's INI parser needs. */
export function iniText(values: IniValues): string {
  return `${Object.entries(values)
    .map(([k, v]) => {
      const text = String(v);
      if (!KEY.test(k)) throw new Error(`INI key ${k} is not an identifier`);
      if (/[\r\n]/.test(text) || text !== text.trim()) throw new Error(`INI value of ${k} is not a single trimmed line`);
      return `${k}=${text}`;
    })
    .join('\n')}\n`;
}
