/**
 * A faithful fake Kurento Media Server 7.3.0 for offline tests: its JSON-RPC over WebSocket on
 * 127.0.0.1, ported from KMS's ServerMethods, MediaSet and WebSocketTransport, with knobs to make
 * it slow, full, scripted, lost or restarted. See README.md for what it does and where it differs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { eventsOf } from './catalog.js';
import { MediaSet } from './media-set.js';
import { MediaObj } from './model.js';
import type { ObjectContext, ServerConfig } from './objects.js';
import { NoReply, ServerMethods } from './server-methods.js';
import { isObject } from './json.js';
import type { MediaPlane } from './media-plane.js';
import { Transport, type DownMode, type SocketState } from './transport.js';

export { FINGERPRINT, hostCandidate } from './sdp.js';
export { Kms as KmsCode } from './errors.js';
export type { DownMode } from './transport.js';

/** Time as the fake sees it. `sleep` (if given) is used by `getUsedCpu`. */
export interface FakeKmsClock {
  now(): number;
  sleep?(ms: number): Promise<void>;
}

export interface FakeKmsOptions {
  /** The WebSocket path, without the leading '/' (KMS `mediaServer.net.websocket.path`). Default 'kurento'. */
  path?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Seconds (KMS `mediaServer.resources.garbageCollectorPeriod`). Default 240. */
  garbageCollectorPeriod?: number;
  /** KMS `mediaServer.resources.disableRequestCache`. */
  disableRequestCache?: boolean;
  /** Injected clock. Without one the fake uses real time and runs its GC on a real timer. */
  clock?: FakeKmsClock;
  /** Delay before each answer, ms. */
  latencyMs?: number;
  /** `create MediaPipeline` beyond this many live pipelines answers 40009. */
  maxPipelines?: number;
  /** Address of ICE candidates and SDP when an endpoint has no externalIPv4. Default 127.0.0.1. */
  candidateIp?: string;
  server?: Partial<Omit<ServerConfig, 'candidateIp'>>;
  /**
   * `'werift'`: WebRtcEndpoints get a real media plane (werift peers: ICE on `candidateIp`, DTLS,
   * SRTP; `connect` forwards RTP), and a PlayerEndpoint's `play` pulls its `uri` with ffmpeg (VP8
   * RTP to the endpoints it feeds). Default: none, no media flows (and werift is not loaded).
   */
  media?: 'werift';
}

export interface LoggedRequest {
  socketId: number;
  /** The session it ran in: the request's (or the socket's) sessionId, else the one it created. */
  sessionId: string | undefined;
  id: unknown;
  method: string;
  /** As received, before KMS injects the socket's session. */
  params: unknown;
}

export interface FakeKmsObject {
  id: string;
  type: string;
  parent: string | undefined;
  sessions: string[];
  name: string;
  tags: Record<string, string>;
  constructorParams: Record<string, unknown>;
  /** `create`'s `properties`, which KMS ignores. */
  createProperties: unknown;
}

export interface FakeKmsSession {
  id: string;
  objects: string[];
  /** Tracked by the garbage collector (KMS sessionInUse). */
  inUse: boolean;
  /** The socket it is bound to now. */
  socketId: number | undefined;
}

interface Incarnation {
  serverId: string;
  set: MediaSet;
  methods: ServerMethods;
  nextGcAt: number;
  /** Closes the media plane's peers, if it has any. */
  closeMedia(): Promise<void>;
}

const realClock: FakeKmsClock = { now: () => Date.now() };

export class FakeKms {
  readonly path: string;
  /** Delay before each answer, ms; may be changed at any time. */
  latencyMs: number;
  /** Live pipelines allowed; `create MediaPipeline` beyond answers 40009. */
  maxPipelines: number | undefined;
  /** Every request received, in order (kept across restarts). */
  readonly requests: LoggedRequest[] = [];
  private readonly transport: Transport;
  private readonly clock: FakeKmsClock;
  private readonly periodMs: number;
  private readonly config: ServerConfig;
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly outbox = new AsyncLocalStorage<[string, string][]>();
  private gcTimer: NodeJS.Timeout | undefined;
  private nextPort = 50_000;
  private node!: Incarnation;
  /** Makes the media plane of an incarnation (loaded by start() when `media` asks for one). */
  private mediaPlane: ((set: MediaSet) => MediaPlane) | undefined;
  /** Requests whose answer (and the events they raised) went out: later events go out at once. */
  private readonly flushed = new WeakSet<object>();

