import type * as Yaml from 'yaml';

type YamlModule = typeof Yaml;

/**
 * Loads the YAML library on demand (only commands that print or read YAML pay for it). The bundler
 * wraps this CommonJS package, so its functions may sit on the default export.
 */
export async function loadYaml(): Promise<YamlModule> {
  const mod = (await import('yaml')) as YamlModule & { default?: YamlModule };
  return typeof mod.stringify === 'function' ? mod : (mod.default ?? mod);
}

/** A YAML document for stdout. */
export async function toYaml(data: unknown): Promise<string> {
  return (await loadYaml()).stringify(data, { lineWidth: 0, aliasDuplicateObjects: false });
}
