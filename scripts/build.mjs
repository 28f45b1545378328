// Bundles the CLI with esbuild into two CommonJS files:
// - dist/main.cjs: the parser, every command and the template: all `--help` and `--dry-run` need.
//   CommonJS because Node starts a CommonJS program several milliseconds faster than an ES module one.
// - dist/aws.cjs: the AWS SDK facades (src/aws/sdk.ts), loaded on a command's first AWS call.
// - dist/ui.cjs: spinner and prompts (src/cli/terminal-ui.ts), loaded when first shown.
// - dist/tls.cjs: certificate checks and the DTLS certificate (src/tls/lazy.ts, node-forge).
// - dist/node.cjs: the node runtime (`elasticrtc-node`, src/node/), self-contained (hls.js for the cameras page included); never loaded by the CLI.
//   dist/node.cjs.sha256: its SHA-256 (hex), so the CLI names and checks the upload without hashing at start-up.
// yaml stays in node_modules and is loaded only to print or read YAML.
// dist/main.cjs.cache: its V8 code cache (see code-cache.cjs and bin/elasticrtc.js).
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { yamlEsbuild } from './yaml-plugin.js';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });

/** Lazily imported modules that get bundles of their own: dynamic imports of them load those bundles. */
const LAZY = { 'src/aws/sdk.ts': 'aws.cjs', 'src/cli/terminal-ui.ts': 'ui.cjs', 'src/tls/lazy.ts': 'tls.cjs' };
const lazyBundles = {
  name: 'elasticrtc-lazy-bundles',
  setup(b) {
    b.onResolve({ filter: /(sdk|terminal-ui|lazy)\.js$/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const source = relative(process.cwd(), resolve(args.resolveDir, args.path)).replace(/\.js$/, '.ts');
      return LAZY[source] ? { path: `./${LAZY[source]}`, external: true } : undefined;
    });
  },
};

/**
 * The cameras page's hls.js, embedded in the runtime bundle: src/node/apps/cameras/web/hls-script.ts
 * reads it from node_modules when run from source; the bundle gets a module exporting its text.
 */
const embedHlsJs = {
  name: 'elasticrtc-embed-hls-js',
  setup(b) {
    b.onLoad({ filter: /[\\/]apps[\\/]cameras[\\/]web[\\/]hls-script\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const file = /HLS_JS_FILE = '([^']+)'/.exec(source)?.[1];
      if (!file) throw new Error(`${args.path}: HLS_JS_FILE not found`);
      const text = await readFile(createRequire(import.meta.url).resolve(file), 'utf8');
      return { contents: `export const HLS_JS_FILE = ${JSON.stringify(file)};\nconst text = ${JSON.stringify(text)};\nexport function hlsScript() { return text; }\n`, loader: 'js' };
    });
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
    external: ['yaml'],
    // import() becomes require(): main.cjs runs from a vm.Script with a code cache (bin/elasticrtc.js),
    // where a dynamic import() would need an experimental loader option.
    supported: { 'dynamic-import': false },
    // yargs is an ES module that finds itself with import.meta.url, which a CommonJS bundle lacks. It is
    // given its place in this package, so that it looks for a package.json here, not up from the
    // working directory (listing each folder on the way: ~7 ms from /tmp).
    define: { ...common.define, 'import.meta.url': '__elasticrtc_import_meta_url' },
    banner: { js: 'var __elasticrtc_import_meta_url = require("node:url").pathToFileURL(require("node:path").join(__dirname, "..", "node_modules", "yargs", "index.mjs")).href;' },
    // yargs' help layout measures every cell; src/cli/string-width.ts says why it replaces the package here.
    alias: { 'string-width': './src/cli/string-width.ts' },
    plugins: [yamlEsbuild, lazyBundles],
  }),
  ...Object.entries(LAZY).map(([entry, out]) => build({ ...common, entryPoints: [entry], outfile: `dist/${out}` })),
  // The node runtime: one self-contained file (every dependency inside), the artifact a node downloads.
  build({ ...common, entryPoints: ['src/node/index.ts'], outfile: 'dist/node.cjs', plugins: [embedHlsJs] }),
]);
await writeFile(new URL('../dist/package.json', import.meta.url), '{ "type": "commonjs" }\n');
const runtime = await readFile(new URL('../dist/node.cjs', import.meta.url));
await writeFile(new URL('../dist/node.cjs.sha256', import.meta.url), `${createHash('sha256').update(runtime).digest('hex')}\n`);

// The V8 code cache of main.cjs, compiled after running `--help` and a dry run, so a start-up skips
// most compilation. A Node whose V8 rejects it simply compiles as usual.
const { writeCodeCache } = await import('./code-cache.cjs');
await writeCodeCache(new URL('../dist/main.cjs', import.meta.url).pathname);
