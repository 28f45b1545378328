// Bundles the CLI with esbuild: one small entry chunk for parsing and help, and separate chunks for
// everything a command loads lazily (the AWS SDK clients), so `--help` and `--dry-run` start fast.
import { readFile, rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { yamlEsbuild } from './yaml-plugin.js';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { main: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { __ELASTICRTC_VERSION__: JSON.stringify(pkg.version) },
  // Some bundled CommonJS dependencies call require() for Node built-ins.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [yamlEsbuild],
  // Lighter stand-ins for two terminal-width helpers whose Unicode tables dominate start-up time.
  alias: { 'string-width': './scripts/shims/string-width.js', 'strip-ansi': './scripts/shims/strip-ansi.js' },
  logLevel: 'warning',
});
