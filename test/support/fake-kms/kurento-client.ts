/**
 * The official kurento-client 7.3.0 (CommonJS) for tests, with one compatibility fix.
 *
 * Its transactions derive from node's `domain.Domain` and call the parent constructor as a
 * function (`Transaction.super_.call(this)`); `Domain` has been an ES class for years, so
 * `beginTransaction()` throws "Class constructor Domain cannot be invoked without 'new'". The
 * client carries a fallback for when `domain.Domain` is missing (an EventEmitter whose `run`
 * catches errors); this puts that fallback under `Transaction` instead.
 *
 * The client keeps its ping state in module globals, shared by every client in the process: keep
 * each test file that uses it independent (vitest runs files in separate forks).
 */
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';

/** The parts of kurento-client the tests use; objects are the client's own, loosely typed. */
export interface KurentoClientModule {
  (url: string, options?: Record<string, unknown>, callback?: (error: Error | null | undefined, client: KurentoClient) => void): Promise<KurentoClient>;
  register: { classes: Record<string, unknown>; abstracts: Record<string, unknown>; modules: string[] };
  TransactionsManager: { Transaction: { prototype: object; super_: unknown } };
}

export type KurentoClient = EventEmitter & {
  sessionId: string;
  create(...args: any[]): any;
  getMediaobjectById(id: string): Promise<any>;
  getServerManager(): Promise<any>;
  beginTransaction(): any;
  close(): void;
};

let loaded: KurentoClientModule | undefined;

/**
 * A connected client, once its start-up checks are done. (Awaiting `kurentoClient(url)` itself
 * resolves as soon as the socket opens, before strict mode's getInfo check and before the client
 * has a session id; the callback waits for both.)
 */
export function connectKurentoClient(url: string, options: Record<string, unknown> = {}): Promise<KurentoClient> {
  const kurento = loadKurentoClient();
  return new Promise((resolve, reject) => {
    void kurento(url, options, (error, client) => (error ? reject(error) : resolve(client)));
  });
}

/**
 * Calls a client method with a node-style callback. The client's promises swallow server errors
 * for most operations (it binds a no-op callback that only logs them), so tests that expect an
 * error must use the callback.
 */
export function callback<T>(target: object, method: string, ...args: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    (target as Record<string, (...a: unknown[]) => unknown>)[method]!(...args, (error: Error | null | undefined, value: T) => (error ? reject(error) : resolve(value)));
  });
}

export function loadKurentoClient(): KurentoClientModule {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const kurento = require('kurento-client') as KurentoClientModule;
  const { Transaction } = kurento.TransactionsManager;
  if (Transaction.super_ !== FallbackDomain) {
    Object.setPrototypeOf(Transaction.prototype, FallbackDomain.prototype);
    Transaction.super_ = FallbackDomain;
  }
  loaded = kurento;
  return kurento;
}

/** kurento-client's own `FakeDomain`, as a callable constructor. */
function FallbackDomain(this: EventEmitter): void {
  EventEmitter.call(this);
}
Object.setPrototypeOf(FallbackDomain.prototype, EventEmitter.prototype);
(FallbackDomain.prototype as { run: (fn: () => void) => unknown }).run = function run(this: EventEmitter, fn: () => void) {
  try {
    fn();
  } catch (err) {
    this.emit('error', err);
  }
  return this;
};
