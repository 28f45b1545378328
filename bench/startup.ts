import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/elasticrtc.js', import.meta.url));
const HOOK = fileURLToPath(new URL('./rss-hook.mjs', import.meta.url));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

function timeOnce(args: string[], env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * Wall time of `--help` and `create --dry-run` against `node -e 0`, runs interleaved so machine noise
 * hits all three alike; medians of `rounds` runs. Peak memory of the dry run through an exit hook.
 */
export function measureStartup(rounds = 25) {
  const home = mkdtempSync(join(tmpdir(), 'elasticrtc-bench-'));
  const env = { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' };
  const dry = [BIN, 'create', '--stack-name', 'demo', '--region', 'eu-west-1', '--dry-run'];
  const samples = { node: [] as number[], help: [] as number[], dryRun: [] as number[] };
  for (let i = 0; i < 3; i++) timeOnce([BIN, '--help'], env); // warm the file cache
  for (let i = 0; i < rounds; i++) {
    samples.node.push(timeOnce(['-e', '0'], env));
    samples.help.push(timeOnce([BIN, '--help'], env));
    samples.dryRun.push(timeOnce(dry, env));
  }
  const rssFile = join(home, 'rss');
  const r = spawnSync(process.execPath, ['--import', HOOK, ...dry], { env: { ...env, ELASTICRTC_RSS_FILE: rssFile }, stdio: 'ignore' });
  if (r.status !== 0) throw new Error('dry run failed');
  const peakKiB = Number(readFileSync(rssFile, 'utf8'));
  const node = median(samples.node);
  return {
    nodeMs: node,
    helpMs: median(samples.help),
    dryRunMs: median(samples.dryRun),
    helpRatio: median(samples.help) / node,
    dryRunRatio: median(samples.dryRun) / node,
    dryRunPeakMiB: peakKiB / 1024,
  };
}
