import type { IoStreams } from './context.js';
import type { OutputFormat } from './global-options.js';
import { toYaml } from './yaml.js';

/**
 * Prints a command's result on stdout: one JSON object (`-o json`), one YAML document (`-o yaml`),
 * or the text rendering. stdout carries nothing else.
 */
export async function printResult<T extends object>(io: IoStreams, format: OutputFormat, data: T, text: (data: T) => string): Promise<void> {
  if (format === 'json') {
    io.out.write(`${JSON.stringify(data, null, 2)}\n`);
  } else if (format === 'yaml') {
    io.out.write(await toYaml(data));
  } else {
    const rendered = text(data);
    if (rendered !== '') io.out.write(rendered.endsWith('\n') ? rendered : `${rendered}\n`);
  }
}

/**
 * A table for stdout. On a terminal, columns are padded and headers shown; otherwise rows are
 * tab-separated with a header line, easy to cut and awk, with no padding tricks.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], tty: boolean): string {
  if (!tty) return [headers, ...rows].map((r) => r.join('\t')).join('\n');
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** A time for people on a terminal ("2026-11-21 05:42 UTC"), ISO 8601 otherwise. */
export function formatTime(ms: number, tty: boolean): string {
  const iso = new Date(ms).toISOString();
  return tty ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso;
}

/** Minimal ANSI styling for stderr, only when colour is on. */
export function paint(io: IoStreams, style: 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', text: string): string {
  if (!io.color) return text;
  const codes = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
  return `\u001b[${codes[style]}m${text}\u001b[0m`;
}

/** A warning for people, on stderr. */
export const warn = (io: IoStreams, text: string): void => io.err.write(`${paint(io, 'yellow', 'warning:')} ${text}\n`);

/** A note for people, on stderr. */
export const note = (io: IoStreams, text: string): void => io.err.write(`${text}\n`);
