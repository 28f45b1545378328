/**
 * A round-robin TCP "load balancer" on 127.0.0.1, as the ALB spreads WebSocket connections over the
 * controllers: each new connection goes to the next registered backend. A backend can be deregistered
 * (no new connections) and its connections dropped (as when its node goes away).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FakeAlb {
  url(path: string): string;
  port: number;
  /** Backend ports, in order; new connections cycle through the registered ones. */
  backends: number[];
  deregister(port: number): void;
  /** Destroys every connection to that backend (clients see their socket drop). */
  drop(port: number): void;
  /** Connections made to each backend so far. */
  counts: Map<number, number>;
  close(): Promise<void>;
}

export async function startFakeAlb(backends: number[]): Promise<FakeAlb> {
  const registered = [...backends];
  const live = new Map<number, Set<Socket>>();
  const counts = new Map<number, number>();
  let next = 0;
  const server: Server = createServer((client) => {
    const port = registered[next++ % Math.max(1, registered.length)];
    if (port === undefined) return client.destroy();
    counts.set(port, (counts.get(port) ?? 0) + 1);
    const upstream = connect(port, '127.0.0.1');
    const set = live.get(port) ?? new Set();
    set.add(client);
    set.add(upstream);
    live.set(port, set);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      set.delete(client);
      set.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    port,
    backends: registered,
    counts,
    deregister(p) {
      const i = registered.indexOf(p);
      if (i >= 0) registered.splice(i, 1);
    },
    drop(p) {
      for (const s of live.get(p) ?? []) s.destroy();
    },
    async close() {
      for (const set of live.values()) for (const s of set) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
