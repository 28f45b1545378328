import { createStackApi } from '../src/aws/cloudformation.js';
import { follow } from '../src/deploy/follow.js';
import type { ProgressView } from '../src/deploy/progress-view.js';
import { runtimeRef } from '../src/cluster/node-runtime.js';
import { activeResourceCount, renderCluster } from '../src/cluster/render.js';
import { createSecretApi } from '../src/aws/secrets-manager.js';
import { resolveSettings } from '../src/cluster/settings.js';
import { RELEASED_KMS_VERSIONS } from '../src/cluster/versions.js';
import { FakeClock } from '../test/support/context.js';
import { startFakeAws } from '../test/support/fake-aws/index.js';

const silent: ProgressView = { begin() {}, event() {}, heartbeat() {}, notice() {}, end() {} };

function maxPerMinute(times: number[], from: number): number {
  let max = 0;
  for (const t of times) if (t >= from) max = Math.max(max, times.filter((x) => x >= t && x < t + 60_000).length);
  return max;
}

/**
 * Follows a real cluster template's creation on the fake AWS server (real SDK, real HTTP) in virtual
 * time shared by the follow loop and the fake, so a 20-minute operation takes a second to measure.
 */
export async function measureFollow(o: { pace: 'terminal' | 'plain'; stepMs: number; finalLagMs?: number; storm?: { from: number; count: number } }) {
  const clock = new FakeClock();
  const fake = await startFakeAws({ now: () => clock.now(), stepMs: o.stepMs, ...(o.finalLagMs !== undefined ? { finalLagMs: o.finalLagMs } : {}) });
  try {
    const settings = resolveSettings({ 'stack-name': 'bench' }, 'eu-west-1', RELEASED_KMS_VERSIONS);
    if (!settings.ok) throw new Error('settings');
    const target = { region: 'eu-west-1', env: { AWS_ENDPOINT_URL: fake.url }, credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'x' }, now: () => clock.now() };
    // The cluster secret exists before the stack, as create makes it; the listener rule reads the api key.
    const secretArn = await createSecretApi(target).put('elasticrtc/bench', JSON.stringify({ apiKey: 'benchApiKey0123456789' }), {});
    const rendered = renderCluster(settings.value, { toolVersion: 'bench', secretArn, runtime: runtimeRef('bench', '0'.repeat(64)) });
    const stacks = createStackApi(target);
    const token = 'elasticrtc-create-bench';
    const t0 = clock.now();
    const stackId = await stacks.create({ name: 'bench', templateBody: rendered.templateBody, parameters: rendered.parameters, tags: rendered.tags, token, timeoutMinutes: 60, terminationProtection: false });
    if (o.storm) {
      const storm = o.storm;
      clock.at(t0 + storm.from, () => fake.faults.throttle(storm.count, { action: 'DescribeStackEvents' }));
    }
    const result = await follow({ stacks, stackId, cursor: { token, since: t0, seen: new Set() }, clock, view: silent, pace: o.pace, total: activeResourceCount(rendered.template, rendered.parameters) });
    const end = clock.now();
    // Every CloudFormation call of the follow: event polls and the once-a-minute status reads.
    const polls = fake.requests.filter((r) => r.action === 'DescribeStackEvents' || (r.action === 'DescribeStacks' && r.at > t0)).map((r) => r.at);
    const late = polls.filter((t) => t >= t0 + 60_000 - 10_000);
    const maxGapAfterFirstMinuteMs = Math.max(0, ...late.slice(1).map((t, i) => t - (late[i] ?? t)));
    const finalEvent = fake.stack('bench')?.events.at(-1);
    return {
      outcome: result.kind === 'finished' ? result.status : result.kind,
      durationMin: (end - t0) / 60_000,
      calls: polls.length,
      maxCallsPerMinuteAfterFirst: maxPerMinute(polls, t0 + 60_000),
      maxGapAfterFirstMinuteMs,
      finalEventToEndMs: end - (finalEvent?.timestamp ?? end),
      throttled: fake.requests.filter((r) => r.status === 400 && r.action === 'DescribeStackEvents').length,
    };
  } finally {
    await fake.close();
  }
}
