import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { UsageError } from './errors.js';
import { globalOptions } from './global-options.js';
import type { OptionSpecs } from './options.js';

/** What the command line asks for. */
export type ParseOutcome =
  | { kind: 'help'; command?: Command }
  | { kind: 'version' }
  | { kind: 'run'; command: Command; values: Record<string, string | boolean | undefined> };

const HELP_HINT = 'run "elasticrtc --help" for the commands and options';

/** Edit distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

const suggest = (word: string, candidates: readonly string[]): string | undefined =>
  candidates.map((c) => ({ c, d: distance(word, c) })).filter((x) => x.d <= Math.max(2, Math.floor(word.length / 3))).sort((x, y) => x.d - y.d)[0]?.c;

function byAlias(specs: OptionSpecs, alias: string): string | undefined {
  return Object.entries(specs).find(([, s]) => s.alias === alias)?.[0];
}

/** Whether the token after `token` is its value (a string option written without `=`). */
function takesValue(token: string, specs: OptionSpecs): boolean {
  if (token.includes('=')) return false;
  const name = token.startsWith('--') ? token.slice(2) : byAlias(specs, token.slice(1));
  return name !== undefined && specs[name]?.type === 'string';
}

/** Finds the command word: the first token that is neither an option nor an option's value. */
function findCommandIndex(args: readonly string[], specs: OptionSpecs): number {
  for (let i = 0; i < args.length; i++) {
    const token = args[i] ?? '';
    if (token === '--') return -1;
    if (token.startsWith('-') && token !== '-') {
      if (takesValue(token, specs)) i++;
      continue;
    }
    return i;
  }
  return -1;
}

function toParseArgsOptions(specs: OptionSpecs) {
  return Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, { type: s.type, multiple: true, ...(s.alias ? { short: s.alias } : {}) }]));
}

/** Options whose values are never repeated in a message. */
const SECRET_OPTION = /(^|-)(secret|password|pass|token|api-key)(-|$)|access-key/;

function translate(error: unknown, command: string, specs: OptionSpecs): UsageError {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? '';
  const option = /'[^']*?(--[\w-]+)/.exec(message)?.[1] ?? /'(-[^' ,]+)/.exec(message)?.[1] ?? '';
  const known = Object.keys(specs);
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const guess = option.startsWith('--') ? suggest(option.slice(2), known) : undefined;
      return new UsageError('UnknownOption', `unknown option ${option} for ${command}`, guess ? `did you mean --${guess}?` : `run "elasticrtc ${command} --help" for its options`);
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing|ambiguous/.test(e.message ?? '')
        ? new UsageError('MissingValue', `${option} needs a value`, `run "elasticrtc ${command} --help" for its options`)
        : new UsageError('UnexpectedValue', `${option} takes no value`, `run "elasticrtc ${command} --help" for its options`);
    default:
      return new UsageError('InvalidUsage', (e.message ?? String(error)).replace(/^./, (c) => c.toLowerCase()), HELP_HINT);
  }
}

/**
 * Parses argv into the command to run and its option values (defaults applied, choices checked).
 * Global options may stand before or after the command. Pure: throws `UsageError` on bad input.
 */
