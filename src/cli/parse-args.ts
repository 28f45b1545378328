import yargs, { type Argv, type Options } from 'yargs';
import { suggest } from '../cluster/suggest.js';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { globalOptions } from './global-options.js';
import type { OptionSpec, OptionSpecs } from './options.js';

/** What the command line asks for. */
export type ParseOutcome =
  | { kind: 'text'; text: string } // help, or completion answers
  | { kind: 'version' }
  | { kind: 'run'; command: Command; values: Record<string, string | boolean | undefined> };

const HELP_HINT = 'run "elasticrtc --help" for the commands and options';
const commandHint = (command: string) => `run "elasticrtc ${command} --help" for its options`;

/** Options whose values are never repeated in a message. */
const SECRET_OPTION = /(^|-)(secret|password|pass|token|api-key)(-|$)|access-key/;

function byAlias(specs: OptionSpecs, alias: string): string | undefined {
  return Object.entries(specs).find(([, s]) => s.alias === alias)?.[0];
}

/** The long name of an option token (`--name`, `--name=v`, `--no-name`, `-n`), if it is one. */
function optionName(token: string, specs: OptionSpecs): string | undefined {
  if (token.startsWith('--')) return token.slice(2).split('=', 1)[0];
  if (/^-[A-Za-z]$/.test(token)) return byAlias(specs, token.slice(1));
  return undefined;
}

/** Finds the command word: the first token that is neither an option nor an option's value. */
function findCommandIndex(args: readonly string[], specs: OptionSpecs): number {
  for (let i = 0; i < args.length; i++) {
    const token = args[i] ?? '';
    if (token === '--') return -1;
    if (token.startsWith('-') && token !== '-') {
      const name = token.includes('=') ? undefined : optionName(token, specs);
      if (name !== undefined && specs[name]?.type === 'string') i++;
      continue;
    }
    return i;
  }
  return -1;
}

/**
 * Rewrites what yargs would read otherwise than a user means: a value that starts with a dash and a digit
 * (`--timeout -5m`) stays the option's value, so its own check says what is wrong with it; the 2016
 * `--elasticsearch-ssl true|false` (any case) becomes `--elasticsearch-ssl=true|false`, and another word
 * after it is an error naming it; `--no-<name>` exists only for the switches that declare it.
 */
function normalise(argv: readonly string[], union: OptionSpecs, commandNames: ReadonlySet<string>): string[] {
  const args: string[] = [];
  // Switches that also take true|false: yargs keeps only the last, so a contradiction is caught here.
  const stated = new Map<string, boolean>();
  const state = (name: string, value: boolean) => {
    const before = stated.get(name);
    if (before !== undefined && before !== value) throw new UsageError('RepeatedOption', `--${name} is given twice with different values, ${String(before)} and ${String(value)}: give it once`);
    stated.set(name, value);
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const negated = /^--no-(.+)$/.exec(token)?.[1];
    if (negated !== undefined && union[token.slice(2)] === undefined) {
      const spec = union[negated];
      if (spec && !(spec.type === 'boolean' && spec.negatable)) throw new UsageError('UnknownOption', `unknown option ${token}`, HELP_HINT);
    }
    const valued = /^--([^=]+)(?:=(.*))?$/.exec(token);
    const spec: OptionSpec | undefined = valued?.[1] ? union[valued[1]] : undefined;
    if (valued?.[1] && spec?.type === 'boolean' && spec.acceptsValue) {
      const next = argv[i + 1];
      const raw = valued[2] ?? (next !== undefined && !next.startsWith('-') && !commandNames.has(next) ? next : undefined);
      if (raw === undefined) {
        state(valued[1], true);
        args.push(token);
        continue;
      }
      if (valued[2] === undefined) i++;
      if (!/^(true|false)$/i.test(raw)) throw new UsageError('InvalidValue', `--${valued[1]} ${raw}: expected true or false (or --${valued[1]} alone for true)`);
      state(valued[1], raw.toLowerCase() === 'true');
      args.push(`--${valued[1]}=${raw.toLowerCase()}`);
      continue;
    }
    const named = valued?.[2] === undefined ? optionName(token, union) : undefined;
    const next = argv[i + 1];
    if (named !== undefined && union[named]?.type === 'string' && (next === undefined || next === '--' || (next.startsWith('-') && !/^-\d/.test(next)))) {
      throw new UsageError('MissingValue', `--${named} needs a value`, HELP_HINT);
    }
    if (valued?.[1] && valued[2] === undefined && spec?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) {
      args.push(`${token}=${argv[i + 1] ?? ''}`);
      i++;
      continue;
    }
    args.push(token);
  }
  return args;
}

