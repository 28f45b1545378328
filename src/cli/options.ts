/**
 * Option definitions: each option is declared once, its TypeScript type is inferred from the
 * declaration, and help text is rendered from it. Parsing is Node's own `util.parseArgs`.
 */
export interface StringOption {
  readonly type: 'string';
  readonly describe: string;
  readonly alias?: string;
  readonly default?: string;
  readonly choices?: readonly string[];
  /** Shown in help: `--stack-name <name>`. */
  readonly placeholder?: string;
}

export interface BooleanOption {
  readonly type: 'boolean';
  readonly describe: string;
  readonly alias?: string;
  readonly default?: boolean;
  /** Also accepts `--no-<name>` (sets false). */
  readonly negatable?: boolean;
  /** Also accepts an explicit value, `--<name> true|false` or `--<name>=true|false` (the 2016 syntax). */
  readonly acceptsValue?: boolean;
}

export type OptionSpec = StringOption | BooleanOption;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<O extends OptionSpec> = O extends { type: 'boolean' }
  ? O extends { default: boolean }
    ? boolean
    : boolean | undefined
  : O extends { choices: readonly (infer C)[] }
    ? O extends { default: string }
      ? C
      : C | undefined
    : O extends { default: string }
      ? string
      : string | undefined;

/** The parsed values of a set of options, keyed by long name. */
export type OptionValues<S extends OptionSpecs> = { -readonly [K in keyof S]: ValueOf<S[K]> };