export function parseCommandLine(argv: readonly string[], commands: readonly Command[]): ParseOutcome {
  const union: Record<string, OptionSpecs[string]> = { ...globalOptions };
  for (const c of commands) Object.assign(union, c.options);

  // `--no-<flag>` for negatable booleans; util.parseArgs in Node 20 has no negation of its own.
  const negated = new Set<string>();
  // `--<flag> true|false` for booleans that accept a value (the 2016 syntax): the value given, by name.
  const explicit = new Map<string, boolean>();
  const args: string[] = [];
  const commandNames = new Set(commands.map((c) => c.name));
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') {
      args.push(...argv.slice(i));
      break;
    }
    const m = /^--no-(.+)$/.exec(token);
    const spec = m?.[1] ? union[m[1]] : undefined;
    if (m?.[1] && spec?.type === 'boolean' && spec.negatable) {
      negated.add(m[1]);
      continue;
    }
    const valued = /^--([^=]+)(?:=(.*))?$/.exec(token);
    const option = valued?.[1] ? union[valued[1]] : undefined;
    if (valued?.[1] && option?.type === 'boolean' && option.acceptsValue) {
      const name = valued[1];
      const next = argv[i + 1];
      const raw = valued[2] ?? (next !== undefined && !next.startsWith('-') && !commandNames.has(next) ? next : undefined);
      if (raw === undefined) {
        args.push(token);
        continue;
      }
      if (valued[2] === undefined) i++;
      const value = /^(true|false)$/i.test(raw) ? raw.toLowerCase() === 'true' : undefined;
      if (value === undefined) throw new UsageError('InvalidValue', `--${name} ${raw}: expected true or false (or --${name} alone for true)`);
      const before = explicit.get(name);
      if (before !== undefined && before !== value) throw new UsageError('RepeatedOption', `--${name} is given twice with different values, ${String(before)} and ${String(value)}: give it once`);
      explicit.set(name, value);
      continue;
    }
    // A value that starts with a dash and a digit (`--timeout -5m`, `--min-capacity -1`) is the option's
    // value, so that its own check says what is wrong with it (util.parseArgs calls it ambiguous).
    if (/^--[^=]+$/.test(token) && union[token.slice(2)]?.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) {
      args.push(`${token}=${argv[i + 1] ?? ''}`);
      i++;
      continue;
    }
    args.push(token);
  }

  const index = findCommandIndex(args, union);
  const word = index >= 0 ? args[index] : undefined;
  const wantsHelp = args.some((a) => a === '--help' || a === '-h');
  if (args.some((a) => a === '--tool-version' || a === '-V')) return { kind: 'version' };
  if (word === undefined) {
    if (wantsHelp) return { kind: 'help' };
    throw new UsageError('MissingCommand', `a command is needed: ${commands.map((c) => c.name).join(', ')}`, HELP_HINT);
  }
  const command = commands.find((c) => c.name === word);
  if (!command) {
    const guess = suggest(word, commands.map((c) => c.name));
    throw new UsageError('UnknownCommand', `unknown command: ${word}`, guess ? `did you mean "elasticrtc ${guess}"?` : HELP_HINT);
  }
  if (wantsHelp) return { kind: 'help', command };

  const specs: OptionSpecs = { ...globalOptions, ...command.options };
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: args.filter((_, i) => i !== index), options: toParseArgsOptions(specs), strict: true, allowPositionals: true });
  } catch (error) {
    throw translate(error, command.name, specs);
  }
  const extra = parsed.positionals[0];
  if (extra !== undefined) throw new UsageError('UnexpectedArgument', `unexpected argument for ${command.name}: ${extra}`, `run "elasticrtc ${command.name} --help" for its options`);

  const values: Record<string, string | boolean | undefined> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = parsed.values[name];
    const given = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
    const distinct = [...new Set(given)];
    if (spec.type === 'string' && distinct.length > 1) {
      const shown = SECRET_OPTION.test(name) ? ' (values not shown)' : `, ${distinct.join(' and ')}`;
      throw new UsageError('RepeatedOption', `--${name} is given ${given.length === 2 ? 'twice' : `${given.length} times`} with different values${shown}: give it once`, `run "elasticrtc ${command.name} --help" for its options`);
    }
    const value = given.at(-1);
    const stated = explicit.get(name);
    if (stated !== undefined && (negated.has(name) || (value !== undefined && value !== stated))) {
      throw new UsageError('RepeatedOption', `--${name} is given twice with different values, ${String(stated)} and ${String(!stated)}: give it once`);
    }
    if (negated.has(name)) values[name] = false;
    else if (stated !== undefined) values[name] = stated;
    else values[name] = value ?? spec.default;
    if (spec.type === 'string' && spec.choices && typeof values[name] === 'string' && !spec.choices.includes(values[name])) {
      throw new UsageError('InvalidChoice', `--${name} ${values[name]}: expected one of ${spec.choices.join(', ')}`);
    }
  }
  for (const name of explicit.keys()) {
    if (!(name in specs)) throw new UsageError('UnknownOption', `unknown option --${name} for ${command.name}`, `run "elasticrtc ${command.name} --help" for its options`);
  }
  for (const name of negated) {
    if (!(name in specs)) throw new UsageError('UnknownOption', `unknown option --no-${name} for ${command.name}`, `run "elasticrtc ${command.name} --help" for its options`);
  }
  return { kind: 'run', command, values };
}
