/**
 * The inspector's nodes and pipelines, from what the controller already keeps (the cluster's
 * nodes, their objects from KMS's events, their load history, their agents' status), completed by
 * short-lived Kurento sessions: CPU and memory, pipelines' creation times, whether old pipelines
 * carry media. Never `getPipelines`: KMS refs every pipeline to its session "" for that call
 * (MediaSet::getPipelines), so polling it would keep leaked pipelines alive.
 */
import type { Cluster, ClusterNode } from '../cluster.js';
import { SERVER_MANAGER, pipelineOf } from '../protocol.js';
import { withSession } from './kms-session.js';
import { mediaFlowing, readPipeline, type PipelineView } from './pipeline.js';

export interface Thresholds {
  /** Load (percent) at which the scale-out alarm fires. */
  scaleOut: number;
  /** Load (percent) below which the scale-in alarm fires. */
  scaleIn: number;
}

/** A node agent's `GET /status` (src/node/agent/agent.ts). */
export interface AgentStatus {
  state: 'SERVING' | 'DRAINING';
  load?: number;
  pipelines?: number;
  cpus?: number;
  instanceId?: string;
  drain?: { startedAt: number; limitAt: number; end?: string };
}

export interface NodeView {
  id: string;
  /** Where its Kurento listens (host:port; the path, the api key, is never shown). */
  host: string;
  /** UP; DRAINING (no new pipelines); STALE (its agent's status is old: no new pipelines); LOST (its Kurento unreachable). */
  state: 'UP' | 'DRAINING' | 'STALE' | 'LOST';
  load: number;
  cpus: number;
  cpuPercent?: number;
  memoryKiB?: number;
  pipelines: number;
  elements: number;
  hasAgent: boolean;
  agentReachable?: boolean;
  drain?: { startedAt: number; limitAt: number; end?: string; pipelinesLeft: number };
  history: { t: number; load: number }[];
}

export interface PipelineRow {
  id: string;
  node: string;
  createdAt?: number;
  ageMs?: number;
  elements: number;
  possiblyLeaked: boolean;
  /** Why it is flagged, or why not. */
  leakReason: string;
}

export interface ViewOptions {
  cluster: Cluster;
  costMap: Readonly<Record<string, number>>;
  now: () => number;
  thresholds: Thresholds;
  /** A pipeline this old (ms) where no media flows in is possibly leaked; default 4 h. */
  leakAfterMs: number;
  /** How long an idle verdict is kept before it is asked again (ms); default 60 s. */
  flowCheckEveryMs?: number;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
};

