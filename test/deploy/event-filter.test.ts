import { describe, expect, it } from 'vitest';
import { findOperationStart, reachedKnown, ResourceTracker, rootCause, selectNew } from '../../src/deploy/event-filter.js';
import { classifyStatus } from '../../src/deploy/status.js';
import { ev } from '../support/events.js';

describe('selectNew', () => {
  const old = ev('demo', 'CREATE_COMPLETE', 1, { token: 'earlier' });
  const a = ev('demo', 'UPDATE_IN_PROGRESS', 10);
  const b = ev('Vpc', 'UPDATE_IN_PROGRESS', 11);
  const c = ev('Vpc', 'UPDATE_COMPLETE', 12);

  it('returns only this operation’s unseen events, oldest first', () => {
    const cursor = { token: 'tok', since: 0, seen: new Set([a.id]) };
    expect(selectNew([c, b, a, old], cursor).map((e) => e.id)).toEqual([b.id, c.id]);
  });

  it('without a token, filters by the start time', () => {
    const cursor = { since: 10, seen: new Set<string>() };
    expect(selectNew([c, b, a, old], cursor).map((e) => e.id)).toEqual([a.id, b.id, c.id]);
  });

  it('with a token, matches by time the events that carry none (emulators that do not stamp it)', () => {
    const bare = (logicalId: string, status: string, t: number) => ev(logicalId, status, t, { token: undefined });
    const before = bare('demo', 'CREATE_COMPLETE', 9);
    const [x, y, z] = [bare('demo', 'UPDATE_IN_PROGRESS', 10), bare('Vpc', 'UPDATE_IN_PROGRESS', 11), bare('Vpc', 'UPDATE_COMPLETE', 12)];
    const cursor = { token: 'tok', since: 10, seen: new Set<string>() };
    expect(selectNew([z, y, x, before], cursor).map((e) => e.id)).toEqual([x.id, y.id, z.id]);
    // a stamped event of another operation still does not belong, whatever its time
    expect(selectNew([ev('Vpc', 'UPDATE_COMPLETE', 13, { token: 'other' }), z, y, x], cursor)).toEqual([]);
  });

  it('stops paging at a seen event or an earlier operation', () => {
    const cursor = { token: 'tok', since: 0, seen: new Set([b.id]) };
    const enough = reachedKnown(cursor);
    expect([c, b, a, old].map(enough)).toEqual([false, true, false, true]);
  });
});

describe('findOperationStart', () => {
  it('finds the latest operation start, with its token', () => {
    const events = [ev('Vpc', 'UPDATE_IN_PROGRESS', 11), ev('demo', 'UPDATE_IN_PROGRESS', 10, { token: 'u1' }), ev('demo', 'CREATE_COMPLETE', 5)];
    expect(findOperationStart(events)).toEqual({ token: 'u1', since: 10, seen: new Set() });
  });
  it('uses the time when the operation has no token', () => {
    const start = ev('demo', 'DELETE_IN_PROGRESS', 20, { token: undefined });
    expect(findOperationStart([start])).toEqual({ since: 20, seen: new Set() });
  });
});

describe('rootCause', () => {
  it('is the earliest failure with a real reason, not the cancellations after it', () => {
    const events = [
      ev('Vpc', 'CREATE_COMPLETE', 1),
      ev('NodeGroup', 'CREATE_FAILED', 2, { reason: 'Resource creation cancelled' }),
      ev('LoadBalancer', 'CREATE_FAILED', 3, { reason: 'not enough capacity' }),
      ev('Bucket', 'CREATE_FAILED', 4, { reason: 'access denied' }),
      ev('demo', 'ROLLBACK_IN_PROGRESS', 5, { reason: 'The following resource(s) failed to create' }),
    ];
    expect(rootCause(events)?.logicalId).toBe('LoadBalancer');
  });
  it('falls back to the stack event', () => {
    expect(rootCause([ev('demo', 'UPDATE_ROLLBACK_FAILED', 1, { reason: 'x' })])?.reason).toBe('x');
  });
});

describe('statuses', () => {
  it.each([
    ['CREATE_COMPLETE', 'succeeded'],
    ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'in-progress'], // 2016 called this a failure
    ['ROLLBACK_IN_PROGRESS', 'in-progress'],
    ['ROLLBACK_COMPLETE', 'rolled-back'],
    ['UPDATE_ROLLBACK_COMPLETE', 'rolled-back'],
    ['ROLLBACK_FAILED', 'needs-action'],
    ['DELETE_FAILED', 'needs-action'],
    ['UPDATE_ROLLBACK_FAILED', 'needs-action'],
    ['DELETE_COMPLETE', 'succeeded'],
  ])('%s is %s', (status, outcome) => expect(classifyStatus(status)).toBe(outcome));
});

describe('ResourceTracker', () => {
  it('counts settled resources and knows when the end is near', () => {
    const t = new ResourceTracker(2);
    t.apply(ev('demo', 'CREATE_IN_PROGRESS', 0));
    t.apply(ev('Vpc', 'CREATE_IN_PROGRESS', 1));
    expect(t.progress()).toEqual({ done: 0, inProgress: 1, total: 2 });
    t.apply(ev('Vpc', 'CREATE_COMPLETE', 2));
    expect(t.nearlyDone()).toBe(false);
    t.apply(ev('Bucket', 'CREATE_COMPLETE', 3));
    expect(t.progress()).toEqual({ done: 2, inProgress: 0, total: 2 });
    expect(t.nearlyDone()).toBe(true);
  });
});
