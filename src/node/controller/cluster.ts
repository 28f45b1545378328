import { kmsPipelines, kmsSession } from '../kms-rpc.js';
import { KmsLink } from './kms-link.js';
import type { Candidate } from './placement.js';
import { type RpcMessage, SERVER_MANAGER, isRequest, pipelineOf, typeOf } from './protocol.js';

/** A media node: its KMS, and its agent's status when it has one. */
export interface NodeAddress {
  id: string;
  kmsUrl: string;
  statusUrl?: string;
}

/** What a node's agent says of it (`GET /status`). */
export interface NodeStatus {
  state: 'SERVING' | 'DRAINING';
  load?: number;
  pipelines?: number;
}

/**
 * A node's load over a bounded span: one sample per `everyMs` (the highest load seen in that
 * interval), `spanMs` long at most, so memory stays constant however long the controller runs.
 */
export class LoadHistory {
  private readonly samples: { t: number; load: number }[] = [];
  private readonly capacity: number;

  constructor(readonly everyMs = 10_000, readonly spanMs = 3_600_000) {
    this.capacity = Math.ceil(spanMs / everyMs) + 1;
  }

  /** Records a load seen at `t` (ms): the interval's sample keeps the highest. */
  record(t: number, load: number): void {
    const at = Math.floor(t / this.everyMs) * this.everyMs;
    const last = this.samples.at(-1);
    if (last && last.t === at) last.load = Math.max(last.load, load);
    else if (!last || at > last.t) this.samples.push({ t: at, load });
    if (this.samples.length > this.capacity) this.samples.splice(0, this.samples.length - this.capacity);
  }

  /** The samples of the span that ends at `now`, oldest first. */
  since(now: number): { t: number; load: number }[] {
    return this.samples.filter((s) => s.t > now - this.spanMs).map((s) => ({ ...s }));
  }
}

/** A node as the controller keeps it. */
export class ClusterNode {
  control: KmsLink | undefined;
  /** The KMS session of the controller's own connection. */
  controlSession: string | undefined;
  up = false;
  state: NodeStatus['state'] = 'SERVING';
  statusAt = 0;
  cpus = 1;
  /** Live objects and their types, from KMS's ObjectCreated/ObjectDestroyed (seeded from getPipelines). */
  readonly objects = new Map<string, string>();
  readonly pipelines = new Set<string>();
  /** Objects this controller created that KMS has not reported yet: their cost counts already. */
  readonly placed = new Map<string, string>();
  /** Its load over the last hour (the inspector's chart). */
  readonly history: LoadHistory;
  constructor(readonly address: NodeAddress, historyEveryMs?: number) {
    this.history = new LoadHistory(historyEveryMs);
  }

  get id(): string {
    return this.address.id;
  }

  cost(costMap: Readonly<Record<string, number>>): number {
    let sum = 0;
    for (const type of this.objects.values()) sum += costMap[type] ?? 0;
    for (const [id, type] of this.placed) if (!this.objects.has(id)) sum += costMap[type] ?? 0;
    return sum;
  }

  /** Load in percent: load points (100 a CPU) over the CPUs. */
  load(costMap: Readonly<Record<string, number>>): number {
    return this.cost(costMap) / Math.max(1, this.cpus);
  }
}

export interface ClusterOptions {
  costMap: Readonly<Record<string, number>>;
  /** A status older than this is stale: the node is not placed on. */
  statusMaxAgeMs?: number;
  /** Each node is pinged this often; one unanswered ping within `pingTimeoutMs` loses it (a host that vanished sends no FIN). */
  pingEveryMs?: number;
  pingTimeoutMs?: number;
  now: () => number;
  /** One load sample per node this often (ms), kept for an hour; default 10 s. */
  historyEveryMs?: number;
  log?: (line: string) => void;
}

/** An object a node reported created or destroyed (its ServerManager's events). */
export type ObjectListener = (node: ClusterNode, event: 'created' | 'destroyed', id: string) => void;

