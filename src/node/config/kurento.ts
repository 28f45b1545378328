import type { NodeSettings } from '../node-settings.js';
import type { ClusterSecret } from '../secret.js';
import { TURN_PORT } from './coturn.js';
import { type IniValues, iniText } from './ini.js';
import { type TurnCredential, turnCredential } from './turn.js';

/** The media (RTP) ports KMS uses, inside the range the template opens (UDP and TCP). */
export const RTP_PORTS = { min: 40000, max: 57000 } as const;

/**
 * Where the node keeps Kurento's configuration; the same path inside the KMS container (a directory
 * mount, read-only: nothing in the container edits these files).
 */
export const KURENTO_DIR = '/etc/elasticrtc/kurento';
/** The image's own module configuration (codec lists, defaults) stays; ours is read after it, key by key. */
export const MODULES_CONFIG_PATH = `/etc/kurento/modules:${KURENTO_DIR}/modules`;

/**
 * GStreamer log levels: the image's default, then `KurentoLoadConfig` (which logs the whole
 * configuration at INFO: the api key as the WebSocket path, the TURN password) and the request and
 * registrar logs (DEBUG) held below the level that prints them. The last matching pattern wins.
 */
export const GST_DEBUG = '2,Kurento*:4,kms*:4,sdp*:4,webrtc*:4,*rtpendpoint:4,rtp*handler:4,rtpsynchronizer:4,agnosticbin:4,KurentoLoadConfig:2,KurentoWebSocketTransport:3,KurentoWebSocketRegistrar:3';

export interface KurentoInputs {
  settings: NodeSettings;
  secret: ClusterSecret;
  publicIp: string;
  privateIp: string;
  nowMs: number;
}

/** `kurento.conf.json`: the JSON-RPC port, the api key as its path (without a leading `/`: KMS strips one), sessions' lifetime. */
export function kurentoConf(i: KurentoInputs): object {
  return {
    mediaServer: {
      resources: {
        // A session nobody keeps alive is released after one to two periods: the reconnection window.
        garbageCollectorPeriod: Math.max(1, i.settings.reconnectionTime),
      },
      net: { websocket: { port: i.settings.kmsPort, path: i.secret.apiKey, threads: 10 } },
    },
  };
}

/**
 * KMS's `turnURL`: `user:password@IPv4:port`. KMS splits at the last `:` before `@`, so the REST user
 * `expiry:name` passes whole, and base64 passwords never hold a `:`. KMS reaches coturn on the private
 * address; coturn advertises its relays on the public one.
 */
export const kmsTurnUrl = (c: TurnCredential, privateIp: string): string => `${c.username}:${c.password}@${privateIp}:${TURN_PORT}`;

/** The credential KMS gets from the cluster's TURN secret (renewal: turn-renewal.ts). */
export const kmsTurnCredential = (i: KurentoInputs): TurnCredential => turnCredential(i.secret.turnSecret, 'kms', i.nowMs);

/** `WebRtcEndpoint.conf.ini`: public address, shared DTLS certificate, TURN. */
export function webRtcEndpointIni(i: KurentoInputs): IniValues {
  return {
    externalIPv4: i.publicIp,
    pemCertificateRSA: `${KURENTO_DIR}/dtls.pem`,
    ...(i.settings.turn ? { turnURL: kmsTurnUrl(kmsTurnCredential(i), i.privateIp) } : {}),
  };
}

/** `BaseRtpEndpoint.conf.ini`: the RTP range the firewall opens. */
export const baseRtpEndpointIni = (): IniValues => ({ minPort: RTP_PORTS.min, maxPort: RTP_PORTS.max });

/** The files under `KURENTO_DIR`, relative to it. */
export function kurentoFiles(i: KurentoInputs): { path: string; content: string }[] {
  return [
    { path: 'kurento.conf.json', content: `${JSON.stringify(kurentoConf(i), null, 2)}\n` },
    { path: 'modules/kurento/WebRtcEndpoint.conf.ini', content: iniText(webRtcEndpointIni(i)) },
    { path: 'modules/kurento/BaseRtpEndpoint.conf.ini', content: iniText(baseRtpEndpointIni()) },
    { path: 'dtls.pem', content: i.secret.dtlsCertificate.endsWith('\n') ? i.secret.dtlsCertificate : `${i.secret.dtlsCertificate}\n` },
  ];
}

/** The official image of the node's version. */
export const kmsImage = (s: NodeSettings): string => `kurento/kurento-media-server:${s.kmsVersion}`;

/** KMS's JSON-RPC URL on the node itself (the api key is its path). */
export const kmsUrl = (s: NodeSettings, secret: ClusterSecret): string => `ws://127.0.0.1:${s.kmsPort}/${secret.apiKey}`;
