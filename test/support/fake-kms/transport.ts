/**
 * A port of KMS's WebSocketTransport (server/media-server/server/transport/websocket/
 * WebSocketTransport.cpp) on `ws`: the path check (upgrade, then close 1002 "Invalid path"), one
 * session bound to each socket (`storeConnection`), events sent to whichever socket the session is
 * bound to when they go out, and what a lost node looks like from outside.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SocketState {
  readonly id: number;
  readonly ws: WebSocket;
  /** The bound session, '' if none. */
  session: string;
  /** Messages on one connection are handled one after the other, as websocketpp reads them. */
  queue: Promise<void>;
}

export interface TransportHandlers {
  message(socket: SocketState, text: string): Promise<void>;
  closed(socket: SocketState, session: string): void;
}

/** How the server treats new connections while it is down. */
export type DownMode = 'hang' | 'refuse';

export class Transport {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly sockets = new Set<SocketState>();
  private readonly connections = new Map<string, SocketState>();
  /** Upgrades held while down in 'hang' mode; completed when the server comes back. */
  private readonly hanging = new Map<Socket, { req: IncomingMessage; head: Buffer }>();
  private nextId = 1;
  down: DownMode | undefined;
  port = 0;

  constructor(
    private readonly path: string,
    private readonly handlers: TransportHandlers,
  ) {
    // websocketpp with no HTTP handler answers a plain request "426 Upgrade Required".
    this.server = createServer((_req, res) => {
      res.statusCode = 426;
      res.end();
    });
    this.server.on('upgrade', (req, socket: Socket, head) => {
      if (this.down === 'refuse') return void socket.destroy();
      if (this.down === 'hang') {
        this.hanging.set(socket, { req, head });
        socket.on('close', () => this.hanging.delete(socket));
        socket.on('error', () => undefined);
        return;
      }
      this.upgrade(req, socket, head);
    });
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.open(ws, req.url ?? '/'));
  }

  /** Back up: answers again, completing the upgrades that were left hanging (a partition heals). */
  up(): void {
    this.down = undefined;
    for (const [socket, { req, head }] of [...this.hanging]) {
      this.hanging.delete(socket);
      if (!socket.destroyed) this.upgrade(req, socket, head);
    }
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private open(ws: WebSocket, url: string): void {
    ws.on('error', () => undefined);
    // KMS compares the resource without its leading '/' and without the query.
    const resource = url.replace(/^\//, '').split('?')[0] ?? '';
    if (resource !== this.path) return ws.close(1002, 'Invalid path');
    const state: SocketState = { id: this.nextId++, ws, session: '', queue: Promise.resolve() };
    this.sockets.add(state);
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data);
      state.queue = state.queue.then(() => this.handlers.message(state, text)).catch(() => undefined);
    });
    ws.on('close', () => {
      this.sockets.delete(state);
      const session = state.session;
      if (session && this.connections.get(session) === state) this.connections.delete(session);
      state.session = '';
      this.handlers.closed(state, session);
    });
  }

  /** `storeConnection`: binds `session` to `socket`, unbinding whatever either was bound to. Returns whether it changed. */
  bind(socket: SocketState, session: string): boolean {
    if (!session || !this.sockets.has(socket)) return false;
    let changed = false;
    const holder = this.connections.get(session);
    if (holder !== socket) {
      if (holder) holder.session = '';
      changed = true;
    }
    if (socket.session !== session) {
      if (socket.session && this.connections.get(socket.session) === socket) this.connections.delete(socket.session);
      changed = true;
    }
    this.connections.set(session, socket);
    socket.session = session;
    return changed;
  }

  /** Sends to the socket bound to `session` now; dropped if none (KMS logs "Connection not found"). */
  sendToSession(session: string, text: string): boolean {
    const socket = this.connections.get(session);
    if (!socket || socket.ws.readyState !== socket.ws.OPEN) return false;
    socket.ws.send(text);
    return true;
  }

  send(socket: SocketState, text: string): void {
    if (socket.ws.readyState === socket.ws.OPEN) socket.ws.send(text);
  }

  boundSessions(): string[] {
    return [...this.connections.keys()];
  }

  socketOf(session: string): number | undefined {
    return this.connections.get(session)?.id;
  }

  get socketCount(): number {
    return this.sockets.size;
  }

  get stalledCount(): number {
    return this.hanging.size;
  }

  /** Drops every connection without a closing handshake (the client sees 1006). */
  terminateAll(): void {
    for (const s of [...this.sockets]) s.ws.terminate();
    if (this.down !== 'hang') for (const s of [...this.hanging.keys()]) s.destroy();
  }

  async close(): Promise<void> {
    this.down = 'refuse';
    this.terminateAll();
    for (const s of [...this.hanging.keys()]) s.destroy();
    this.wss.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
