import { describe, expect, it } from 'vitest';
import { AwsFailure } from '../../src/aws/errors.js';
import type { StackEvent } from '../../src/aws/stack-api.js';
import { follow } from '../../src/deploy/follow.js';
import { type ProgressView, SpinnerView } from '../../src/deploy/progress-view.js';
import type { Spinner } from '../../src/cli/context.js';
import { FakeClock } from '../support/context.js';
import { scriptedStack, throttled } from '../support/scripted-stack.js';

function recordingView(clock: FakeClock) {
  const lines: { at: number; text: string }[] = [];
  const seen: StackEvent[] = [];
  const view: ProgressView = {
    begin: () => lines.push({ at: clock.now(), text: 'begin' }),
    event: (e) => {
      seen.push(e);
      lines.push({ at: clock.now(), text: `${e.logicalId} ${e.status}` });
    },
    heartbeat: () => lines.push({ at: clock.now(), text: 'heartbeat' }),
    notice: (t) => lines.push({ at: clock.now(), text: `notice ${t}` }),
    end: () => undefined,
  };
  return { view, lines, seen };
}

/** Every CloudFormation call of a scripted stack (event polls and status reads), in time order. */
const allCalls = (stack: { calls: number[]; describes: number[] }) => [...stack.calls, ...stack.describes].sort((a, b) => a - b);

const gapsAfter = (calls: number[], from: number) => {
  const after = calls.filter((c) => c >= from - 10_000);
  return after.slice(1).map((t, i) => t - (after[i] ?? 0)).filter((_, i) => (after[i + 1] ?? 0) > from);
};

const maxCallsInAnyMinute = (calls: number[], from: number) => {
  let max = 0;
  for (const t of calls.filter((c) => c >= from)) max = Math.max(max, calls.filter((c) => c >= t && c < t + 60_000).length);
  return max;
};

function setup(o: { resources?: number; stepMs?: number; failures?: (i: number) => AwsFailure | undefined; final?: string } = {}) {
  const clock = new FakeClock();
  const t0 = clock.now();
  // CloudFormation writes the stack's final event a few seconds after its last resource settles.
  const stack = scriptedStack({ now: () => clock.now(), t0, resources: o.resources ?? 12, stepMs: o.stepMs ?? 45_000, finalLagMs: 4000, ...(o.failures ? { failures: o.failures } : {}), ...(o.final ? { final: o.final } : {}) });
  const rec = recordingView(clock);
  const cursor = { token: 'tok', since: t0, seen: new Set<string>() };
  return { clock, t0, stack, rec, cursor };
}

