/**
 * Kurento's own configuration reader, for tests: boost::property_tree (read_ini, read_json), built
 * once per test process from read-ptree.cpp with the system's g++ and boost headers (libboost-dev,
 * installed by .ci/run). Every value comes back as a string, as KMS's tree holds it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let binary: string | undefined;

function build(): string {
  const dir = mkdtempSync(join(tmpdir(), 'read-ptree-'));
  const out = join(dir, 'read-ptree');
  execFileSync('g++', ['-O0', '-std=c++17', '-o', out, fileURLToPath(new URL('./read-ptree.cpp', import.meta.url))], { stdio: 'pipe' });
  return out;
}


export type Tree = string | { [key: string]: Tree };

/** The tree boost reads from `file`; throws with boost's message when it cannot parse it. */
export function readPtree(kind: 'ini' | 'json', file: string): Tree {
  binary ??= build();
  return JSON.parse(execFileSync(binary, [kind, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Tree;
}
