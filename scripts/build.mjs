// Bundles the CLI with esbuild into two CommonJS files:
// - dist/main.cjs: the parser, every command and the template: all `--help` and `--dry-run` need.
//   CommonJS because Node starts a CommonJS program several milliseconds faster than an ES module one.
// - dist/aws.cjs: the AWS SDK facades (src/aws/sdk.ts), loaded on a command's first AWS call.
// ora, @inquirer/prompts and yaml stay in node_modules and are loaded only when used.
// dist/main.cjs.cache: its V8 code cache (see code-cache.cjs and bin/elasticrtc.js).
import { readFile, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { yamlEsbuild } from './yaml-plugin.js';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });

/** Imports of src/aws/sdk.ts from the main bundle become a lazy load of dist/aws.cjs. */
const lazySdk = {
  name: 'elasticrtc-lazy-sdk',
  setup(b) {
    b.onResolve({ filter: /(^|\/)sdk\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && /src\/(aws|cli)$/.test(args.resolveDir) ? { path: './aws.cjs', external: true } : undefined,
    );
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { __ELASTICRTC_VERSION__: JSON.stringify(pkg.version) },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.cjs',
    external: ['ora', '@inquirer/prompts', 'yaml'],
    // import() becomes require(): main.cjs runs from a vm.Script with a code cache (bin/elasticrtc.js),
    // where a dynamic import() would need an experimental loader option.
    supported: { 'dynamic-import': false },
    plugins: [yamlEsbuild, lazySdk],
  }),
  build({ ...common, entryPoints: ['src/aws/sdk.ts'], outfile: 'dist/aws.cjs' }),
]);
await writeFile(new URL('../dist/package.json', import.meta.url), '{ "type": "commonjs" }\n');

// The V8 code cache of main.cjs, compiled after running `--help` and a dry run, so a start-up skips
// most compilation. A Node whose V8 rejects it simply compiles as usual.
const { writeCodeCache } = await import('./code-cache.cjs');
await writeCodeCache(new URL('../dist/main.cjs', import.meta.url).pathname);
