import { randomUUID } from 'node:crypto';
import type WebSocket from 'ws';
import type { Cluster, ClusterNode } from './cluster.js';
import { KmsLink } from './kms-link.js';
import { choose } from './placement.js';
import { ERRORS, type RpcRequest, type RpcResponse, SERVER_MANAGER, errorResponse, isRequest, notFound } from './protocol.js';
import { route } from './route.js';
import { serverManager } from './server-manager.js';

export interface SessionOptions {
  cluster: Cluster;
  /** With TURN on: each new WebRtcEndpoint gets a fresh credential for its node's coturn. */
  turnUrl?: (nodeHost: string) => string | undefined;
  /** The id `connect` answers as `serverId`: the cluster's, the same at every controller. */
  serverId: string;
  log?: (line: string) => void;
}

/** A ServerManager subscription of the client, made on every node (later ones too). */
interface ClusterSubscription {
  type: string;
  perNode: Map<string, string>;
}

/**
 * One client WebSocket. Its Kurento session id V is used unchanged on every node it touches (one
 * upstream socket per node), so requests, answers and events pass through as they are, and any
 * controller can resume V.
 */
export class ClientSession {
  sessionId: string | undefined;
  readonly upstreams = new Map<string, KmsLink>();
  /** Client request ids waiting for an answer, by node, to fail them at once when the node is lost. */
  private readonly pending = new Map<string, Set<RpcResponse['id']>>();
  readonly subscriptions = new Map<string, ClusterSubscription>();
  private readonly offCluster: () => void;

  constructor(readonly client: WebSocket, private readonly o: SessionOptions) {
    this.offCluster = o.cluster.on((node, event) => (event === 'down' ? this.nodeLost(node) : void this.nodeUp(node)));
  }

  private send(msg: RpcResponse | RpcRequest): void {
    if (this.client.readyState === this.client.OPEN) this.client.send(JSON.stringify(msg));
  }

  private sessionFor(req: RpcRequest): string {
    if (typeof req.params?.sessionId === 'string') this.sessionId ??= req.params.sessionId;
    this.sessionId ??= randomUUID();
    return this.sessionId;
  }

  /** The upstream to a node for this session, opened on first use. */
  async upstream(node: ClusterNode): Promise<KmsLink> {
    let link = this.upstreams.get(node.id);
    if (!link || link.closed) {
      link = new KmsLink(node.address.kmsUrl, 'erc-up-');
      const opened = link;
      this.upstreams.set(node.id, link);
      link.onMessage = (msg, raw) => {
        if (!isRequest(msg)) this.pending.get(node.id)?.delete(msg.id);
        if (this.client.readyState === this.client.OPEN) this.client.send(raw);
      };
      link.onClose = () => {
        if (this.upstreams.get(node.id) === opened) this.upstreams.delete(node.id);
      };
    }
    await link.opened;
    return link;
  }

  /** Forwards a client request to a node, injecting V. */
  async forward(node: ClusterNode, req: RpcRequest): Promise<void> {
    const link = await this.upstream(node);
    const msg = { ...req, params: { ...req.params, sessionId: this.sessionFor(req) } };
    if (req.id !== undefined) {
      const set = this.pending.get(node.id) ?? new Set<RpcResponse['id']>();
      set.add(req.id);
      this.pending.set(node.id, set);
    }
    link.sendRaw(JSON.stringify(msg));
  }

  /** A request of the controller's own on V's upstream to a node (its answer stays here). */
  async own(node: ClusterNode, method: string, params: Record<string, unknown>): Promise<RpcResponse> {
    const link = await this.upstream(node);
    return link.request(method, { ...params, sessionId: this.sessionId });
  }