export async function agentStatus(statusUrl: string): Promise<AgentStatus | undefined> {
  try {
    const res = await fetch(statusUrl, { signal: AbortSignal.timeout(1_500) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as AgentStatus;
    return body.state === 'SERVING' || body.state === 'DRAINING' ? body : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the nodes and pipelines views; keeps pipelines' creation times and idle verdicts (bounded by the live pipelines). */
export class ClusterViews {
  private readonly created = new Map<string, number>();
  private readonly flow = new Map<string, { at: number; flowing: boolean }>();

  constructor(private readonly o: ViewOptions) {}

  async nodes(): Promise<NodeView[]> {
    const fresh = new Map(this.o.cluster.candidates().map((c) => [c.id, c.fresh]));
    const nodes = [...this.o.cluster.nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
    return Promise.all(nodes.map((n) => this.node(n, fresh.get(n.id) ?? false)));
  }

  private async node(n: ClusterNode, fresh: boolean): Promise<NodeView> {
    const [agent, metrics] = await Promise.all([
      n.address.statusUrl ? agentStatus(n.address.statusUrl) : undefined,
      n.up
        ? withSession(n.address.kmsUrl, (s) => Promise.all([s.tryInvoke(SERVER_MANAGER, 'getUsedCpu', { interval: 250 }), s.tryInvoke(SERVER_MANAGER, 'getUsedMemory')]), 3_000).catch(() => undefined)
        : undefined,
    ]);
    const draining = n.state === 'DRAINING' || agent?.state === 'DRAINING';
    const state = !n.up ? 'LOST' : draining ? 'DRAINING' : fresh ? 'UP' : 'STALE';
    const [cpu, memory] = metrics ?? [];
    return {
      id: n.id,
      host: hostOf(n.address.kmsUrl),
      state,
      load: n.load(this.o.costMap),
      cpus: n.cpus,
      ...(typeof cpu === 'number' ? { cpuPercent: cpu } : {}),
      ...(typeof memory === 'number' ? { memoryKiB: memory } : {}),
      pipelines: n.pipelines.size,
      elements: [...n.objects.keys()].filter((id) => id.includes('/')).length,
      hasAgent: n.address.statusUrl !== undefined,
      ...(n.address.statusUrl ? { agentReachable: agent !== undefined } : {}),
      ...(agent?.drain ? { drain: { ...agent.drain, pipelinesLeft: n.pipelines.size } } : {}),
      history: n.history.since(this.o.now()),
    };
  }

  /** Every pipeline of the cluster (as this controller knows from the nodes' events), oldest first. */
  async pipelines(): Promise<PipelineRow[]> {
    const now = this.o.now();
    const rows: PipelineRow[] = [];
    const live = new Set<string>();
    await Promise.all(
      this.o.cluster.up().map(async (n) => {
        const ids = [...n.pipelines];
        for (const id of ids) live.add(id);
        await this.creationTimes(n, ids.filter((id) => !this.created.has(id)));
        await this.checkFlow(n, ids.filter((id) => now - (this.created.get(id) ?? now) >= this.o.leakAfterMs), now);
        for (const id of ids) {
          const createdAt = this.created.get(id);
          const ageMs = createdAt === undefined ? undefined : Math.max(0, now - createdAt);
          const flow = this.flow.get(id);
          const old = ageMs !== undefined && ageMs >= this.o.leakAfterMs;
          rows.push({
            id,
            node: n.id,
            ...(createdAt === undefined ? {} : { createdAt, ageMs }),
            elements: [...n.objects.keys()].filter((o) => o !== id && pipelineOf(o) === id).length,
            possiblyLeaked: old && flow?.flowing === false,
            leakReason: !old ? 'younger than the leak age' : flow === undefined ? 'media flow unknown' : flow.flowing ? 'media flows in' : 'old, and no media flows into any element',
          });
        }
      }),
    );
    // Forget what no node holds any more: memory follows the live pipelines.
    for (const id of this.created.keys()) if (!live.has(id)) this.created.delete(id);
    for (const id of this.flow.keys()) if (!live.has(id)) this.flow.delete(id);
    return rows.sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.id.localeCompare(b.id));
  }

  private async creationTimes(n: ClusterNode, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await withSession(n.address.kmsUrl, async (s) => {
      const times = await Promise.all(ids.map((id) => s.tryInvoke(id, 'getCreationTime')));
      times.forEach((t, i) => typeof t === 'number' && this.created.set(ids[i] as string, t * 1000));
    }).catch(() => undefined);
  }

  private async checkFlow(n: ClusterNode, ids: string[], now: number): Promise<void> {
    const every = this.o.flowCheckEveryMs ?? 60_000;
    const due = ids.filter((id) => now - (this.flow.get(id)?.at ?? -Infinity) >= every);
    if (due.length === 0) return;
    await withSession(n.address.kmsUrl, (s) =>
      Promise.all(
        due.map(async (id) => {
          const flowing = await mediaFlowing(s, id);
          if (flowing !== undefined) this.flow.set(id, { at: now, flowing });
        }),
      ),
    ).catch(() => undefined);
  }

  /** One pipeline's graph and statistics, on its node; undefined when no node holds it. */
  async pipeline(id: string): Promise<PipelineView | undefined> {
    const node = this.nodeOf(id);
    if (!node) return undefined;
    return withSession(node.address.kmsUrl, (s) => readPipeline(s, id, node.id));
  }

  nodeOf(pipelineId: string): ClusterNode | undefined {
    return this.o.cluster.up().find((n) => n.pipelines.has(pipelineId));
  }
}