const eventObject = (data: Record<string, unknown>): string | undefined => {
  const o = data.object ?? data.objectId;
  if (typeof o === 'string') return o;
  if (typeof o === 'object' && o !== null && typeof (o as { id?: unknown }).id === 'string') return (o as { id: string }).id;
  return undefined;
};

/**
 * The nodes and what lives on them. KMS is the source of truth: each node's ObjectCreated and
 * ObjectDestroyed events, on a connection of the controller's own, keep the pipeline → node map and
 * the load; nothing is shared between controllers.
 */
export class Cluster {
  readonly nodes = new Map<string, ClusterNode>();
  private readonly listeners = new Set<(node: ClusterNode, event: 'up' | 'down') => void>();
  private readonly objectListeners = new Set<ObjectListener>();
  private readonly now: () => number;
  private stopped = false;

  constructor(private readonly o: ClusterOptions) {
    this.now = o.now;
  }

  on(listener: (node: ClusterNode, event: 'up' | 'down') => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Listens to the objects every node reports created or destroyed; returns the unsubscriber. */
  onObject(listener: ObjectListener): () => void {
    this.objectListeners.add(listener);
    return () => this.objectListeners.delete(listener);
  }

  /** Records every node's load now in its history (the controller calls it every `historyEveryMs`). */
  sample(): void {
    const now = this.now();
    for (const n of this.nodes.values()) if (n.up) n.history.record(now, n.load(this.o.costMap));
  }

  /** Makes the node set this list: new nodes are connected, missing ones dropped. */
  async setNodes(addresses: readonly NodeAddress[]): Promise<void> {
    const ids = new Set(addresses.map((a) => a.id));
    for (const node of [...this.nodes.values()]) if (!ids.has(node.id)) this.drop(node);
    await Promise.all(addresses.filter((a) => !this.nodes.has(a.id)).map((a) => this.connect(new ClusterNode(a, this.o.historyEveryMs))));
  }

  private drop(node: ClusterNode): void {
    this.nodes.delete(node.id);
    node.control?.close();
    if (node.up) this.down(node);
  }

  private down(node: ClusterNode): void {
    node.up = false;
    node.objects.clear();
    node.pipelines.clear();
    node.placed.clear();
    for (const l of this.listeners) l(node, 'down');
  }

  private async connect(node: ClusterNode): Promise<void> {
    this.nodes.set(node.id, node);
    const link = new KmsLink(node.address.kmsUrl, 'erc-ctl-');
    node.control = link;
    link.onMessage = (msg) => this.event(node, msg);
    link.onClose = () => {
      if (node.up) {
        this.o.log?.(`node ${node.id}: media server connection lost`);
        this.down(node);
      }
      if (!this.stopped && this.nodes.get(node.id) === node) setTimeout(() => void this.connect(node), 1_000).unref();
    };
    try {
      await link.opened;
      const sub = await link.request('subscribe', { object: SERVER_MANAGER, type: 'ObjectCreated' });
      node.controlSession = sub.result?.sessionId;
      await link.request('subscribe', { object: SERVER_MANAGER, type: 'ObjectDestroyed', ...(sub.result?.sessionId ? { sessionId: sub.result.sessionId } : {}) });
      const cpus = await link.request('invoke', { object: SERVER_MANAGER, operation: 'getCpuCount', operationParams: {}, ...(sub.result?.sessionId ? { sessionId: sub.result.sessionId } : {}) });
      node.cpus = Number(cpus.result?.value) || 1;
      await this.seed(node);
      node.up = true;
      node.statusAt = node.address.statusUrl ? node.statusAt : this.now();
      for (const l of this.listeners) l(node, 'up');
      this.watch(node, link);
    } catch {
      link.close();
    }
  }

  /** Pings the node on its control link; a ping unanswered in time closes the link, which loses the node. */
  private watch(node: ClusterNode, link: KmsLink): void {
    const every = this.o.pingEveryMs ?? 500;
    const timeout = this.o.pingTimeoutMs ?? 1_000;
    const timer = setInterval(() => {
      if (link.closed) return clearInterval(timer);
      void link.request('ping', { interval: every }, timeout).then((r) => {
        if (r.error && !link.closed) {
          this.o.log?.(`node ${node.id}: no answer to ping within ${timeout} ms`);
          link.terminate();
        }
      });
    }, every);
    timer.unref();
  }

  /** The node's pipelines and their elements, read on a short session that references nothing afterwards. */
  private async seed(node: ClusterNode): Promise<void> {
    const pipelines = await kmsPipelines(node.address.kmsUrl);
    for (const p of pipelines) {
      node.pipelines.add(p);
      node.objects.set(p, typeOf(p));
    }
    if (pipelines.length === 0) return;
    const children = await kmsSession(
      node.address.kmsUrl,
      pipelines.map((p) => ({ method: 'invoke', params: { object: p, operation: 'getChildren', operationParams: {} } })),
    ).catch(() => []);
    for (const list of children) if (Array.isArray(list)) for (const id of list) if (typeof id === 'string') node.objects.set(id, typeOf(id));
  }

  private event(node: ClusterNode, msg: RpcMessage): void {
    if (!isRequest(msg) || msg.method !== 'onEvent') return;
    const value = (msg.params?.value ?? {}) as { type?: string; data?: Record<string, unknown> };
    const id = eventObject(value.data ?? {});
    if (!id) return;
    if (value.type === 'ObjectCreated') {
      node.objects.set(id, typeOf(id));
      node.placed.delete(id);
      if (!id.includes('/')) node.pipelines.add(id);
    } else if (value.type === 'ObjectDestroyed') {
      node.objects.delete(id);
      node.placed.delete(id);
      if (node.pipelines.delete(id)) for (const o of [...node.objects.keys()]) if (pipelineOf(o) === id) node.objects.delete(o);
    } else return;
    node.history.record(this.now(), node.load(this.o.costMap));
    for (const l of this.objectListeners) l(node, value.type === 'ObjectCreated' ? 'created' : 'destroyed', id);
  }

  /** The node holding a pipeline, as far as this controller knows. */
  nodeOf(objectId: string): ClusterNode | undefined {
    const p = pipelineOf(objectId);
    for (const n of this.nodes.values()) if (n.up && n.pipelines.has(p)) return n;
    return undefined;
  }

  /** Asks every node again for its pipelines (a miss may be a pipeline made through another controller a moment ago). */
  async refresh(): Promise<void> {
    await Promise.all(
      [...this.nodes.values()].filter((n) => n.up).map(async (n) => {
        for (const p of await kmsPipelines(n.address.kmsUrl).catch(() => [])) {
          n.pipelines.add(p);
          if (!n.objects.has(p)) n.objects.set(p, typeOf(p));
        }
      }),
    );
  }

  /** Records an object this controller just made, so placement counts it before KMS reports it. */
  created(node: ClusterNode, id: string): void {
    if (!node.objects.has(id)) node.placed.set(id, typeOf(id));
    if (!id.includes('/')) node.pipelines.add(id);
  }

  /** A node's status from its agent. */
  status(id: string, s: NodeStatus): void {
    const node = this.nodes.get(id);
    if (!node) return;
    node.state = s.state;
    node.statusAt = this.now();
  }

  candidates(): Candidate[] {
    const maxAge = this.o.statusMaxAgeMs ?? 10_000;
    return [...this.nodes.values()].map((n) => ({
      id: n.id,
      state: n.state,
      fresh: n.up && (!n.address.statusUrl || this.now() - n.statusAt <= maxAge),
      load: n.load(this.o.costMap),
      pipelines: n.pipelines.size,
    }));
  }

  up(): ClusterNode[] {
    return [...this.nodes.values()].filter((n) => n.up);
  }

  close(): void {
    this.stopped = true;
    for (const n of this.nodes.values()) n.control?.close();
  }
}
