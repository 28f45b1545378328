/**
 * A bare JSON-RPC WebSocket client for protocol tests: sends exactly what it is given, pairs
 * answers with requests by id, and keeps every frame (answers, `onEvent` notifications, empty frames).
 */
import { randomInt } from 'node:crypto';
import WebSocket from 'ws';

export interface RpcAnswer {
  id?: unknown;
  jsonrpc?: string;
  result?: Record<string, unknown> & { sessionId?: string; value?: unknown };
  error?: { code: number; message: string; data?: { type?: string } & Record<string, unknown> };
}

export interface OnEvent {
  jsonrpc: '2.0';
  method: 'onEvent';
  params: { value: { data: Record<string, unknown>; object: string; type: string } };
}

/**
 * Ids for `call`, unique in the process (and unlikely to meet another process's, for runs against
 * one real server): KMS caches answers by (sessionId, id) whatever the method, so two clients of
 * one session that both count from 1 would get each other's answers.
 */
let nextId = 1000 + randomInt(1_000_000_000);

export class RawKmsClient {
  /** Every text frame received, in order, as text. */
  readonly frames: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly taken = new Set<number>();
  private waiters: { test: (frame: string) => boolean; resolve: (frame: string) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = String(data);
      this.frames.push(frame);
      const w = this.waiters.find((x) => x.test(frame));
      if (w) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(frame);
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static open(url: string): Promise<RawKmsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      ws.once('open', () => resolve(new RawKmsClient(ws)));
      ws.once('error', reject);
    });
  }

  /** Resolves with the next frame (received from now on) that passes `test`. */
  next(test: (frame: string) => boolean = () => true, timeoutMs = 2000): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x.resolve !== done);
        reject(new Error(`no matching frame within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (frame: string) => {
        clearTimeout(timer);
        resolve(frame);
      };
      this.waiters.push({ test, resolve: done });
    });
  }

  /** Sends `message` as is (text or JSON) and resolves with the answer carrying the same id. */
  async send(message: string | Record<string, unknown>, timeoutMs = 2000): Promise<RpcAnswer> {
    const text = typeof message === 'string' ? message : JSON.stringify(message);
    const id = typeof message === 'string' ? (JSON.parse(text) as { id?: unknown }).id : message['id'];
    const answer = this.next((f) => hasId(f, id), timeoutMs);
    this.ws.send(text);
    return JSON.parse(await answer) as RpcAnswer;
  }

  /** A well-formed request with a fresh numeric id (unique in the process). */
  call(method: string, params?: Record<string, unknown> | null): Promise<RpcAnswer> {
    return this.send({ jsonrpc: '2.0', id: nextId++, method, ...(params === undefined ? {} : { params }) });
  }

  /** Sends without waiting for anything. */
  push(message: string | Record<string, unknown>): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first `onEvent` (optionally of `type`) not yet taken by this method, waiting for it if need be. */
  async event(type?: string, timeoutMs = 2000): Promise<OnEvent> {
    const index = this.frames.findIndex((f, i) => !this.taken.has(i) && isEvent(f, type));
    if (index >= 0) {
      this.taken.add(index);
      return JSON.parse(this.frames[index]!) as OnEvent;
    }
    const frame = await this.next((f) => isEvent(f, type), timeoutMs);
    this.taken.add(this.frames.lastIndexOf(frame));
    return JSON.parse(frame) as OnEvent;
  }

  /** Every `onEvent` received so far. */
  events(type?: string): OnEvent[] {
    return this.frames.filter((f) => isEvent(f, type)).map((f) => JSON.parse(f) as OnEvent);
  }

  close(): void {
    this.ws.close();
  }
}

function hasId(frame: string, id: unknown): boolean {
  try {
    return JSON.stringify((JSON.parse(frame) as { id?: unknown }).id) === JSON.stringify(id);
  } catch {
    return false;
  }
}

function isEvent(frame: string, type?: string): boolean {
  try {
    const msg = JSON.parse(frame) as Partial<OnEvent>;
    return msg.method === 'onEvent' && (type === undefined || msg.params?.value.type === type);
  } catch {
    return false;
  }
}