  constructor(private readonly options: FakeKmsOptions = {}) {
    this.path = options.path ?? 'kurento';
    this.latencyMs = options.latencyMs ?? 0;
    this.maxPipelines = options.maxPipelines;
    this.clock = options.clock ?? realClock;
    this.periodMs = (options.garbageCollectorPeriod ?? 240) * 1000;
    this.config = { version: '7.3.0', cpuCount: 2, usedCpu: 5, usedMemory: 262_144, metadata: '', ...options.server, candidateIp: options.candidateIp ?? '127.0.0.1' };
    this.transport = new Transport(this.path, { message: (s, t) => this.onMessage(s, t), closed: (s, session) => this.onClosed(session) });
    this.node = this.incarnate();
  }

  async start(): Promise<this> {
    if (this.options.media === 'werift') {
      const { WeriftMediaPlane } = await import('./media-plane.js');
      const ip = this.config.candidateIp;
      this.mediaPlane = (set) => new WeriftMediaPlane(set, ip);
    }
    await this.transport.listen(this.options.port ?? 0);
    if (!this.options.clock) {
      this.gcTimer = setInterval(() => this.tick(), Math.min(this.periodMs, 1000));
      this.gcTimer.unref();
    }
    return this;
  }

  get port(): number {
    return this.transport.port;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/${this.path}`;
  }

  /** KMS's instanceId, answered by `connect`; new on every restart. */
  get serverId(): string {
    return this.node.serverId;
  }

  /** Open WebSocket connections. */
  get socketCount(): number {
    return this.transport.socketCount;
  }

  /** Connections left hanging by a killed node ('hang' mode). */
  get stalledConnections(): number {
    return this.transport.stalledCount;
  }

  private incarnate(): Incarnation {
    let media: MediaPlane | undefined;
    const set = new MediaSet(() => this.clock.now(), (session, message) => this.deliver(session, message), (obj) => media?.destroyed(obj));
    const plane = () => (media ??= this.mediaPlane?.(set));
    const ctx: ObjectContext = {
      set,
      config: this.config,
      now: () => this.clock.now(),
      sleep: (ms) => (this.clock.sleep ? this.clock.sleep(ms) : new Promise((r) => setTimeout(r, ms))),
      allocatePort: () => (this.nextPort += 2),
      get media() {
        return plane();
      },
    };
    const serverId = randomUUID();
    const methods = new ServerMethods(ctx, { serverId, disableRequestCache: this.options.disableRequestCache ?? false, maxPipelines: () => this.maxPipelines });
    return { serverId, set, methods, nextGcAt: this.clock.now() + this.periodMs, closeMedia: async () => media?.close() };
  }

  /** Events raised while a request is handled go out after its answer; others go out at once. */
  private deliver(session: string, message: string): void {
    // A media plane raises events from callbacks that may still carry a finished request's store.
    const box = this.outbox.getStore();
    if (box && !this.flushed.has(box)) box.push([session, message]);
    else this.transport.sendToSession(session, message);
  }

  private async onMessage(socket: SocketState, text: string): Promise<void> {
    if (this.transport.down) return;
    this.tick();
    const node = this.node;
    const box: [string, string][] = [];
    let logged: LoggedRequest | undefined;
    try {
      const raw: unknown = JSON.parse(text);
      if (isObject(raw) && typeof raw['method'] === 'string') {
        logged = { socketId: socket.id, sessionId: undefined, id: raw['id'], method: raw['method'], params: raw['params'] };
        this.requests.push(logged);
      }
    } catch {
      // not JSON: ServerMethods throws, KMS answers nothing
    }
    let processed;
    try {
      processed = await this.outbox.run(box, () => node.methods.process(text, socket.session));
    } catch (e) {
      if (e instanceof NoReply) return;
      throw e;
    }
    if (node !== this.node || this.transport.down) return;
    if (logged) logged.sessionId = sessionOfRequest(processed.request, processed.response);
    if (processed.bindSession && this.transport.bind(socket, processed.bindSession)) {
      if (node.set.isInUse(processed.bindSession)) node.set.keepAlive(processed.bindSession);
    }
    const answer = () => {
      this.flushed.add(box);
      this.transport.send(socket, processed.response);
      for (const [session, message] of box) this.transport.sendToSession(session, message);
    };
    if (this.latencyMs <= 0) return answer();
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      answer();
    }, this.latencyMs);
    this.pending.add(timer);
  }

  private onClosed(session: string): void {
    if (this.transport.down) return;
    this.tick();
    // The transport's keep-alive thread marked the session while the socket was open.
    if (session && this.node.set.isInUse(session)) this.node.set.keepAlive(session);
  }

  /** Runs the garbage-collector passes that are due by the injected clock; returns the collected sessions. */
  tick(): string[] {
    const collected: string[] = [];
    while (this.clock.now() >= this.node.nextGcAt) {
      this.node.nextGcAt += this.periodMs;
      collected.push(...this.node.set.collect(this.transport.boundSessions()));
    }
    return collected;
  }

  /** One garbage-collector pass now (KMS `doGarbageCollection`); returns the collected sessions. */
  runGc(): string[] {
    return this.node.set.collect(this.transport.boundSessions());
  }

  /** Raises an event on an object, as its media engine would. */
  emit(objectId: string, type: string, data: Record<string, unknown> = {}): void {
    const obj = this.node.set.objects.get(objectId);
    if (!obj) throw new Error(`fake KMS has no object ${objectId}`);
    if (!eventsOf(obj.type).includes(type)) throw new Error(`${obj.type} does not raise ${type}`);
    this.node.set.raise(obj, type, data);
  }

  /** Drops every connection (clients see 1006 and reconnect); sessions and objects stay. */
  dropConnections(): void {
    this.transport.terminateAll();
  }

  /**
   * A lost node: every connection dropped, nothing answered any more. New connections hang
   * (an unreachable host) or are refused (a dead process on a live host).
   */
  kill(mode: DownMode = 'hang'): void {
    this.transport.down = mode;
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    this.transport.terminateAll();
  }

  /**
   * KMS restarted: connections dropped, every object and session gone, a new serverId. After
   * kill(), this is the node coming back: connections left hanging complete now.
   */
  restart(): void {
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    const wasHanging = this.transport.down === 'hang';
    if (!wasHanging) this.transport.down = 'refuse';
    this.transport.terminateAll();
    void this.node.closeMedia();
    this.node = this.incarnate();
    this.transport.up();
  }

  async close(): Promise<void> {
    if (this.gcTimer) clearInterval(this.gcTimer);
    for (const t of this.pending) clearTimeout(t);
    this.pending.clear();
    await this.node.closeMedia();
    await this.transport.close();
  }

  /** Live pipeline ids. */
  pipelines(): string[] {
    return [...this.node.set.objects.values()].filter((o) => o.type === 'MediaPipeline').map((o) => o.id).sort();
  }

  /** Every live object but the ServerManager. */
  objects(): FakeKmsObject[] {
    const set = this.node.set;
    const plain = (v: unknown) => (v instanceof MediaObj ? v.id : v);
    return [...set.objects.values()]
      .filter((o) => o !== set.serverManager)
      .map((o) => ({
        id: o.id,
        type: o.type,
        parent: o.parent?.id,
        sessions: set.sessionsOf(o),
        name: o.name ?? o.id,
        tags: Object.fromEntries(o.tags),
        constructorParams: Object.fromEntries(Object.entries(o.constructorParams).map(([k, v]) => [k, plain(v)])),
        createProperties: o.createProperties,
      }));
  }

  /** Sessions that reference objects, are tracked by the GC, or are bound to a socket. */
  sessions(): FakeKmsSession[] {
    const set = this.node.set;
    const ids = new Set([...set.sessionIds(), ...set.liveSessions(), ...this.transport.boundSessions()]);
    return [...ids].sort().map((id) => ({ id, objects: set.objectsOf(id), inUse: set.isInUse(id), socketId: this.transport.socketOf(id) }));
  }
}

function sessionOfRequest(request: unknown, response: string): string | undefined {
  try {
    const result = response ? (JSON.parse(response) as { result?: { sessionId?: unknown } }).result : undefined;
    if (result && typeof result.sessionId === 'string') return result.sessionId;
  } catch {
    // empty frame
  }
  const params = isObject(request) ? request['params'] : undefined;
  return isObject(params) && typeof params['sessionId'] === 'string' ? params['sessionId'] : undefined;
}

/** Starts a fake KMS on 127.0.0.1; `fake.url` is `ws://127.0.0.1:PORT/<path>`. */
export async function startFakeKms(options: FakeKmsOptions = {}): Promise<FakeKms> {
  return new FakeKms(options).start();
}
