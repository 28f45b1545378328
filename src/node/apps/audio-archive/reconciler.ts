/**
 * The reconciler of one stream: for every slot old enough, the best staged copy becomes the one
 * archived object `final/…` (S3 conditional copy: written once, never replaced, never empty); a slot
 * no recorder has a byte of is reported. Progress is `state/<stream>.json`, advanced by conditional
 * writes, so any number of reconcilers may run at once and a restarted one resumes where the last
 * one stopped.
 */
import type { Clock } from '../../context.js';
import {
  bestCopy,
  finalKey,
  isoSecond,
  lastClosableSlot,
  parseIsoSecond,
  parseStagingKey,
  slotOf,
  slotStartMs,
  stagingPrefix,
  stateKey,
  type StagedCopy,
  type Stream,
} from './layout.js';
import { nap } from '../shared/nap.js';
import type { ArchiveStore, MissingSlotsMetric } from './store.js';

/** `state/<stream>.json`. */
export interface ReconcileState {
  stream: string;
  segmentSeconds: number;
  /** Start of the last slot closed (ISO, UTC): every slot up to it has its final object or was reported. */
  lastSlot: string;
  updatedAt: string;
  /** The latest slots reported missing (starts, ISO), oldest first, at most {@link MISSING_KEPT}. */
  missing: string[];
}

const MISSING_KEPT = 100;

/** What one pass did. */
export interface ReconcileResult {
  /** Slots closed by this pass (their starts, ISO); empty when there was nothing to close. */
  slots: string[];
  /** Final keys this pass wrote. */
  written: string[];
  /** Slots whose final object another pass (or reconciler) had written. */
  present: number;
  /** Slots with no non-empty copy and no final object (starts, ISO). */
  missing: string[];
  /** Whether this pass moved the progress; `false` when another reconciler moved it first. */
  advanced: boolean;
}

export interface ReconcilerOptions {
  stream: Stream;
  /** The metric's `Cluster` dimension. */
  cluster: string;
  store: ArchiveStore;
  metric: MissingSlotsMetric;
  clock: Clock;
  log(line: string): void;
  /** Seconds after a slot's end before it is closed. */
  graceSeconds: number;
  /** At most this many slots a pass (catching up after a long stop); default 288. */
  maxSlotsPerPass?: number;
}

export class ReconcileStateError extends Error {}

function readState(stream: string, value: unknown): ReconcileState {
  const s = value as Partial<ReconcileState> | null;
  if (typeof s !== 'object' || s === null || typeof s.lastSlot !== 'string' || parseIsoSecond(s.lastSlot) === undefined || typeof s.segmentSeconds !== 'number' || !(s.segmentSeconds > 0)) {
    throw new ReconcileStateError(`state/${stream}.json: expected {"lastSlot": "<ISO start>", "segmentSeconds": N, …}; fix or delete it`);
  }
  return { stream, segmentSeconds: s.segmentSeconds, lastSlot: s.lastSlot, updatedAt: String(s.updatedAt ?? ''), missing: Array.isArray(s.missing) ? s.missing.filter((m) => typeof m === 'string') : [] };
}

export class Reconciler {
  constructor(private readonly options: ReconcilerOptions) {}

