import WebSocket from 'ws';
import { ERRORS, type RpcResponse } from '../controller/protocol.js';

/** A Kurento request that failed: the server's error (with its code), or the cluster out of reach. */
export class KurentoError extends Error {
  constructor(
    message: string,
    /** Kurento's error code; undefined when the request never got an answer. */
    readonly code?: number,
  ) {
    super(message);
  }
}

export type ClusterState = 'up' | 'down';

export interface KurentoClientOptions {
  /** `ws[s]://host/<api-key>`: the cluster URL (or one Kurento server). */
  url: string;
  /** The link is up (again), or lost. `detail` says why, without the key. */
  onState?: (state: ClusterState, detail: string) => void;
  /** The session could not be resumed after a reconnection: every object of it is gone. */
  onSessionLost?: () => void;
  log?: (line: string) => void;
  /** A ping this often proves the link; unanswered within `timeoutMs`, the link is dropped. */
  pingIntervalMs?: number;
  /** A request (and a ping) unanswered this long fails. */
  timeoutMs?: number;
  /** Waits between reconnection attempts; the last one repeats. */
  retryMs?: readonly number[];
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

type EventHandler = (data: Record<string, unknown>) => void;

/** The URL with its key (the path) masked, for logs. */
export const maskedUrl = (url: string): string => url.replace(/^([a-z]+:\/\/[^/]+\/).+$/i, '$1****');

/**
 * A small typed Kurento client over one WebSocket: JSON-RPC requests with the session id adopted
 * from answers, `onEvent` dispatched per (object, event type), a ping to prove the link, and
 * reconnection that resumes the session (`connect {sessionId}`). While the link is down requests
 * fail at once with a KurentoError; the client keeps trying to reconnect until closed.
 */
export class KurentoClient {
  private ws: WebSocket | undefined;
  private sessionId: string | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, EventHandler>();
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private closed = false;
  private up = false;
  private readonly pingMs: number;
  private readonly timeoutMs: number;
  private readonly retryMs: readonly number[];

  constructor(private readonly o: KurentoClientOptions) {
    this.pingMs = o.pingIntervalMs ?? 10_000;
    this.timeoutMs = o.timeoutMs ?? 20_000;
    this.retryMs = o.retryMs ?? [250, 500, 1_000, 2_000, 5_000];
  }

  get state(): ClusterState {
    return this.up ? 'up' : 'down';
  }

  /** Starts connecting (and reconnecting, until close()). */
  start(): void {
    this.connect();
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(this.o.url, { handshakeTimeout: 5_000, perMessageDeflate: false, maxPayload: 16 * 1024 * 1024 });
    this.ws = ws;
    ws.on('open', () => void this.opened(ws));
    ws.on('message', (data) => this.onMessage(String(data)));
    let failure: string | undefined;
    ws.on('error', (e) => {
      failure = e.message;
      // Retries go on every few seconds: one line a minute is enough in the journal.
      if (this.attempt % 12 === 0) this.o.log?.(`${maskedUrl(this.o.url)}: ${e.message}`);
    });
    ws.on('close', (code) => this.lost(ws, failure ?? `the connection closed (code ${code})`));
  }

  private async opened(ws: WebSocket): Promise<void> {
    if (this.sessionId !== undefined) {
      try {
        await this.call('connect', { sessionId: this.sessionId }, ws);
      } catch (error) {
        if (ws !== this.ws) return;
        if (!(error instanceof KurentoError) || error.code !== ERRORS.invalidSession) {
          ws.terminate();
          return;
        }
        this.o.log?.('the Kurento session could not be resumed: its objects are gone');
        this.sessionId = undefined;
        this.handlers.clear();
        this.o.onSessionLost?.();
      }
    }
    if (ws !== this.ws) return;
    this.attempt = 0;
    this.up = true;
    this.pinger = setInterval(() => {
      this.call('ping', { interval: this.pingMs * 2 }, ws).catch(() => ws.terminate());
    }, this.pingMs);
    this.o.onState?.('up', `connected to ${maskedUrl(this.o.url)}`);
  }

