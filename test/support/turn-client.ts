/**
 * A minimal TURN client over UDP (RFC 5389 STUN framing, RFC 5766 Allocate and CreatePermission,
 * long-term credentials): enough to ask a real coturn whether it accepts a credential and which
 * peers it lets a relay reach.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

const MAGIC = 0x2112a442;
const ATTR = { username: 0x0006, integrity: 0x0008, errorCode: 0x0009, realm: 0x0014, nonce: 0x0015, xorPeer: 0x0012, transport: 0x0019, xorRelayed: 0x0016 } as const;
const METHOD = { allocate: 0x0003, createPermission: 0x0008 } as const;

interface Message {
  type: number;
  attrs: Map<number, Buffer>;
}

function encode(type: number, tid: Buffer, attrs: [number, Buffer][], key?: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const [t, v] of attrs) {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(t, 0);
    head.writeUInt16BE(v.length, 2);
    parts.push(head, v, Buffer.alloc((4 - (v.length % 4)) % 4));
  }
  let body = Buffer.concat(parts);
  const header = (length: number) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(length, 2);
    h.writeUInt32BE(MAGIC, 4);
    tid.copy(h, 8);
    return h;
  };
  if (key) {
    // MESSAGE-INTEGRITY: HMAC-SHA1 over the message whose length already counts the attribute.
    const mac = createHmac('sha1', key).update(Buffer.concat([header(body.length + 24), body])).digest();
    const head = Buffer.alloc(4);
    head.writeUInt16BE(ATTR.integrity, 0);
    head.writeUInt16BE(20, 2);
    body = Buffer.concat([body, head, mac]);
  }
  return Buffer.concat([header(body.length), body]);
}

function decode(buf: Buffer): Message {
  const attrs = new Map<number, Buffer>();
  let off = 20;
  while (off + 4 <= buf.length) {
    const t = buf.readUInt16BE(off);
    const len = buf.readUInt16BE(off + 2);
    attrs.set(t, buf.subarray(off + 4, off + 4 + len));
    off += 4 + len + ((4 - (len % 4)) % 4);
  }
  return { type: buf.readUInt16BE(0), attrs };
}

function xorPeer(ip: string, port: number): Buffer {
  const v = Buffer.alloc(8);
  v.writeUInt8(0x01, 1);
  v.writeUInt16BE(port ^ (MAGIC >>> 16), 2);
  const addr = ip.split('.').reduce((n, o) => (n << 8) | Number(o), 0) >>> 0;
  v.writeUInt32BE((addr ^ MAGIC) >>> 0, 4);
  return v;
}

/** What the server answered: `ok`, or an error code (401 unauthorized, 403 forbidden, …). */
export type TurnAnswer = { ok: true; relayed?: string } | { ok: false; code: number; reason: string };

export class TurnClient {
  private readonly socket: Socket = createSocket('udp4');
  private key: Buffer | undefined;
  private realm = '';
  private nonce: Buffer = Buffer.alloc(0);

  constructor(private readonly host: string, private readonly port: number, private readonly username: string, private readonly password: string) {}

  private exchange(packet: Buffer, timeoutMs = 2000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => (this.socket.off('message', onMessage), reject(new Error('no answer from the TURN server'))), timeoutMs);
      const onMessage = (msg: Buffer) => {
        clearTimeout(timer);
        this.socket.off('message', onMessage);
        resolve(decode(msg));
      };
      this.socket.on('message', onMessage);
      this.socket.send(packet, this.port, this.host);
    });
  }

  private answer(m: Message): TurnAnswer {
    if ((m.type & 0x0110) === 0x0100) {
      const relayed = m.attrs.get(ATTR.xorRelayed);
      return { ok: true, ...(relayed ? { relayed: `${((relayed.readUInt32BE(4) ^ MAGIC) >>> 0).toString()}` } : {}) };
    }
    const err = m.attrs.get(ATTR.errorCode);
    return { ok: false, code: err ? (err.readUInt8(2) & 7) * 100 + err.readUInt8(3) : 0, reason: err ? err.subarray(4).toString('utf8') : '' };
  }

  /** Allocate a UDP relay: first unauthenticated (for the realm and nonce), then with the credential. */
  async allocate(): Promise<TurnAnswer> {
    const transport = Buffer.from([17, 0, 0, 0]);
    const first = await this.exchange(encode(METHOD.allocate, randomBytes(12), [[ATTR.transport, transport]]));
    this.realm = first.attrs.get(ATTR.realm)?.toString('utf8') ?? '';
    this.nonce = first.attrs.get(ATTR.nonce) ?? Buffer.alloc(0);
    if (!first.attrs.has(ATTR.realm)) return this.answer(first);
    this.key = createHash('md5').update(`${this.username}:${this.realm}:${this.password}`).digest();
    return this.answer(await this.exchange(encode(METHOD.allocate, randomBytes(12), [[ATTR.transport, transport], ...this.auth()], this.key)));
  }

  /** Asks to let the relay reach a peer; coturn answers 403 for a denied peer address. */
  async permit(peerIp: string): Promise<TurnAnswer> {
    if (!this.key) throw new Error('allocate first');
    return this.answer(await this.exchange(encode(METHOD.createPermission, randomBytes(12), [[ATTR.xorPeer, xorPeer(peerIp, 0)], ...this.auth()], this.key)));
  }

  private auth(): [number, Buffer][] {
    return [
      [ATTR.username, Buffer.from(this.username)],
      [ATTR.realm, Buffer.from(this.realm)],
      [ATTR.nonce, this.nonce],
    ];
  }

  close(): void {
    this.socket.close();
  }
}
