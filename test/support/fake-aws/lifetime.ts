/**
 * When a piece of service state (a bucket, a record set, a secret, a certificate use) exists.
 * A moment is a time, or a stack event: state a stack creates appears when its resource's
 * `*_COMPLETE` event happens and goes when its `DELETE_COMPLETE` happens, so it follows the
 * virtual clock like the stack does, and a cancelled event never happens.
 */
import { happened, type StackEvent } from './stack.js';

/** A time (milliseconds since the epoch) or a stack event. */
export type Moment = number | StackEvent;

/** From `from` until `until` (exclusive; never when absent). */
export interface Lifetime {
  from: Moment;
  until?: Moment;
}

/** The stack resource a piece of state belongs to. */
export interface Origin {
  stackId: string;
  logicalId: string;
  physicalId: string;
}

/** State with a life, and the stack resource behind it, if any. */
export interface Lived {
  life: Lifetime;
  origin?: Origin;
}

/** Whether a moment has come by `t` (a cancelled event never comes). */
export function reached(m: Moment | undefined, t: number): boolean {
  if (m === undefined) return false;
  return typeof m === 'number' ? m <= t : happened(m, t);
}

/** Whether the state exists at `t`. */
export function aliveAt(x: Lived, t: number): boolean {
  return reached(x.life.from, t) && !reached(x.life.until, t);
}

/** The time of a moment, `undefined` for a cancelled event. */
export function timeOf(m: Moment): number | undefined {
  if (typeof m === 'number') return m;
  return m.cancelled ? undefined : m.ts;
}

/** Whether an end is set and still going to happen (or has happened). */
function ends(m: Moment | undefined): boolean {
  return m !== undefined && (typeof m === 'number' || !m.cancelled);
}

/** Ends the life of the newest state with that origin whose end is not set yet. */
export function endLife(list: Lived[], origin: Origin, until: Moment): void {
  for (let i = list.length - 1; i >= 0; i--) {
    const x = list[i];
    const o = x?.origin;
    if (!x || !o || o.stackId !== origin.stackId || o.logicalId !== origin.logicalId || o.physicalId !== origin.physicalId) continue;
    if (typeof x.life.from !== 'number' && x.life.from.cancelled) continue;
    if (ends(x.life.until)) continue;
    x.life.until = until;
    return;
  }
}
