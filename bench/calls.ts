import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeAws } from '../test/support/fake-aws/index.js';

const BIN = fileURLToPath(new URL('../bin/elasticrtc.js', import.meta.url));

const envFor = (url: string) => ({
  PATH: process.env.PATH,
  HOME: mkdtempSync(join(tmpdir(), 'elasticrtc-bench-')),
  AWS_ENDPOINT_URL: url,
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'x',
  AWS_EC2_METADATA_DISABLED: 'true',
  CI: 'true',
});

/** Runs the binary without blocking this process, which serves the fake AWS endpoint it talks to. */
function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; exitedAt: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      const exitedAt = Date.now();
      if (code === 0) resolve({ stdout, exitedAt });
      else reject(new Error(`elasticrtc ${args.join(' ')} exited ${code}: ${stderr}`));
    });
  });
}

/** AWS calls the built binary makes for `show` of a 100-node cluster and `list` over 1,000 stacks. */
export async function measureCalls() {
  const fake = await startFakeAws();
  try {
    fake.addStack({
      name: 'big',
      tags: { 'elasticrtc:cluster': 'big', 'elasticrtc:kms-version': '7.3.0' },
      parameters: { DesiredCapacity: '100', MinCapacity: '1', MaxCapacity: '100', InstanceType: 'c7i.large' },
      instances: 100,
    });
    for (let i = 0; i < 999; i++) {
      fake.addStack({ name: `s${String(i).padStart(4, '0')}`, tags: i % 3 === 0 ? { 'elasticrtc:cluster': `s${i}` } : {} });
    }
    const env = envFor(fake.url);
    fake.resetRequests();
    const shown = JSON.parse((await cli(['show', '--stack-name', 'big', '--region', 'eu-west-1', '-o', 'json'], env)).stdout) as { instances: unknown[] };
    const showCalls = fake.count();
    fake.resetRequests();
    const listed = JSON.parse((await cli(['list', '--region', 'eu-west-1', '-o', 'json'], env)).stdout) as { clusters: unknown[] };
    const listCalls = fake.count();
    const pages = Math.ceil(1000 / 100);
    return { showNodes: shown.instances.length, showCalls, listStacks: 1000, listClusters: listed.clusters.length, listCalls, listPages: pages };
  } finally {
    await fake.close();
  }
}

/**
 * Real time from the stack's final event (as the fake AWS server stamps it) to the binary's exit, for
 * a create followed by the built tool; median of `rounds`.
 */
export async function measureExitLatency(rounds = 3) {
  const fake = await startFakeAws({ stepMs: 150 });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const name = `lat${i}`;
      const { exitedAt } = await cli(['create', '--stack-name', name, '--region', 'eu-west-1', '-o', 'json'], envFor(fake.url));
      const final = fake.stack(name)?.events.filter((e) => e.logicalId === name).at(-1);
      latencies.push(exitedAt - (final?.timestamp ?? exitedAt));
    }
  } finally {
    await fake.close();
  }
  latencies.sort((a, b) => a - b);
  return { finalEventToExitMs: latencies[Math.floor(latencies.length / 2)] ?? 0, samples: latencies };
}
