/**
 * A short-lived Kurento session for one inspection. KMS adds every object a session touches
 * (describe, invoke, subscribe) and its parents to that session, and keeps them alive while the
 * session lives (MediaSet.cpp); so each inspection opens its own session and, when done,
 * unsubscribes what it subscribed, unrefs what it touched and closes the session
 * (`closeSession` runs `unrefSession`), in that order. Inspecting never keeps a pipeline alive
 * beyond one request (or one bounded event tail).
 */
import { randomUUID } from 'node:crypto';
import { KmsLink } from '../kms-link.js';
import { type RpcMessage, type RpcResponse, isRequest } from '../protocol.js';

/** An error answer of Kurento to one request. */
export class KurentoCallError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** What `onEvent` carries: `{type, object, data}`. */
export interface KurentoEvent {
  type: string;
  object: string;
  data: Record<string, unknown>;
}

const TOUCHING = new Set(['describe', 'invoke', 'subscribe']);

export class InspectSession {
  /** Chosen here, as Kurento accepts a client's session id: every request is in this session from the first. */
  readonly sessionId = `erc-inspector-${randomUUID()}`;
  /** Objects this session touched: each is unreferenced on close. */
  private readonly touched = new Set<string>();
  private readonly subscriptions: { object: string; id: string }[] = [];
  private closing: Promise<void> | undefined;
  onEvent: (e: KurentoEvent) => void = () => undefined;
  onLost: () => void = () => undefined;

  private constructor(private readonly link: KmsLink, private readonly timeoutMs: number) {
    link.onMessage = (msg: RpcMessage) => {
      if (!isRequest(msg) || msg.method !== 'onEvent') return;
      const value = (msg.params?.value ?? {}) as Partial<KurentoEvent>;
      if (typeof value.type === 'string' && typeof value.object === 'string') this.onEvent({ type: value.type, object: value.object, data: value.data ?? {} });
    };
    link.onClose = () => {
      if (!this.closing) this.onLost();
    };
  }

  /** Opens a session on the KMS at `url` (its socket; the session itself begins with the first request). */
  static async open(url: string, timeoutMs = 5_000): Promise<InspectSession> {
    const link = new KmsLink(url, 'erc-insp-', timeoutMs);
    try {
      await link.opened;
    } catch (e) {
      link.close();
      throw e;
    }
    return new InspectSession(link, timeoutMs);
  }

  /** One request in this session; an error answer is returned, not thrown. */
  async call(method: string, params: Record<string, unknown>): Promise<RpcResponse> {
    if (TOUCHING.has(method) && typeof params.object === 'string') this.touched.add(params.object);
    return this.link.request(method, { ...params, sessionId: this.sessionId }, this.timeoutMs);
  }

  /** `invoke`: the operation's value, or a thrown {@link KurentoCallError}. */
  async invoke(object: string, operation: string, operationParams: Record<string, unknown> = {}): Promise<unknown> {
    const r = await this.call('invoke', { object, operation, operationParams });
    if (r.error) throw new KurentoCallError(r.error.code, r.error.message);
    return r.result?.value;
  }

  /** `invoke`, with undefined for an error answer (an object released meanwhile, an operation its class lacks). */
  async tryInvoke(object: string, operation: string, operationParams: Record<string, unknown> = {}): Promise<unknown> {
    return this.invoke(object, operation, operationParams).catch(() => undefined);
  }

  async describe(object: string): Promise<{ type: string; hierarchy: string[] } | undefined> {
    const r = await this.call('describe', { object });
    const v = r.result as { type?: unknown; hierarchy?: unknown } | undefined;
    return typeof v?.type === 'string' ? { type: v.type, hierarchy: Array.isArray(v.hierarchy) ? v.hierarchy.map(String) : [] } : undefined;
  }

  /** Subscribes to an event of an object; false when Kurento refused (an event its class lacks). */
  async subscribe(object: string, type: string): Promise<boolean> {
    const r = await this.call('subscribe', { object, type });
    if (typeof r.result?.value !== 'string') return false;
    this.subscriptions.push({ object, id: r.result.value });
    return true;
  }

  /** Releases an object (every session's reference to it): the admin action. */
  async release(object: string): Promise<void> {
    const r = await this.call('release', { object });
    if (r.error) throw new KurentoCallError(r.error.code, r.error.message);
  }

  /** Unsubscribes, unrefs everything touched, closes the session and its socket; never throws; once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.link.closed) {
        // One socket: Kurento handles these in the order sent.
        await Promise.all(this.subscriptions.splice(0).map((s) => this.call('unsubscribe', { object: s.object, subscription: s.id })));
        // Children before parents (unref cascades to children anyway; an unknown object is no error).
        await Promise.all([...this.touched].sort((a, b) => b.length - a.length).map((id) => this.call('unref', { object: id })));
        await this.call('closeSession', {});
      }
      this.link.close();
    })().catch(() => this.link.close());
    return this.closing;
  }
}

/** Runs `work` on a fresh session and always closes it. */
export async function withSession<T>(url: string, work: (s: InspectSession) => Promise<T>, timeoutMs?: number): Promise<T> {
  const session = await InspectSession.open(url, timeoutMs);
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