  async handle(text: string): Promise<void> {
    let req: RpcRequest;
    try {
      req = JSON.parse(text) as RpcRequest;
    } catch {
      return this.send(errorResponse(null, -32700, 'Parse error'));
    }
    if (!isRequest(req) || req.jsonrpc !== '2.0') return this.send(errorResponse(isRequest(req) ? (req.id ?? null) : null, -32600, 'Invalid request'));
    const id = req.id ?? null;
    try {
      const r = route(req);
      switch (r.kind) {
        case 'ping':
          return this.send({ jsonrpc: '2.0', id, result: { value: 'pong', ...(typeof req.params?.sessionId === 'string' ? { sessionId: req.params.sessionId } : {}) } });
        case 'connect':
          return await this.connect(req, r.sessionId);
        case 'every-upstream':
          return await this.everyUpstream(req);
        case 'place':
          return await this.place(req);
        case 'object':
          return await this.toObject(req, r.id);
        case 'transaction':
          return await this.transaction(req, r.ids);
        case 'server-manager':
          return await serverManager(this, req, this.o.cluster);
        case 'invalid':
          return this.send(errorResponse(id, -32601, r.message));
      }
    } catch (error) {
      this.send(errorResponse(id, -32000, error instanceof Error ? error.message : String(error)));
    }
  }

  respond(msg: RpcResponse): void {
    this.send(msg);
  }

  private async toObject(req: RpcRequest, objectId: string): Promise<void> {
    let node = this.o.cluster.nodeOf(objectId);
    if (!node) {
      await this.o.cluster.refresh();
      node = this.o.cluster.nodeOf(objectId);
    }
    if (!node) return this.send(notFound(req.id ?? null, objectId));
    if (req.method === 'create') return this.forwardCreate(node, req);
    return this.forward(node, req);
  }

  /** A create on a node: what it makes counts for placement before KMS reports it. */
  private async forwardCreate(node: ClusterNode, req: RpcRequest): Promise<void> {
    const link = await this.upstream(node);
    const answer = await link.request('create', { ...req.params, sessionId: this.sessionFor(req) }, 20_000);
    const value = answer.result?.value;
    if (typeof value === 'string') {
      this.o.cluster.created(node, value);
      if (req.params?.type === 'WebRtcEndpoint') await this.freshTurn(node, link, value);
    }
    this.send({ ...answer, id: req.id ?? null });
  }

  /**
   * KMS reads its configured TURN credential once, at start; a credential made now, given to the
   * endpoint before the client can ask it to gather candidates, never outlives its usefulness.
   */
  private async freshTurn(node: ClusterNode, link: KmsLink, endpoint: string): Promise<void> {
    const url = this.o.turnUrl?.(new URL(node.address.kmsUrl).hostname);
    if (!url) return;
    const r = await link.request('invoke', { object: endpoint, operation: 'setTurnUrl', operationParams: { turnUrl: url }, sessionId: this.sessionId });
    if (r.error) this.o.log?.(`node ${node.id}: setTurnUrl refused: ${r.error.message}`);
  }

  /** `create MediaPipeline`: placed by load; a node that answers 40009 (no resources) is skipped for the next. */
  private async place(req: RpcRequest): Promise<void> {
    const tried = new Set<string>();
    for (;;) {
      const pick = choose(this.o.cluster.candidates(), tried);
      const node = pick ? this.o.cluster.nodes.get(pick.id) : undefined;
      if (!node) return this.send(errorResponse(req.id ?? null, ERRORS.noNode, 'no media server can take a pipeline now', 'NOT_ENOUGH_RESOURCES'));
      tried.add(node.id);
      const link = await this.upstream(node).catch(() => undefined);
      if (!link) continue;
      const answer = await link.request('create', { ...req.params, sessionId: this.sessionFor(req) }, 20_000);
      if (answer.error?.code === ERRORS.notEnoughResources) continue;
      if (typeof answer.result?.value === 'string') this.o.cluster.created(node, answer.result.value);
      return this.send({ ...answer, id: req.id ?? null });
    }
  }

