import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/parse-args.js';
import { UsageError } from '../../src/cli/errors.js';
import { commands } from '../../src/main.js';
import { testContext } from '../support/context.js';

const verbs = commands(testContext({}).ctx);
const values = (...argv: string[]) => {
  const r = parseCommandLine(argv, verbs);
  if (r.kind !== 'run') throw new Error(`expected a command to run, got ${r.kind}`);
  return r.values;
};
const usage = (...argv: string[]): string => {
  try {
    parseCommandLine(argv, verbs);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
};

describe('--elasticsearch-ssl: the bare switch, true|false (the 2016 syntax), or =true|false', () => {
  it.each([
    [['--elasticsearch-ssl'], true],
    [['--elasticsearch-ssl', 'true'], true],
    [['--elasticsearch-ssl', 'false'], false],
    [['--elasticsearch-ssl', 'TRUE'], true],
    [['--elasticsearch-ssl=false'], false],
    [['--elasticsearch-ssl', 'false', '--stack-name', 'demo'], false],
    [['--stack-name', 'demo'], undefined],
  ])('create %j → %s', (flags, ssl) => {
    const v = values('create', '--stack-name', 'demo', ...flags);
    expect(v['elasticsearch-ssl']).toBe(ssl);
    expect(v['stack-name']).toBe('demo');
  });

  it('a word other than true or false is a usage error naming the flag and the value', () => {
    expect(usage('create', '--stack-name', 'demo', '--elasticsearch-ssl', 'maybe')).toBe('--elasticsearch-ssl maybe: expected true or false (or --elasticsearch-ssl alone for true)');
  });

  it('given twice with different values is a usage error', () => {
    expect(usage('create', '--elasticsearch-ssl', 'true', '--elasticsearch-ssl', 'false')).toContain('--elasticsearch-ssl is given twice with different values');
    expect(usage('create', '--elasticsearch-ssl', '--elasticsearch-ssl', 'false')).toContain('--elasticsearch-ssl is given twice with different values');
  });

  it('is still unknown to commands that do not take it', () => {
    expect(usage('delete', '--stack-name', 'x', '--elasticsearch-ssl', 'true')).toContain('unknown option --elasticsearch-ssl for delete');
  });
});

describe('repeated flags', () => {
  it('a flag that takes one value, given twice with different values, names the flag and both values', () => {
    expect(usage('delete', '--stack-name', 'a', '--stack-name', 'b')).toBe('--stack-name is given twice with different values, a and b: give it once');
    expect(usage('delete', '-n', 'a', '--stack-name=b')).toContain('--stack-name is given twice with different values, a and b');
    expect(usage('list', '--region', 'eu-west-1', '-r', 'us-east-1')).toContain('--region is given twice with different values, eu-west-1 and us-east-1');
    expect(usage('create', '--stack-name', 'a', '--min-capacity', '1', '--min-capacity', '2', '--min-capacity', '3')).toContain('--min-capacity is given 3 times with different values, 1 and 2 and 3');
  });

  it('never repeats a secret', () => {
    const message = usage('create', '--stack-name', 'a', '--api-key', 'Secret0ne0123456', '--api-key', 'Secret7wo0123456');
    expect(message).toBe('--api-key is given twice with different values (values not shown): give it once');
    const keys = usage('list', '--aws-secret-access-key', 'sEcReT1', '--aws-secret-access-key', 'sEcReT2');
    expect(keys).not.toContain('sEcReT');
  });

  it('the same value twice is fine, and so is a repeated switch', () => {
    expect(values('delete', '--stack-name', 'a', '--stack-name', 'a')['stack-name']).toBe('a');
    expect(values('delete', '--stack-name', 'a', '--yes', '--yes').yes).toBe(true);
  });
});

describe('a value starting with a dash and a digit is the option’s value', () => {
  it('--timeout -5m reaches the duration check (not "needs a value")', () => {
    expect(values('delete', '--stack-name', 'a', '--timeout', '-5m').timeout).toBe('-5m');
    expect(values('create', '--stack-name', 'a', '--min-capacity', '-1')['min-capacity']).toBe('-1');
  });

  it('an option word after a flag that needs a value is still "needs a value"', () => {
    expect(usage('create', '--stack-name', '-x')).toContain('--stack-name needs a value');
  });
});

describe('yargs, strict, with what users expect from it', () => {
  it('a setting an update cannot change is refused as such, not as an unknown option', () => {
    expect(usage('update', '--stack-name', 'a', '--aws-s3-bucket-name', 'other')).toBe('--aws-s3-bucket-name cannot be changed by an update');
    expect(usage('update', '--stack-name', 'a', '--api-key', 'Secret0ne0123456')).toBe('--api-key cannot be changed by an update');
  });

  it('suggests the option meant, among the command’s own and the global ones', () => {
    expect(() => parseCommandLine(['update', '--stack-name', 'a', '--max-capacty', '3'], verbs)).toThrow(expect.objectContaining({ hint: 'did you mean --max-capacity?' }));
    expect(() => parseCommandLine(['list', '--regoin', 'eu-west-1'], verbs)).toThrow(expect.objectContaining({ hint: 'did you mean --region?' }));
  });

  it('help and completion answers are text to print', () => {
    const help = parseCommandLine(['update', '--help'], verbs);
    expect(help.kind).toBe('text');
    const text = help.kind === 'text' ? help.text : '';
    expect(text).toContain('Usage: elasticrtc update [options]');
    expect(text).not.toContain('--api-key');
    expect(text).not.toContain('[default: 75=10]');
    expect(text).not.toMatch(/^Options:\n\n/m); // no empty section
    const version = parseCommandLine(['version', '--help'], verbs);
    expect(version.kind === 'text' && version.text).not.toContain('Options:\n');
    const answers = parseCommandLine(['--get-yargs-completions', 'elasticrtc', 'delete', '--'], verbs);
    expect(answers.kind === 'text' && answers.text.split('\n')).toEqual(expect.arrayContaining(['--stack-name', '--yes']));
    expect(answers.kind === 'text' && answers.text.split('\n')).not.toContain('--n');
  });
});