/** A yargs option from a declaration. Defaults stay out of yargs (a value not given must read as not given). */
function yargsOption(spec: OptionSpec): Options {
  return {
    type: spec.type,
    describe: spec.type === 'string' ? `<${spec.placeholder ?? 'value'}> ${spec.describe}` : spec.describe,
    ...(spec.alias ? { alias: spec.alias } : {}),
    ...(spec.type === 'string' && spec.choices ? { choices: [...spec.choices] } : {}),
  };
}

/** Translates a yargs validation message into the tool's usage error. */
function translate(message: string, command: Command | undefined, specs: OptionSpecs, args: readonly string[]): UsageError {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message)?.[1];
  const where = command?.name ?? 'elasticrtc';
  const hint = command ? commandHint(command.name) : HELP_HINT;
  if (unknown !== undefined) {
    const first = unknown.split(', ')[0] ?? unknown;
    const refused = command?.refuses?.[first];
    if (refused) return new UsageError('FixedSetting', refused.message, refused.hint);
    const asOption = args.find((a) => optionName(a, specs) === first || a === `--${first}` || a === `--no-${first}` || a.startsWith(`--${first}=`) || a === `-${first}`);
    if (asOption === undefined && command) return new UsageError('UnexpectedArgument', `unexpected argument for ${command.name}: ${first}`, hint);
    const shown = asOption === `--no-${first}` ? asOption : first.length === 1 ? `-${first}` : `--${first}`;
    const guess = first.length > 1 ? suggest(first, Object.keys(specs)) : undefined;
    return new UsageError('UnknownOption', `unknown option ${shown} for ${where}`, guess ? `did you mean --${guess}?` : hint);
  }
  const invalid = /Argument: ([\w-]+), Given: "([^"]*)", Choices: (.+)$/m.exec(message);
  if (invalid) return new UsageError('InvalidChoice', `--${invalid[1] ?? ''} ${invalid[2] ?? ''}: expected one of ${(invalid[3] ?? '').replaceAll('"', '')}`);
  return new UsageError('InvalidUsage', message.replace(/^./, (c) => c.toLowerCase()), hint);
}

/** The values yargs parsed, checked: one value per flag, of the flag's kind. */
function collect(parsed: Record<string, unknown>, specs: OptionSpecs, command: string): Record<string, string | boolean | undefined> {
  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = parsed[name];
    const given = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as (string | boolean | number)[];
    const distinct = [...new Set(given.map((v) => (typeof v === 'number' ? String(v) : v)))];
    if (distinct.length > 1) {
      const shown = SECRET_OPTION.test(name) ? ' (values not shown)' : `, ${distinct.map(String).join(' and ')}`;
      throw new UsageError('RepeatedOption', `--${name} is given ${given.length === 2 ? 'twice' : `${given.length} times`} with different values${shown}: give it once`, commandHint(command));
    }
    const value = distinct[0];
    if (spec.type === 'string' && typeof value === 'boolean') throw new UsageError('UnknownOption', `unknown option --no-${name} for ${command}`, commandHint(command));
    if (spec.type === 'boolean' && typeof value === 'string') throw new UsageError('UnexpectedValue', `--${name} takes no value`, commandHint(command));
    values[name] = value ?? spec.default;
  }
  return values;
}

/** Only `--name` for a switch: `--dry-run=yes` is refused (yargs would read it as false). */
function checkSwitches(args: readonly string[], specs: OptionSpecs, command: string): void {
  for (const a of args) {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    const spec = m?.[1] ? specs[m[1]] : undefined;
    if (m && spec?.type === 'boolean' && !spec.acceptsValue) throw new UsageError('UnexpectedValue', `--${m[1]} takes no value`, commandHint(command));
  }
}

function declare(y: Argv, specs: OptionSpecs, group: string, positional?: string): Argv {
  const names = Object.keys(specs).filter((n) => n !== positional);
  for (const name of names) y.option(name, yargsOption(specs[name] as OptionSpec));
  const spec = positional === undefined ? undefined : specs[positional];
  if (positional !== undefined && spec?.type === 'string') {
    y.positional(positional, { type: 'string', describe: spec.describe, ...(spec.choices ? { choices: [...spec.choices] } : {}) });
  }
  return names.length > 0 ? y.group(names, group) : y;
}

