/**
 * The official kurento-client 7.3.0 for tests (CommonJS, loaded with require), and a WebRTC SDP offer
 * like a browser's, for WebRtcEndpoint.processOffer.
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

export const SDP_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=msid-semantic: WMS stream',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:F7gI',
  'a=ice-pwd:x9cml/YzichV2+XlhiMu8g1k',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:111 opus/48000/2',
  'a=ssrc:1001 cname:test',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:F7gI',
  'a=ice-pwd:x9cml/YzichV2+XlhiMu8g1k',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
  'a=setup:actpass',
  'a=mid:1',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=rtpmap:96 VP8/90000',
  'a=ssrc:2002 cname:test',
  '',
].join('\r\n');
