import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { yamlTemplates } from './scripts/yaml-plugin.js';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [yamlTemplates()],
  define: { __ELASTICRTC_VERSION__: JSON.stringify(pkg.version) },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Tests run on Node 20 with the SDK in process: its notice about its future Node.js support is noise.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
