import { dirname, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { loadYaml } from './yaml.js';
import { describeProblem } from '../cluster/problems.js';
import { configToRaw } from '../cluster/settings-file.js';

/**
 * Settings from `-f FILE` merged under the flags given on the command line (flags win). Unreadable files,
 * YAML that does not parse and unknown keys are usage errors naming the file.
 */
export async function mergeConfig(file: string | undefined, flags: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (file === undefined) return flags;
  let text: string;
  try {
    const { readFile } = await import('node:fs/promises');
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError('UnreadableConfig', `--config ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : 'cannot be read'}`);
  }
  const yaml = await loadYaml();
  let doc: unknown;
  try {
    doc = yaml.parse(text);
  } catch (error) {
    const detail = (error as Error).message.split('\n')[0] ?? '';
    throw new UsageError('InvalidConfig', `--config ${file}: not valid YAML: ${detail}`);
  }
  const { raw, problems } = configToRaw(doc, file, (p) => resolve(dirname(file), p));
  if (problems.length > 0) throw new UsageError('InvalidConfig', problems.map(describeProblem).join('\n  '), 'keys are the long names of the create flags; see docs/config.schema.json');
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  return { ...raw, ...given };
}
