import type { OptionSpecs, OptionValues } from './options.js';

/** Options every command takes. */
export const globalOptions = {
  region: { type: 'string', alias: 'r', placeholder: 'region', describe: 'AWS region (else AWS_REGION, AWS_DEFAULT_REGION or the profile region)' },
  profile: { type: 'string', placeholder: 'name', describe: 'named AWS profile (else AWS_PROFILE or the default chain)' },
  'aws-access-key-id': { type: 'string', placeholder: 'key', describe: 'AWS access key id (needs --aws-secret-access-key)' },
  'aws-secret-access-key': { type: 'string', placeholder: 'secret', describe: 'AWS secret access key' },
  'aws-session-token': { type: 'string', placeholder: 'token', describe: 'AWS session token, for temporary credentials' },
  output: { type: 'string', alias: 'o', placeholder: 'format', choices: ['text', 'json', 'yaml'], describe: 'output format on stdout: text, json or yaml' },
  json: { type: 'boolean', alias: 'j', describe: 'same as --output json' },
  'non-interactive': { type: 'boolean', describe: 'never prompt (implied without a terminal or when CI is set)' },
  color: { type: 'boolean', default: true, negatable: true, describe: 'colour on stderr (--no-color, or NO_COLOR, turns it off)' },
  debug: { type: 'boolean', describe: 'log AWS calls and stack traces on stderr (secrets scrubbed)' },
  'tool-version': { type: 'boolean', alias: 'V', describe: 'print the version of elasticrtc itself' },
  help: { type: 'boolean', alias: 'h', describe: 'show help' },
} as const satisfies OptionSpecs;

export type OutputFormat = 'text' | 'json' | 'yaml';

/** The global options after parsing, inferred from their definitions. */
export type GlobalOptions = OptionValues<typeof globalOptions>;

/** The output format: `-o`, else `-j`/`--json`, else text. */
export function outputFormat(o: Pick<GlobalOptions, 'output' | 'json'>): OutputFormat {
  const chosen: string | undefined = o.output;
  if (chosen === 'text' || chosen === 'json' || chosen === 'yaml') return chosen;
  return o.json ? 'json' : 'text';
}

/**
 * Reads the output format straight from argv, for errors raised while parsing, so a `-o json` caller
 * still gets its JSON error object.
 */
export function sniffOutputFormat(argv: readonly string[]): OutputFormat {
  let format: OutputFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--') break;
    if (a === '-j' || a === '--json') format = 'json';
    const m = /^(?:-o|--output)(?:=(.*))?$/.exec(a);
    if (m) {
      const v = m[1] ?? argv[i + 1];
      if (v === 'json' || v === 'yaml' || v === 'text') format = v;
    }
  }
  return format;
}
