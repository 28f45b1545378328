import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, emptyHome } from '../support/cli.js';

/** A folder holding an `elasticrtc` command (the built tool), as a user has on PATH after `npm install -g`. */
function toolOnPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-path-'));
  const tool = join(dir, 'elasticrtc');
  writeFileSync(tool, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(tool, 0o755);
  return dir;
}

/** Sources `elasticrtc completion bash` in a real bash, then asks for the completions of `words` (the last is being typed). */
function complete(words: string[], shellEnv = '/bin/bash'): string[] {
  const script = [
    'source <(elasticrtc completion bash)',
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})`,
    `COMP_CWORD=${words.length - 1}`,
    '_elasticrtc_complete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const out = execFileSync('bash', ['-c', script], { env: { PATH: `${toolOnPath()}:${process.env.PATH ?? ''}`, HOME: emptyHome(), SHELL: shellEnv }, encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

describe('elasticrtc completion, sourced in bash', () => {
  it('completes commands', () => {
    expect(complete(['elasticrtc', 'cr'])).toEqual(['create']);
    expect(complete(['elasticrtc', ''])).toEqual(expect.arrayContaining(['create', 'list', 'show', 'update', 'delete', 'version', 'iam-policy', 'completion']));
  });

  it('completes the flags of the command being typed, and only its flags', () => {
    expect(complete(['elasticrtc', 'create', '--stack-n'])).toEqual(['--stack-name']);
    expect(complete(['elasticrtc', 'create', '--scale-'])).toEqual(['--scale-out-policy', '--scale-in-policy']);
    expect(complete(['elasticrtc', 'delete', '--'])).toEqual(expect.arrayContaining(['--stack-name', '--yes', '--region']));
    expect(complete(['elasticrtc', 'delete', '--'])).not.toContain('--scale-out-policy');
    expect(complete(['elasticrtc', 'update', '--api-'])).toEqual(['--api-origin']); // an update cannot change the api key
  });

  it('gives plain words to bash even when the login shell is zsh', () => {
    expect(complete(['elasticrtc', 'li'], '/usr/bin/zsh')).toEqual(['list']);
  });

  it('prints the zsh script for zsh, by argument or from SHELL', () => {
    const run = (args: string[], shell: string) => execFileSync(process.execPath, [BIN, ...args], { env: { HOME: emptyHome(), SHELL: shell }, encoding: 'utf8' });
    for (const zsh of [run(['completion', 'zsh'], '/bin/bash'), run(['completion'], '/usr/bin/zsh')]) {
      expect(zsh).toMatch(/^#compdef elasticrtc/);
      expect(zsh).toContain('compdef _elasticrtc elasticrtc');
    }
    expect(run(['completion'], '/bin/bash')).toContain('complete -o bashdefault -o default -F _elasticrtc_complete elasticrtc');
    expect(() => run(['completion', 'fish'], '/bin/bash')).toThrow(/expected one of bash, zsh/);
  });
});