  private lost(ws: WebSocket, why: string): void {
    if (ws !== this.ws) return;
    this.ws = undefined;
    clearInterval(this.pinger);
    this.pinger = undefined;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new KurentoError(`the media cluster cannot be reached: ${why}`));
      this.pending.delete(id);
    }
    if (this.up) {
      this.up = false;
      this.o.onState?.('down', why);
    } else if (this.attempt === 0) this.o.onState?.('down', why);
    if (this.closed) return;
    const wait = this.retryMs[Math.min(this.attempt, this.retryMs.length - 1)] ?? 1_000;
    this.attempt++;
    this.timer = setTimeout(() => this.connect(), wait);
  }

  private onMessage(text: string): void {
    let msg: RpcResponse & { method?: string; params?: { value?: { object?: string; type?: string; data?: Record<string, unknown> } } };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return;
    }
    if (msg.method === 'onEvent') {
      const v = msg.params?.value;
      const handler = v?.object && v.type ? this.handlers.get(key(v.object, v.type)) : undefined;
      if (handler) handler(v?.data ?? {});
      return;
    }
    const pending = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (!pending || typeof msg.id !== 'number') return;
    this.pending.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.error) return pending.reject(new KurentoError(`Kurento: ${msg.error.message}`, msg.error.code));
    if (typeof msg.result?.sessionId === 'string') this.sessionId = msg.result.sessionId;
    pending.resolve(msg.result?.value);
  }

  private call(method: string, params: Record<string, unknown>, ws = this.ws): Promise<unknown> {
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new KurentoError('the media cluster cannot be reached: not connected'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new KurentoError(`the media cluster did not answer ${method} within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      const withSession = this.sessionId !== undefined && method !== 'connect' ? { ...params, sessionId: this.sessionId } : params;
      ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: withSession }));
    });
  }

  /** A request on the session; its `result.value`. Fails at once while the link is down. */
  request(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (!this.up) return Promise.reject(new KurentoError('the media cluster cannot be reached: reconnecting'));
    return this.call(method, params);
  }

  /** Creates an object; its id. */
  async create(type: string, constructorParams: Record<string, unknown> = {}): Promise<string> {
    const id = await this.request('create', { type, constructorParams, properties: {} });
    if (typeof id !== 'string') throw new KurentoError(`Kurento answered create ${type} without an id`);
    return id;
  }

  invoke(object: string, operation: string, operationParams: Record<string, unknown> = {}): Promise<unknown> {
    return this.request('invoke', { object, operation, operationParams });
  }

  /** Subscribes to an event of an object; one handler per (object, type). */
  async subscribe(object: string, type: string, handler: EventHandler): Promise<void> {
    this.handlers.set(key(object, type), handler);
    try {
      await this.request('subscribe', { object, type });
    } catch (error) {
      this.handlers.delete(key(object, type));
      throw error;
    }
  }

  /** Releases an object (and so its children); their handlers go. */
  async release(object: string): Promise<void> {
    for (const k of [...this.handlers.keys()]) if (k.startsWith(`${object}\n`) || k.startsWith(`${object}/`)) this.handlers.delete(k);
    await this.request('release', { object });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    const ws = this.ws;
    this.ws = undefined;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new KurentoError('the Kurento client is closed'));
    }
    this.pending.clear();
    ws?.removeAllListeners();
    ws?.on('error', () => undefined);
    ws?.terminate();
  }
}

const key = (object: string, type: string) => `${object}\n${type}`;

/**
 * Releases of media objects that may fail while the cluster is out of reach: those are kept and retried
 * when it is back with the same session (`retry`), or forgotten when the session is gone (`forget`).
 */
export class PendingReleases {
  private readonly unreleased = new Set<string>();

  constructor(
    private readonly media: { release(id: string): Promise<unknown> },
    private readonly log: (line: string) => void,
  ) {}

  release(id: string): void {
    this.media.release(id).catch((error: unknown) => {
      this.unreleased.add(id);
      this.log(`release of ${id} failed (${error instanceof Error ? error.message : String(error)}): retried when the cluster is back`);
    });
  }

  retry(): void {
    const ids = [...this.unreleased];
    this.unreleased.clear();
    for (const id of ids) this.release(id);
  }

  forget(): void {
    this.unreleased.clear();
  }
}
