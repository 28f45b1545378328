import type { InferredOptionTypes, Options } from 'yargs';

/** Options every command takes. Types are inferred from these definitions; help text comes from them too. */
export const globalOptions = {
  region: { alias: 'r', type: 'string', describe: 'AWS region (else AWS_REGION, AWS_DEFAULT_REGION or the profile region)', global: true },
  profile: { type: 'string', describe: 'named AWS profile (else AWS_PROFILE or the default chain)', global: true },
  'aws-access-key-id': { type: 'string', describe: 'AWS access key id (needs --aws-secret-access-key)', global: true },
  'aws-secret-access-key': { type: 'string', describe: 'AWS secret access key', global: true },
  'aws-session-token': { type: 'string', describe: 'AWS session token, for temporary credentials', global: true },
  output: { alias: 'o', choices: ['text', 'json', 'yaml'] as const, describe: 'output format on stdout', global: true },
  json: { alias: 'j', type: 'boolean', describe: 'same as --output json', global: true },
  'non-interactive': { type: 'boolean', describe: 'never prompt (implied without a terminal or when CI is set)', global: true },
  color: { type: 'boolean', default: true, describe: 'colour on stderr (--no-color, or NO_COLOR, turns it off)', global: true },
  debug: { type: 'boolean', describe: 'log AWS calls and stack traces on stderr (secrets scrubbed)', global: true },
  'tool-version': { alias: 'V', type: 'boolean', describe: 'print the version of elasticrtc itself', global: true },
} as const satisfies Record<string, Options>;

export type OutputFormat = 'text' | 'json' | 'yaml';

/** The global options after parsing, inferred from their definitions. */
export type GlobalOptions = InferredOptionTypes<typeof globalOptions>;

/** The output format: `-o`, else `-j`/`--json`, else text. */
export function outputFormat(o: GlobalOptions): OutputFormat {
  const chosen: string | undefined = o.output;
  if (chosen === 'text' || chosen === 'json' || chosen === 'yaml') return chosen;
  return o.json ? 'json' : 'text'; // an invalid --output is reported by the parser, in text
}

/**
 * Reads the output format straight from argv, for errors raised before or while yargs parses, so a
 * `-o json` caller still gets its JSON error object.
 */
export function sniffOutputFormat(argv: readonly string[]): OutputFormat {
  let format: OutputFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-j' || a === '--json') format = 'json';
    const m = /^(?:-o|--output)(?:=(.*))?$/.exec(a);
    if (m) {
      const v = m[1] ?? argv[i + 1];
      if (v === 'json' || v === 'yaml' || v === 'text') format = v;
    }
  }
  return format;
}
