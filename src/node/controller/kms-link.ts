import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { type RpcMessage, type RpcResponse, isRequest } from './protocol.js';

/** One WebSocket to a KMS: the controller's own requests are answered here; the rest goes to `onMessage`. */
export class KmsLink {
  readonly ws: WebSocket;
  readonly opened: Promise<void>;
  private readonly own = new Map<string, { resolve: (r: RpcResponse) => void; timer: NodeJS.Timeout }>();
  private seq = 0;
  closed = false;
  onMessage: (msg: RpcMessage, raw: string) => void = () => undefined;
  onClose: () => void = () => undefined;

  /** The id space of the controller's own requests: unique to this link, as KMS caches answers by (session, id) and a session moves between controllers. */
  private readonly prefix: string;

  constructor(readonly url: string, prefix: string, timeoutMs = 5_000) {
    this.prefix = `${prefix}${randomBytes(6).toString('hex')}-`;
    this.ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('close', () => reject(new Error(`${url}: closed before it opened`)));
    });
    this.opened.catch(() => undefined);
    this.ws.on('error', () => undefined);
    this.ws.on('close', () => {
      this.closed = true;
      for (const [id, p] of this.own) {
        clearTimeout(p.timer);
        p.resolve({ jsonrpc: '2.0', id, error: { code: -32000, message: 'connection to the media server lost' } });
      }
      this.own.clear();
      this.onClose();
    });
    this.ws.on('message', (data) => {
      const raw = String(data);
      let msg: RpcMessage;
      try {
        msg = JSON.parse(raw) as RpcMessage;
      } catch {
        return;
      }
      if (!isRequest(msg) && typeof msg.id === 'string' && msg.id.startsWith(this.prefix)) {
        const p = this.own.get(msg.id);
        if (p) {
          this.own.delete(msg.id);
          clearTimeout(p.timer);
          p.resolve(msg);
        }
        return;
      }
      this.onMessage(msg, raw);
    });
  }

  /** Sends text as it is (a client's message). */
  sendRaw(text: string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** A request of the controller's own, with an id of its own space; settles with the answer or an error answer. */
  async request(method: string, params: Record<string, unknown>, timeoutMs = 10_000): Promise<RpcResponse> {
    await this.opened;
    const id = `${this.prefix}${++this.seq}`;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.own.delete(id);
        resolve({ jsonrpc: '2.0', id, error: { code: -32000, message: `no answer from the media server within ${timeoutMs / 1000} s` } });
      }, timeoutMs);
      this.own.set(id, { resolve, timer });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    });
  }

  /** Drops the connection at once (a peer that stopped answering). */
  terminate(): void {
    this.closed = true;
    this.ws.terminate();
  }

  close(code = 1000): void {
    this.closed = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
  }
}
