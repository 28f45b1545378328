/** A node as placement sees it. */
export interface Candidate {
  id: string;
  state: 'SERVING' | 'DRAINING';
  /** False when its status is stale or its KMS unreachable. */
  fresh: boolean;
  /** Load in percent: Σ cost / CPUs, with what this controller placed but KMS has not reported yet. */
  load: number;
  pipelines: number;
}

/**
 * The power of two random choices among fresh SERVING nodes not yet tried: two picked at random, the
 * less loaded wins (then the one with fewer pipelines). `random` returns [0, 1).
 */
export function choose(nodes: readonly Candidate[], tried: ReadonlySet<string>, random: () => number = Math.random): Candidate | undefined {
  const pool = nodes.filter((n) => n.state === 'SERVING' && n.fresh && !tried.has(n.id));
  if (pool.length <= 1) return pool[0];
  const a = Math.floor(random() * pool.length);
  let b = Math.floor(random() * (pool.length - 1));
  if (b >= a) b += 1;
  const x = pool[a] as Candidate;
  const y = pool[b] as Candidate;
  if (x.load !== y.load) return x.load < y.load ? x : y;
  return x.pipelines <= y.pipelines ? x : y;
}
