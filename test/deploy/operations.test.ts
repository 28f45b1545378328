import { describe, expect, it } from 'vitest';
import type { StackEvent } from '../../src/aws/stack-api.js';
import { groupOperations, readsEnough } from '../../src/deploy/operations.js';
import { ev } from '../support/events.js';

/** Events given oldest first, handed over newest first as DescribeStackEvents pages them. */
const newestFirst = (...events: StackEvent[]): StackEvent[] => [...events].reverse();

const create = (t: number, token = 'c1'): StackEvent[] => [
  ev('demo', 'CREATE_IN_PROGRESS', t, { token, reason: 'User Initiated' }),
  ev('Vpc', 'CREATE_IN_PROGRESS', t + 1, { token }),
  ev('Vpc', 'CREATE_COMPLETE', t + 2, { token }),
  ev('demo', 'CREATE_COMPLETE', t + 3, { token }),
];

describe('groupOperations', () => {
  it('lists operations newest first with kind, times, final status and outcome', () => {
    const events = [
      ...create(1_000),
      ev('demo', 'UPDATE_IN_PROGRESS', 5_000, { token: 'u1' }),
      ev('NodeGroup', 'UPDATE_IN_PROGRESS', 5_001, { token: 'u1' }),
      ev('NodeGroup', 'UPDATE_COMPLETE', 5_002, { token: 'u1' }),
      ev('demo', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 5_003, { token: 'u1' }),
      ev('demo', 'UPDATE_COMPLETE', 65_000, { token: 'u1' }),
      ev('demo', 'DELETE_IN_PROGRESS', 70_000, { token: 'd1' }),
    ];
    const { operations, truncated } = groupOperations(newestFirst(...events));
    expect(operations).toEqual([
      { kind: 'delete', started: 70_000, status: 'DELETE_IN_PROGRESS', outcome: 'in-progress', token: 'd1' },
      { kind: 'update', started: 5_000, ended: 65_000, status: 'UPDATE_COMPLETE', outcome: 'succeeded', token: 'u1' },
      { kind: 'create', started: 1_000, ended: 1_003, status: 'CREATE_COMPLETE', outcome: 'succeeded', token: 'c1' },
    ]);
    expect(truncated).toBe(false);
  });

  it('names the root cause of a failed create, not the cancelled resources, and keeps the rollback in it', () => {
    const failed = ev('LoadBalancer', 'CREATE_FAILED', 12, { reason: 'Not enough IP space available in subnet' });
    const events = [
      ev('demo', 'CREATE_IN_PROGRESS', 10),
      ev('Vpc', 'CREATE_IN_PROGRESS', 11),
      failed,
      ev('Vpc', 'CREATE_FAILED', 13, { reason: 'Resource creation cancelled' }),
      ev('NodeGroup', 'CREATE_FAILED', 13, { reason: 'Resource creation cancelled' }),
      ev('demo', 'ROLLBACK_IN_PROGRESS', 14, { reason: 'The following resource(s) failed to create: [LoadBalancer, Vpc, NodeGroup]. Rollback requested by user.' }),
      ev('Vpc', 'DELETE_COMPLETE', 15),
      ev('demo', 'ROLLBACK_COMPLETE', 16),
    ];
    const { operations } = groupOperations(newestFirst(...events));
    expect(operations).toHaveLength(1);
    expect(operations[0]).toMatchObject({ kind: 'create', started: 10, ended: 16, status: 'ROLLBACK_COMPLETE', outcome: 'rolled-back' });
    expect(operations[0]?.cause).toBe(failed);
  });

  it('gives each failed update its own cause, and none to the operations that succeeded', () => {
    const first = ev('NodeGroup', 'UPDATE_FAILED', 21, { reason: 'You have requested more instances than your current instance limit' });
    const second = ev('LaunchTemplate', 'UPDATE_FAILED', 31, { reason: 'The image id does not exist' });
    const events = [
      ...create(1),
      ev('demo', 'UPDATE_IN_PROGRESS', 20),
      first,
      ev('demo', 'UPDATE_ROLLBACK_IN_PROGRESS', 22, { reason: 'The following resource(s) failed to update: [NodeGroup].' }),
      ev('NodeGroup', 'UPDATE_IN_PROGRESS', 23),
      ev('NodeGroup', 'UPDATE_COMPLETE', 24),
      ev('demo', 'UPDATE_ROLLBACK_COMPLETE', 25),
      ev('demo', 'UPDATE_IN_PROGRESS', 30),
      second,
      ev('demo', 'UPDATE_ROLLBACK_IN_PROGRESS', 32),
      ev('demo', 'UPDATE_ROLLBACK_FAILED', 33, { reason: 'The following resource(s) failed to update: [LaunchTemplate].' }),
    ];
    const ops = groupOperations(newestFirst(...events)).operations;
    expect(ops.map((o) => [o.kind, o.status, o.outcome, o.cause?.id])).toEqual([
      ['update', 'UPDATE_ROLLBACK_FAILED', 'needs-action', second.id],
      ['update', 'UPDATE_ROLLBACK_COMPLETE', 'rolled-back', first.id],
      ['create', 'CREATE_COMPLETE', 'succeeded', undefined],
    ]);
  });

  it('names the resource that blocks a failed delete', () => {
    const blocked = ev('Vpc', 'DELETE_FAILED', 42, { reason: 'The vpc has dependencies and cannot be deleted' });
    const events = [...create(1), ev('demo', 'DELETE_IN_PROGRESS', 40), ev('Vpc', 'DELETE_IN_PROGRESS', 41), blocked, ev('demo', 'DELETE_FAILED', 43)];
    const [op] = groupOperations(newestFirst(...events)).operations;
    expect(op).toMatchObject({ kind: 'delete', status: 'DELETE_FAILED', outcome: 'needs-action', ended: 43 });
    expect(op?.cause).toBe(blocked);
  });

  it('falls back to the stack’s reason for rolling back when no resource failed', () => {
    const rollback = ev('demo', 'ROLLBACK_IN_PROGRESS', 3, { reason: 'Stack creation time exceeded the specified timeout. Rollback requested by user.' });
    const [op] = groupOperations(newestFirst(ev('demo', 'CREATE_IN_PROGRESS', 1), rollback, ev('demo', 'ROLLBACK_COMPLETE', 5))).operations;
    expect(op?.cause).toBe(rollback);
  });

  it('keeps the newest `limit` operations and says older ones exist', () => {
    const events = [...create(1)];
    for (let i = 1; i <= 5; i++) events.push(ev('demo', 'UPDATE_IN_PROGRESS', i * 100), ev('demo', 'UPDATE_COMPLETE', i * 100 + 50));
    const all = groupOperations(newestFirst(...events));
    expect(all.operations).toHaveLength(6);
    expect(all.truncated).toBe(false);
    const some = groupOperations(newestFirst(...events), 2);
    expect(some.operations.map((o) => o.started)).toEqual([500, 400]);
    expect(some.truncated).toBe(true);
  });

  it('leaves out events of an operation whose start was not read, and says the history is partial', () => {
    const events = [ev('NodeGroup', 'UPDATE_COMPLETE', 5), ev('demo', 'UPDATE_COMPLETE', 6), ev('demo', 'UPDATE_IN_PROGRESS', 10), ev('demo', 'UPDATE_COMPLETE', 11)];
    const { operations, truncated } = groupOperations(newestFirst(...events));
    expect(operations).toEqual([expect.objectContaining({ kind: 'update', started: 10, status: 'UPDATE_COMPLETE' })]);
    expect(truncated).toBe(true);
  });

  it('reads a change-set creation (REVIEW_IN_PROGRESS, then CREATE_IN_PROGRESS) as one create', () => {
    const events = [ev('demo', 'REVIEW_IN_PROGRESS', 1), ev('demo', 'CREATE_IN_PROGRESS', 2), ev('demo', 'CREATE_COMPLETE', 3)];
    expect(groupOperations(newestFirst(...events))).toEqual({ operations: [expect.objectContaining({ kind: 'create', started: 1, ended: 3, status: 'CREATE_COMPLETE' })], truncated: false });
  });

  it('works without tokens (endpoints that do not stamp them)', () => {
    const events = create(1).map((e) => ({ ...e, token: undefined }));
    const [op] = groupOperations(newestFirst(...events)).operations;
    expect(op).toEqual({ kind: 'create', started: 1, ended: 4, status: 'CREATE_COMPLETE', outcome: 'succeeded' });
  });

  it('is empty for no events', () => {
    expect(groupOperations([])).toEqual({ operations: [], truncated: false });
  });
});

describe('readsEnough', () => {
  it('stops paging once the starts of `limit` operations were read, counting each event once', () => {
    const [a, b, c] = [ev('demo', 'UPDATE_IN_PROGRESS', 3), ev('demo', 'UPDATE_IN_PROGRESS', 2), ev('demo', 'CREATE_IN_PROGRESS', 1)];
    const enough = readsEnough(2);
    expect([ev('Vpc', 'UPDATE_COMPLETE', 4), a, a].map(enough)).toEqual([false, false, false]);
    expect([b, c].map(enough)).toEqual([true, true]);
  });
});
