import type { Clock } from '../context.js';

/** What a drain needs of the world: the node's pipelines, and the lifecycle action to hold and complete. */
export interface DrainPort {
  pipelines(): Promise<number>;
  heartbeat(): Promise<void>;
  complete(): Promise<void>;
}

export interface DrainOptions {
  /** The hook's heartbeat timeout, ms: the longest a node waits for its last pipeline. */
  limitMs: number;
  /** How often the pipelines are counted. */
  pollMs?: number;
  clock: Clock;
  log?: (line: string) => void;
}

export type DrainEnd = 'released' | 'limit';

/**
 * The drain of a leaving node: heartbeats every third of the limit keep the lifecycle action, and the
 * action completes (CONTINUE) exactly once, as soon as the last pipeline is released, or at the limit,
 * never before. A count that fails is not a release: the drain keeps waiting.
 */
export async function drain(port: DrainPort, o: DrainOptions): Promise<DrainEnd> {
  const started = o.clock.now();
  const poll = o.pollMs ?? 5_000;
  const every = Math.max(poll, Math.floor(o.limitMs / 3));
  let lastBeat = started;
  let end: DrainEnd = 'limit';
  for (;;) {
    const left = await port.pipelines().catch(() => -1);
    if (left === 0) {
      end = 'released';
      break;
    }
    const now = o.clock.now();
    if (now - started >= o.limitMs) break;
    if (now - lastBeat >= every) {
      await port.heartbeat().catch((e: unknown) => o.log?.(`heartbeat failed: ${String(e)}`));
      lastBeat = now;
    }
    await o.clock.sleep(Math.min(poll, started + o.limitMs - now));
  }
  o.log?.(end === 'released' ? 'last pipeline released' : `drain limit of ${o.limitMs / 1000} s reached`);
  await port.complete();
  return end;
}
