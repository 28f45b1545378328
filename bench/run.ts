/**
 * `npm run bench`: the performance budgets of architecture.md, measured in one run, printed as a
 * table and written to bench/results.json. Ratios are against `node -e 0` measured in the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { measureCalls, measureExitLatency } from './calls.js';
import { measureController } from './controller.js';
import { measureFollow } from './follow.js';
import { measureStartup } from './startup.js';

const rows: { figure: string; value: string; budget: string; ok: boolean }[] = [];
const row = (figure: string, value: string, budget: string, ok: boolean) => rows.push({ figure, value, budget, ok });

const startup = measureStartup();
row('--help wall time ÷ node -e 0', `${startup.helpRatio.toFixed(2)} (${startup.helpMs.toFixed(0)} / ${startup.nodeMs.toFixed(0)} ms)`, '≤ 2.0', startup.helpRatio <= 2);
row('create --dry-run ÷ node -e 0', `${startup.dryRunRatio.toFixed(2)} (${startup.dryRunMs.toFixed(0)} ms)`, '≤ 2.0', startup.dryRunRatio <= 2);
row('create --dry-run peak memory', `${startup.dryRunPeakMiB.toFixed(1)} MiB`, '≤ 90 MiB', startup.dryRunPeakMiB <= 90);

// Resources take 20 s each; CloudFormation writes the stack's final event ~2 s after the last resource.
const terminal = await measureFollow({ pace: 'terminal', stepMs: 20_000, finalLagMs: 2_000 });
const plain = await measureFollow({ pace: 'plain', stepMs: 20_000, finalLagMs: 2_000 });
row(`CFN calls/min after minute one, terminal (${terminal.durationMin.toFixed(1)} min ${terminal.outcome})`, String(terminal.maxCallsPerMinuteAfterFirst), '≤ 12', terminal.maxCallsPerMinuteAfterFirst <= 12 && terminal.outcome === 'CREATE_COMPLETE');
row(`CFN calls/min after minute one, plain (${plain.outcome})`, String(plain.maxCallsPerMinuteAfterFirst), '≤ 12', plain.maxCallsPerMinuteAfterFirst <= 12 && plain.outcome === 'CREATE_COMPLETE');
row('longest gap between polls after minute one, terminal', `${terminal.maxGapAfterFirstMinuteMs} ms`, '≤ 6000 ms (5 s + jitter)', terminal.maxGapAfterFirstMinuteMs <= 6000);
row('longest gap between polls after minute one, plain', `${plain.maxGapAfterFirstMinuteMs} ms`, '≤ 12000 ms (10 s + jitter)', plain.maxGapAfterFirstMinuteMs <= 12_000);
row('final event → end of follow, terminal poll (virtual time)', `${terminal.finalEventToEndMs} ms`, '≤ 3000 ms', terminal.finalEventToEndMs <= 3000);
// Without a terminal (CI logs) polls come every 10-12 s after the first minute: the end is noticed within one.
row('final event → end of follow, plain poll (virtual time)', `${plain.finalEventToEndMs} ms`, '≤ 12000 ms (one plain interval)', plain.finalEventToEndMs <= 12_000);

const exit = await measureExitLatency();
row('final event → process exit (built binary, real time)', `${exit.finalEventToExitMs} ms`, '≤ 3000 ms', exit.finalEventToExitMs <= 3000);

const calm = await measureFollow({ pace: 'plain', stepMs: 5_000 });
const storm = await measureFollow({ pace: 'plain', stepMs: 5_000, storm: { from: 30_000, count: 40 } });
row(
  `throttling storm (${storm.throttled} throttled polls)`,
  `${storm.outcome} in ${storm.durationMin.toFixed(1)} min vs ${calm.durationMin.toFixed(1)} min calm; ${storm.maxCallsPerMinuteAfterFirst} calls/min max`,
  'completes, ≤ 12/min',
  storm.outcome === 'CREATE_COMPLETE' && storm.maxCallsPerMinuteAfterFirst <= 12,
);

const calls = await measureCalls();
row(`show, ${calls.showNodes}-node cluster: AWS calls`, String(calls.showCalls), '≤ 6', calls.showCalls <= 6);
row(`list, ${calls.listStacks} stacks (${calls.listClusters} clusters): AWS calls`, `${calls.listCalls} (${calls.listPages} pages)`, '≤ 2 + pages (STS, ListSecrets for leftovers, the pages)', calls.listCalls <= 2 + calls.listPages);

const ctl = await measureController();
row('controller: added latency per request vs direct, loopback', `p50 ${ctl.addedP50.toFixed(2)} ms, p99 ${ctl.addedP99.toFixed(2)} ms`, 'p50 ≤ 1 ms, p99 ≤ 5 ms', ctl.addedP50 <= 1 && ctl.addedP99 <= 5);
row('controller: requests per second, one process (one core)', ctl.requestsPerSecond.toFixed(0), '≥ 5000', ctl.requestsPerSecond >= 5_000);
row('controller: memory at 1,000 sessions', `${ctl.rssAt1000SessionsMiB.toFixed(1)} MiB`, '≤ 150 MiB', ctl.rssAt1000SessionsMiB <= 150);
row('placement: max/min node load, 300 pipelines, 3 nodes', `${ctl.balance.ratio.toFixed(2)} (${ctl.balance.counts.join('/')})`, '≤ 1.3', ctl.balance.ratio <= 1.3);

const width = Math.max(...rows.map((r) => r.figure.length));
const valueWidth = Math.max(...rows.map((r) => r.value.length));
console.log(`${'figure'.padEnd(width)}  ${'measured'.padEnd(valueWidth)}  budget`);
for (const r of rows) console.log(`${r.figure.padEnd(width)}  ${r.value.padEnd(valueWidth)}  ${r.budget} ${r.ok ? 'ok' : 'OVER'}`);

mkdirSync(new URL('.', import.meta.url), { recursive: true });
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({ measuredAt: new Date().toISOString(), node: process.version, rows, startup, follow: { terminal, plain, calm, storm }, calls, exit, controller: ctl }, null, 2)}\n`);
if (rows.some((r) => !r.ok)) process.exitCode = 1;
