/**
 * The official kurento-client 7.3.0 for tests (CommonJS, loaded with require), typed as far as the
 * controller's tests use it.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A kurento-client MediaObject, as far as tests use it. */
export interface KurentoObject {
  id: string;
  create(type: string, params?: object): Promise<KurentoObject>;
  release(): Promise<void>;
  on(event: string, listener: (e: Record<string, unknown>) => void): void;
  processOffer(offer: string): Promise<string>;
  gatherCandidates(): Promise<void>;
  getChildren(): Promise<KurentoObject[]>;
}

export interface KurentoClientInstance {
  create(type: string, params?: object): Promise<KurentoObject>;
  getMediaobjectById(id: string): Promise<KurentoObject>;
  getServerManager(): Promise<{ getPipelines(): Promise<KurentoObject[]>; getSessions(): Promise<string[]>; on(event: string, l: (e: Record<string, unknown>) => void): void; getInfo(): Promise<{ version: string }> }>;
  on(event: string, listener: (...args: unknown[]) => void): void;
  close(): void;
  sessionId?: string;
}

type KurentoFactory = (url: string, options?: Record<string, unknown>) => Promise<KurentoClientInstance>;

export const kurentoClient = require('kurento-client') as KurentoFactory & { KurentoClient: unknown };

/** Connects with short failure times, so a test fails fast. */
export const connectKurento = (url: string, options: Record<string, unknown> = {}): Promise<KurentoClientInstance> =>
  kurentoClient(url, { failAfter: 1, request_timeout: 10_000, response_timeout: 10_000, ...options });

/** A browser's WebRTC offer (audio and video), for WebRtcEndpoint.processOffer. */
export { BROWSER_OFFER as SDP_OFFER } from './fake-kms/sample-offer.js';
