import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The CLI side never loads the node runtime (its start-up budget). */
/** The verbs (src/commands/<verb>/); commands/shared holds their option declarations. */
const VERBS = ['completion', 'create', 'delete', 'iam-policy', 'list', 'show', 'update', 'version'];

const NO_RUNTIME = { group: ['**/node/**'], message: 'the CLI never loads the node runtime (its start-up budget)' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // Side effects enter through the context: only bin/ and the context factory touch the process.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/process-context.ts', 'src/node/process-context.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'process', message: 'use the CliContext' }],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'use ctx.clock' }],
    },
  },
  {
    // The layers of architecture.md: pure domain code, AWS facades below the CLI, the node runtime apart.
    files: ['src/cluster/**/*.ts', 'src/tls/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        // Types of AWS data shapes are fine: nothing of aws/ runs.
        { group: ['**/aws/**', '**/cli/**', '**/commands/**', '**/deploy/**', '**/node/**'], message: 'cluster/ and tls/ are pure: no AWS, CLI or runtime', allowTypeImports: true },
        { group: ['node:fs', 'node:fs/*'], message: 'cluster/ and tls/ are pure: files are read by commands' },
      ] }],
    },
  },
  {
    files: ['src/aws/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/**', '**/commands/**', '**/node/**'], message: 'aws/ never imports cli/, commands/ or node/' }] }] },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [{ group: ['**/cli/**', '**/commands/**', '**/deploy/**'], message: 'the node runtime never imports the CLI side' }] }] },
  },
  {
    files: ['src/cli/**/*.ts', 'src/main.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_RUNTIME] }] },
  },
  {
    files: ['src/deploy/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_RUNTIME, { group: ['**/commands/**'], message: 'deploy/ holds the steps verbs share; it never imports a verb' }] }] },
  },
  {
    files: ['src/commands/**/*.ts'],
    // A verb imports only its own folder: shared steps live in deploy/ or cluster/.
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [NO_RUNTIME, { group: VERBS.map((v) => `../${v}/*`), message: 'verbs never import each other: shared steps live in deploy/ or cluster/' }] }] },
  },
  {
    files: ['bin/**/*.{js,cjs}', 'scripts/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', exports: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}', 'bench/**/*.{ts,mjs}', 'test/**/*.ts', '*.config.ts'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: { 'no-console': 'off', '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