  /** A transaction goes whole to the node of the objects it names, or is placed when it makes its own pipeline. */
  private async transaction(req: RpcRequest, ids: string[]): Promise<void> {
    const known = ids.find((i) => this.o.cluster.nodeOf(i));
    if (ids.length > 0 && !known) await this.o.cluster.refresh();
    const target = ids.map((i) => this.o.cluster.nodeOf(i)).find(Boolean);
    let node = target;
    if (!node) {
      if (ids.length > 0) return this.send(notFound(req.id ?? null, ids[0] ?? ''));
      const pick = choose(this.o.cluster.candidates(), new Set());
      node = pick ? this.o.cluster.nodes.get(pick.id) : undefined;
    }
    if (!node) return this.send(errorResponse(req.id ?? null, ERRORS.noNode, 'no media server can take a pipeline now', 'NOT_ENOUGH_RESOURCES'));
    const link = await this.upstream(node);
    const answer = await link.request('transaction', { ...req.params, sessionId: this.sessionFor(req) }, 20_000);
    const results = answer.result?.value;
    if (Array.isArray(results)) for (const r of results) if (typeof r === 'object' && r && typeof (r as { value?: unknown }).value === 'string' && String((r as { value: string }).value).includes('_kurento.')) this.o.cluster.created(node, (r as { value: string }).value);
    this.send({ ...answer, id: req.id ?? null });
  }

  /** keepAlive and closeSession: to every node of the session, answered here. */
  private async everyUpstream(req: RpcRequest): Promise<void> {
    const v = this.sessionFor(req);
    const nodes = [...this.upstreams.keys()].map((id) => this.o.cluster.nodes.get(id)).filter((n): n is ClusterNode => n !== undefined && n.up);
    await Promise.all(nodes.map((n) => this.own(n, req.method, req.params ?? {})));
    this.send({ jsonrpc: '2.0', id: req.id ?? null, result: { sessionId: v } });
  }

  /** Resuming V here: each node that knows V re-binds it to this controller's upstream. */
  private async connect(req: RpcRequest, sessionId: string | undefined): Promise<void> {
    const id = req.id ?? null;
    if (sessionId === undefined) {
      const v = this.sessionFor(req);
      return this.send({ jsonrpc: '2.0', id, result: { sessionId: v, serverId: this.o.serverId } });
    }
    this.sessionId = sessionId;
    const nodes = this.o.cluster.up();
    const knows = await Promise.all(
      nodes.map(async (n) => {
        const r = await n.control?.request('invoke', { object: SERVER_MANAGER, operation: 'getSessions', operationParams: {} });
        return Array.isArray(r?.result?.value) && (r.result.value as unknown[]).includes(sessionId);
      }),
    );
    const holders = nodes.filter((_, i) => knows[i]);
    if (holders.length === 0) return this.send(errorResponse(id, ERRORS.invalidSession, `Invalid session: ${sessionId}`, 'INVALID_SESSION'));
    await Promise.all(holders.map((n) => this.own(n, 'connect', { sessionId })));
    this.send({ jsonrpc: '2.0', id, result: { sessionId, serverId: this.o.serverId } });
  }

  private nodeLost(node: ClusterNode): void {
    const ids = this.pending.get(node.id);
    this.pending.delete(node.id);
    for (const id of ids ?? []) this.send(errorResponse(id, ERRORS.nodeLost, `the media server ${node.id} was lost`, 'MEDIA_SERVER_LOST'));
    this.upstreams.get(node.id)?.close();
    this.upstreams.delete(node.id);
  }

  /** A node that joins later gets the client's ServerManager subscriptions. */
  private async nodeUp(node: ClusterNode): Promise<void> {
    if (!this.sessionId) return;
    for (const sub of this.subscriptions.values()) {
      const r = await this.own(node, 'subscribe', { object: SERVER_MANAGER, type: sub.type }).catch(() => undefined);
      if (typeof r?.result?.value === 'string') sub.perNode.set(node.id, r.result.value);
    }
  }

  /** The client left: its upstreams close at once; KMS's garbage collector gives the reconnection window. */
  close(): void {
    this.offCluster();
    for (const link of this.upstreams.values()) link.close();
    this.upstreams.clear();
  }
}
