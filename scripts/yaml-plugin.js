// Lets source code `import template from '../../templates/cluster.yaml'`: the YAML is parsed at build
// time and bundled as a plain object, so the CLI never pays for a YAML parser to read its template.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

const toModule = (text) => `export default ${JSON.stringify(parse(text))};`;

/** Vite (vitest) plugin. */
export function yamlTemplates() {
  return {
    name: 'elasticrtc-yaml',
    async transform(code, id) {
      if (!id.endsWith('.yaml')) return null;
      return { code: toModule(code), map: null };
    },
  };
}

/** esbuild plugin. */
export const yamlEsbuild = {
  name: 'elasticrtc-yaml',
  setup(build) {
    build.onLoad({ filter: /\.yaml$/ }, async (args) => ({
      contents: toModule(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};