/** A strict yargs of the tool's settings: errors thrown, never printed, and nothing exits the process. */
function strictYargs(): Argv {
  return yargs()
    .parserConfiguration({ 'camel-case-expansion': false, 'duplicate-arguments-array': true, 'strip-aliased': true })
    .strict()
    .exitProcess(false)
    .version(false)
    .locale('en')
    .fail((message: string, error: Error | undefined) => {
      throw error ?? new Error(message);
    });
}

const GLOBALS = Object.fromEntries(Object.entries(globalOptions).filter(([n]) => n !== 'help'));

/**
 * The options of the command to run: its own and the global ones, the command word taken out. Running
 * a command through yargs' command tree would render its whole help on every run (to have it ready for
 * an error), a third of the start-up budget.
 */
function optionParser(command: Command): Argv {
  const y = strictYargs().help(false);
  declare(y, GLOBALS, 'Global options:');
  declare(y, command.options, 'Options:', command.positional);
  return command.positional === undefined ? y : y.command(`$0 [${command.positional}]`, command.describe);
}

/** The whole command line declared to yargs, for help and completion answers. */
function parser(commands: readonly Command[], width: number): Argv {
  const y = (strictYargs() as Argv & { usageConfiguration(c: { 'hide-types': boolean }): Argv })
    .usageConfiguration({ 'hide-types': true })
    .scriptName('elasticrtc')
    .usage('Usage: elasticrtc <command> [options]\n\nDeploy and operate Kurento Media Server clusters on AWS.')
    .help('help', 'show help')
    .alias('help', 'h')
    .wrap(width)
    .epilog('Run "elasticrtc <command> --help" for the options of a command. Exit codes and JSON output: docs/.');
  declare(y, GLOBALS, 'Global options:');
  y.group(['help'], 'Global options:');
  for (const c of commands) {
    y.command(
      c.positional === undefined ? c.name : `${c.name} [${c.positional}]`,
      c.describe,
      (b: Argv) => {
        b.usage(`Usage: elasticrtc ${c.name}${c.positional === undefined ? '' : ` [${c.positional}]`} [options]\n\n${c.describe}`);
        declare(b, c.options, 'Options:', c.positional);
        for (const [example, meaning] of c.examples) b.example(example, meaning);
        return b;
      },
    );
  }
  return y;
}

/**
 * Parses argv into the command to run and its option values (defaults applied, choices checked), or the
 * text to print (help, completion answers). Global options may stand before or after the command.
 * Pure: throws `UsageError` on bad input.
 */
export function parseCommandLine(argv: readonly string[], commands: readonly Command[], width = 80): ParseOutcome {
  const union: Record<string, OptionSpec> = { ...globalOptions };
  for (const c of commands) Object.assign(union, c.options);
  const commandNames = new Set(commands.map((c) => c.name));
  const completing = argv[0] === '--get-yargs-completions';
  const args = completing ? [...argv] : normalise(argv, union, commandNames);

  const end = args.indexOf('--');
  const before = end < 0 ? args : args.slice(0, end);
  if (!completing && before.some((a) => a === '--tool-version' || a === '-V')) return { kind: 'version' };
  const wantsHelp = before.some((a) => a === '--help' || a === '-h');
  const index = findCommandIndex(args, union);
  const word = index >= 0 ? args[index] : undefined;
  const command = commands.find((c) => c.name === word);
  if (!completing) {
    if (word === undefined && !wantsHelp) throw new UsageError('MissingCommand', `a command is needed: ${commands.map((c) => c.name).join(', ')}`, HELP_HINT);
    if (word !== undefined && !command) {
      const guess = suggest(word, [...commandNames]);
      throw new UsageError('UnknownCommand', `unknown command: ${word}`, guess ? `did you mean "elasticrtc ${guess}"?` : HELP_HINT);
    }
  }
  const specs: OptionSpecs = { ...globalOptions, ...(command?.options ?? {}) };
  if (command && !wantsHelp) checkSwitches(args, specs, command.name);

  try {
    if (command && !completing && !wantsHelp) {
      const parsed = optionParser(command).parse(args.filter((_, i) => i !== index)) as Record<string, unknown>;
      return { kind: 'run', command, values: collect(parsed, specs, command.name) };
    }
    let text = '';
    parser(commands, Math.min(Math.max(width, 60), 110)).parse(args, {}, (_error, _argv, output) => {
      if (output) text = output;
    });
    // Completion answers name each option once, by its long name (yargs also offers `--n` for `-n`).
    if (completing) text = text.split('\n').filter((l) => !/^--[A-Za-z](:|$)/.test(l)).join('\n');
    return { kind: 'text', text: text.endsWith('\n') ? text : `${text}\n` };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw translate((error as Error).message, command, specs, args);
  }
}