describe('follow', () => {
  it.each(['terminal', 'plain'] as const)('follows a 9-minute create to the end within the %s budget', async (pace) => {
    const { clock, t0, stack, rec, cursor } = setup();
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace, random: () => 0.5, total: 12 });
    expect(result.kind).toBe('finished');
    expect(result.kind === 'finished' && result.outcome).toBe('succeeded');
    // every event shown once, in order
    expect(rec.seen.map((e) => e.id)).toEqual([...new Set(rec.seen.map((e) => e.id))]);
    expect(rec.seen).toHaveLength(2 + 12 * 2);
    // ≤ 12 calls in any minute after the first
    expect(maxCallsInAnyMinute(allCalls(stack), t0 + 60_000)).toBeLessThanOrEqual(12);
    // the final event is noticed within 3 s: once every resource has settled, polls come every ~2 s
    expect(clock.now() - stack.finalAt).toBeLessThanOrEqual(3000);
  });

  it.each([
    ['terminal', 6000],
    ['plain', 12_000],
  ] as const)('leaves no gap between %s polls longer than the documented interval (%d ms), first minute over included', async (pace, max) => {
    for (const random of [0, 0.999]) {
      const { clock, t0, stack, rec, cursor } = setup();
      await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace, random: () => random, total: 12 });
      const calls = allCalls(stack);
      expect(Math.max(...gapsAfter(calls, t0 + 60_000))).toBeLessThanOrEqual(max);
      expect(maxCallsInAnyMinute(calls, t0 + 60_000)).toBeLessThanOrEqual(12);
    }
  });

  it('follows an endpoint that does not stamp ClientRequestToken: events at or after the start belong', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const stack = scriptedStack({ now: () => clock.now(), t0, resources: 4, stepMs: 20_000, finalLagMs: 2000, token: null, final: 'ROLLBACK_COMPLETE' });
    const rec = recordingView(clock);
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor: { token: 'elasticrtc-create-abc', since: t0, seen: new Set() }, clock, view: rec.view, pace: 'terminal', deadline: t0 + 3_600_000 });
    expect(result.kind === 'finished' && result.outcome).toBe('rolled-back');
    expect(rec.seen).toHaveLength(2 + 4 * 2);
    expect(clock.now() - stack.finalAt).toBeLessThanOrEqual(3000);
  });

  it.each([
    ['CREATE_COMPLETE', 'succeeded'],
    ['ROLLBACK_COMPLETE', 'rolled-back'],
  ] as const)('ends on the stack status (%s) within a minute when no final event of this operation shows', async (final, outcome) => {
    const clock = new FakeClock();
    const t0 = clock.now();
    // Events stamped with a token that is not ours, and no final event at all: only DescribeStacks tells.
    const stack = scriptedStack({ now: () => clock.now(), t0, resources: 3, stepMs: 30_000, token: 'someone-else', final, finalEvent: false });
    const rec = recordingView(clock);
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor: { token: 'tok', since: t0, seen: new Set() }, clock, view: rec.view, pace: 'plain', deadline: t0 + 3_600_000 });
    expect(result.kind).toBe('finished');
    expect(result.kind === 'finished' && [result.status, result.outcome]).toEqual([final, outcome]);
    expect(clock.now() - stack.finalAt).toBeLessThanOrEqual(60_000 + 12_000);
    // read at least once a minute after the first
    const reads = [t0, ...stack.describes];
    for (let i = 1; i < reads.length; i++) expect((reads[i] ?? 0) - (reads[i - 1] ?? 0)).toBeLessThanOrEqual(60_000 + 12_000);
  });

  it('ticks the spinner’s elapsed time every second, between polls and heartbeats too', async () => {
    const { clock, t0, stack, cursor } = setup({ resources: 2, stepMs: 100_000 });
    const updates: { at: number; text: string }[] = [];
    const spinner: Spinner = {
      start: (text) => void updates.push({ at: clock.now(), text }),
      update: (text) => void updates.push({ at: clock.now(), text }),
      persist: () => undefined,
      stop: () => undefined,
    };
    const view = new SpinnerView(spinner, { kind: 'create', stackName: 'demo', labels: {}, now: () => clock.now(), color: false });
    view.begin();
    await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view, pace: 'plain', random: () => 0.5, total: 2 });
    const times = updates.map((u) => u.at);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeLessThanOrEqual(1000);
    const elapsed = new Set(updates.map((u) => /, (\S+)$/.exec(u.text)?.[1]));
    for (const second of ['1s', '2s', '33s', '1m01s', '1m02s', '1m03s', '2m17s']) expect(elapsed).toContain(second);
    expect(clock.now() - t0).toBeGreaterThan(200_000);
  });

  it('never lets the final event wait longer than one steady interval', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const stack = scriptedStack({ now: () => clock.now(), t0, resources: 12, stepMs: 45_000, finalLagMs: 100 });
    const rec = recordingView(clock);
    await follow({ stacks: stack.api, stackId: stack.stackId, cursor: { token: 'tok', since: t0, seen: new Set() }, clock, view: rec.view, pace: 'plain', random: () => 0.999 });
    expect(clock.now() - stack.finalAt).toBeLessThanOrEqual(12_000);
  });

  it('prints a heartbeat at least every 30 s in plain mode', async () => {
    const { clock, stack, rec, cursor } = setup({ resources: 3, stepMs: 200_000 });
    await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace: 'plain', random: () => 0.9 });
    const times = rec.lines.map((l) => l.at);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeLessThanOrEqual(30_000);
    expect(rec.lines.some((l) => l.text === 'heartbeat')).toBe(true);
  });

  it('rides out a throttling storm: slower, never failed, never stalled', async () => {
    const { clock, t0, stack, rec, cursor } = setup({ resources: 4, stepMs: 30_000, failures: (i) => (i >= 3 && i < 40 ? throttled() : undefined) });
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace: 'plain', random: () => 0 });
    expect(result.kind === 'finished' && result.outcome).toBe('succeeded');
    const gaps = stack.calls.slice(1).map((t, i) => t - (stack.calls[i] ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(30_000);
    expect(gaps.slice(4, 8)).toEqual([8000, 16_000, 30_000, 30_000]);
    expect(rec.lines.filter((l) => l.text.startsWith('notice'))).toHaveLength(1);
    expect(clock.now() - t0).toBeGreaterThan(37 * 30_000 - 60_000);
  });

  it('treats dropped connections like throttling', async () => {
    const dropped = new AwsFailure('transient', 'ECONNRESET', 'socket hang up', 'cloudformation:DescribeStackEvents');
    const { clock, stack, rec, cursor } = setup({ resources: 2, stepMs: 5000, failures: (i) => (i === 1 || i === 2 ? dropped : undefined) });
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace: 'plain', random: () => 0 });
    expect(result.kind).toBe('finished');
  });

  it('throws failures that waiting cannot fix', async () => {
    const expired = new AwsFailure('credentials', 'ExpiredToken', 'The security token included in the request is expired', 'cloudformation:DescribeStackEvents');
    const { clock, stack, rec, cursor } = setup({ failures: (i) => (i === 2 ? expired : undefined) });
    await expect(follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace: 'plain' })).rejects.toBe(expired);
  });

  it('stops at the deadline', async () => {
    const { clock, t0, stack, rec, cursor } = setup();
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace: 'plain', deadline: t0 + 120_000 });
    expect(result.kind).toBe('timeout');
    expect(clock.now()).toBe(t0 + 120_000);
  });

  it('stops at once when interrupted', async () => {
    const { clock, t0, stack, rec, cursor } = setup();
    const controller = new AbortController();
    clock.at(t0 + 95_500, () => controller.abort());
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace: 'plain', signal: controller.signal });
    expect(result.kind).toBe('interrupted');
    expect(clock.now()).toBe(t0 + 95_500);
    expect(result.events.length).toBeGreaterThan(0);
  });

  it('reports a rollback as such', async () => {
    const { clock, stack, rec, cursor } = setup({ resources: 2, stepMs: 5000, final: 'ROLLBACK_COMPLETE' });
    const result = await follow({ stacks: stack.api, stackId: stack.stackId, cursor, clock, view: rec.view, pace: 'plain' });
    expect(result.kind === 'finished' && result.outcome).toBe('rolled-back');
  });
});
