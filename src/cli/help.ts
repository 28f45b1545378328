import type { Command } from './command.js';
import { globalOptions } from './global-options.js';
import type { OptionSpecs } from './options.js';

/** Wraps `text` to `width` columns, indenting continuation lines by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const room = Math.max(20, width - indent);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function optionRows(specs: OptionSpecs): [string, string][] {
  return Object.entries(specs).map(([name, s]) => {
    const short = s.alias ? `-${s.alias}, ` : '    ';
    const long = s.type === 'boolean' && s.negatable ? `--[no-]${name}` : `--${name}`;
    const value = s.type === 'string' ? ` <${s.placeholder ?? 'value'}>` : '';
    const fallback = s.default !== undefined && !(s.type === 'boolean' && s.default === false) ? ` [default: ${String(s.default)}]` : '';
    return [`  ${short}${long}${value}`, `${s.describe}${fallback}`];
  });
}

function table(rows: [string, string][], width: number): string {
  const left = Math.min(Math.max(...rows.map(([l]) => l.length)) + 2, 40);
  return rows
    .map(([l, r]) => (l.length + 2 > left ? `${l}\n${' '.repeat(left)}${wrap(r, width, left)}` : `${l.padEnd(left)}${wrap(r, width, left)}`))
    .join('\n');
}

/** Help for the tool, or for one command, rendered from the same definitions the parser uses. */
export function renderHelp(commands: readonly Command[], command: Command | undefined, width: number): string {
  const w = Math.min(Math.max(width, 60), 110);
  if (!command) {
    return [
      'Usage: elasticrtc <command> [options]',
      '',
      'Deploy and operate Kurento Media Server clusters on AWS.',
      '',
      'Commands:',
      table(commands.map((c) => [`  ${c.name}`, c.describe]), w),
      '',
      'Global options:',
      table(optionRows(globalOptions), w),
      '',
      'Run "elasticrtc <command> --help" for the options of a command. Exit codes and JSON output: docs/.',
      '',
    ].join('\n');
  }
  return [
    `Usage: elasticrtc ${command.name} [options]`,
    '',
    command.describe,
    '',
    'Options:',
    table(optionRows(command.options), w),
    '',
    'Global options:',
    table(optionRows(globalOptions), w),
    ...(command.examples.length > 0 ? ['', 'Examples:', table(command.examples.map(([c, m]) => [`  ${c}`, m]), w)] : []),
    '',
  ].join('\n');
}
