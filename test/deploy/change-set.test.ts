import { describe, expect, it } from 'vitest';
import type { ChangeSetStatus, StackApi } from '../../src/aws/stack-api.js';
import { CHANGE_SET_WAIT_MS, changeSetPollDelay, prepareChangeSet } from '../../src/deploy/change-set.js';
import { FakeClock } from '../support/context.js';

/** A StackApi whose change set answers `states` in turn (the last one forever); records each read's time. */
function changeSets(clock: FakeClock, states: ChangeSetStatus['status'][], reason = 'boom') {
  const reads: number[] = [];
  const created: string[] = [];
  const api = {
    createChangeSet: async (stack: string) => {
      created.push(stack);
      return 'arn:cs/1';
    },
    describeChangeSet: async (id: string): Promise<ChangeSetStatus> => {
      reads.push(clock.now());
      const status = states[Math.min(reads.length - 1, states.length - 1)] ?? 'pending';
      if (status === 'ready') return { status, id, changes: [{ action: 'Modify', logicalId: 'NodeGroup', type: 'AWS::AutoScaling::AutoScalingGroup', scope: [] }] };
      if (status === 'failed') return { status, id, reason };
      return { status, id };
    },
  } as unknown as StackApi;
  return { api, reads, created };
}

const request = { name: 'elasticrtc-update-1', templateBody: '{}', parameters: {}, tags: {} };

describe('prepareChangeSet: the wait for CloudFormation to compute a change set, on the injected clock', () => {
  it('reads it after 1 s, 2 s, 4 s, then every 5 s, until it is ready', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const cs = changeSets(clock, ['pending', 'pending', 'pending', 'pending', 'pending', 'ready']);
    const state = await prepareChangeSet(cs.api, 'demo', request, clock);
    expect(state).toMatchObject({ status: 'ready', id: 'arn:cs/1', changes: [{ logicalId: 'NodeGroup' }] });
    expect(cs.created).toEqual(['demo']);
    expect(cs.reads.map((t) => t - t0)).toEqual([0, 1000, 3000, 7000, 12_000, 17_000]);
    expect([0, 1, 2, 3, 4, 10].map(changeSetPollDelay)).toEqual([1000, 2000, 4000, 5000, 5000, 5000]);
  });

  it.each([
    ["The submitted information didn't contain changes. Submit different information to create a change set.", 'empty'],
    ['No updates are to be performed.', 'empty'],
    ['Template format error: Unresolved resource dependencies [X]', 'failed'],
  ])('a failed change set saying "%s" is %s', async (reason, status) => {
    const clock = new FakeClock();
    const state = await prepareChangeSet(changeSets(clock, ['pending', 'failed'], reason).api, 'demo', request, clock);
    expect(state.status).toBe(status);
    if (state.status === 'failed') expect(state.reason).toBe(reason);
  });

  it('gives up after 10 minutes: a failed change set the caller deletes', async () => {
    const clock = new FakeClock();
    const t0 = clock.now();
    const state = await prepareChangeSet(changeSets(clock, ['pending']).api, 'demo', request, clock);
    expect(state).toMatchObject({ status: 'failed', id: 'arn:cs/1', reason: expect.stringContaining('within 10 minutes') });
    expect(clock.now() - t0).toBeGreaterThanOrEqual(CHANGE_SET_WAIT_MS);
    expect(clock.now() - t0).toBeLessThan(CHANGE_SET_WAIT_MS + 5000);
  });
});