  /** Closes the slots that are due; safe to run anywhere, any number of times, concurrently. */
  async runOnce(): Promise<ReconcileResult> {
    const { stream, store, clock } = this.options;
    const S = stream.segmentSeconds;
    const now = clock.now();
    const result: ReconcileResult = { slots: [], written: [], present: 0, missing: [], advanced: false };
    const saved = await store.readJson(stateKey(stream.name));
    const state = saved && readState(stream.name, saved.value);
    const nodes = (await store.list(stagingPrefix(stream.name), { delimiter: '/' })).prefixes;
    let from: number;
    if (state) {
      // The first slot after the last one closed (its length as it was then, should the setting have changed).
      const lastEnd = (parseIsoSecond(state.lastSlot) ?? 0) + state.segmentSeconds * 1000;
      from = Math.ceil(lastEnd / (S * 1000));
    } else {
      // Never run: from the first slot any recorder staged (no report for before the recorders began).
      const firsts = await Promise.all(nodes.map(async (p) => (await store.list(p, { maxKeys: 1 })).objects[0]));
      const starts = firsts.flatMap((o) => (o ? [parseStagingKey(stream.name, o.key, o.size)?.slotStart ?? Infinity] : []));
      if (starts.length === 0 || Math.min(...starts) === Infinity) return result;
      from = slotOf(Math.min(...starts), S);
    }
    const to = Math.min(lastClosableSlot(now, S, this.options.graceSeconds), from + (this.options.maxSlotsPerPass ?? 288) - 1);
    if (to < from) return result;

    const bySlot = await this.stagedCopies(nodes, from, to);
    for (let slot = from; slot <= to; slot++) {
      const start = slotStartMs(slot, S);
      result.slots.push(isoSecond(start));
      const target = finalKey(stream.name, start);
      const best = bestCopy(bySlot.get(slot) ?? []);
      const outcome = best
        ? await store.copyIfAbsent(best.key, target, {
            contentType: 'audio/mpeg',
            metadata: { slot: isoSecond(start), node: best.node, segment: best.segment, bytes: String(best.size) },
          })
        : 'no-source';
      if (outcome === 'copied') result.written.push(target);
      else if (outcome === 'exists' || (await store.exists(target))) result.present++;
      else result.missing.push(isoSecond(start));
    }

    const next: ReconcileState = {
      stream: stream.name,
      segmentSeconds: S,
      lastSlot: isoSecond(slotStartMs(to, S)),
      updatedAt: isoSecond(now),
      missing: [...(state?.missing ?? []), ...result.missing].slice(-MISSING_KEPT),
    };
    result.advanced = await store.writeJsonIf(stateKey(stream.name), next, saved?.etag);
    await this.report(result, next);
    return result;
  }

  /**
   * Only the reconciler whose progress write won reports its slots, so each missing slot is
   * counted once however many reconcilers ran over it; the others' slots are left to the winner.
   */
  private async report(result: ReconcileResult, next: ReconcileState): Promise<void> {
    const { cluster, stream, log, metric, clock } = this.options;
    const range = `${result.slots[0] ?? '?'} to ${next.lastSlot}`;
    if (!result.advanced) {
      // The usual case when both nodes run a pass at the same moment: said only when there is something to report.
      if (result.missing.length > 0) log(`${stream.name}: another reconciler recorded its progress first; the missing slots of ${range} are its to report`);
      return;
    }
    for (const slot of result.missing) log(`${stream.name}: slot ${slot} (${stream.segmentSeconds} s) is missing: no recorder has a non-empty copy`);
    if (result.written.length > 0 || result.missing.length > 0) {
      log(`${stream.name}: closed slots ${range}: ${result.written.length} archived, ${result.present} already archived, ${result.missing.length} missing`);
    }
    try {
      await metric.put({ cluster, stream: stream.name, count: result.missing.length, atMs: clock.now() });
    } catch (error) {
      log(`${stream.name}: cannot publish MissingSlots=${result.missing.length}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }

  /** Staged copies of slots `from`…`to`, by slot: one listing per recorder, from the first slot on. */
  private async stagedCopies(nodes: string[], from: number, to: number): Promise<Map<number, StagedCopy[]>> {
    const { stream, store } = this.options;
    const S = stream.segmentSeconds;
    const bySlot = new Map<number, StagedCopy[]>();
    for (const prefix of nodes) {
      // Keys sort by slot start within a recorder's prefix: `<prefix><start>` is just before the first slot's keys.
      const { objects } = await store.list(prefix, { startAfter: `${prefix}${isoSecond(slotStartMs(from, S))}` });
      for (const o of objects) {
        const copy = parseStagingKey(stream.name, o.key, o.size);
        if (!copy) continue;
        const slot = slotOf(copy.slotStart, S);
        if (slot < from || slot > to) continue;
        bySlot.set(slot, [...(bySlot.get(slot) ?? []), copy]);
      }
    }
    return bySlot;
  }

  /**
   * Runs a pass as each slot becomes due (its end + the grace + 1 s), until `signal` aborts; a
   * failed pass is logged and tried again at the next one.
   */
  async run(signal: AbortSignal): Promise<void> {
    const { stream, clock, log, graceSeconds } = this.options;
    const S = stream.segmentSeconds * 1000;
    while (!signal.aborted) {
      try {
        // Catching up (more slots due than a pass takes): the next pass at once.
        if ((await this.runOnce()).slots.length >= (this.options.maxSlotsPerPass ?? 288)) continue;
      } catch (error) {
        log(`${stream.name}: reconcile pass failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
      }
      const now = clock.now();
      const nextDue = (lastClosableSlot(now, stream.segmentSeconds, graceSeconds) + 2) * S + graceSeconds * 1000 + 1000;
      await nap(clock, Math.max(1000, nextDue - now), signal);
    }
  }
}
