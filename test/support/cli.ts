import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/elasticrtc.js', import.meta.url));

/** An empty home directory, so no real AWS profile or credentials file is ever read. */
export const emptyHome = (): string => mkdtempSync(join(tmpdir(), 'elasticrtc-e2e-'));

/** The environment a user of a LocalStack-like endpoint has: endpoint, dummy keys, nothing else of ours. */
export function endpointEnv(url: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const home = emptyHome();
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ENDPOINT_URL: url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    CI: 'true',
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built binary as a child process, without a terminal. `onStderr` sees stderr as it comes
 * (to send a signal at the right moment). A run that outlives `limitMs` is killed and fails the test.
 */
export function runCli(args: string[], env: Record<string, string>, o: { limitMs?: number; onStderr?: (text: string, child: ReturnType<typeof spawn>) => void } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      o.onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`elasticrtc ${args.join(' ')} did not finish within ${o.limitMs ?? 30_000} ms\nstderr: ${stderr}`));
    }, o.limitMs ?? 30_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Parses stdout as exactly one JSON document (fails on anything else there). */
export function onlyJson(stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as unknown;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`stdout is not one JSON object: ${stdout}`);
  return doc as Record<string, unknown>;
}
