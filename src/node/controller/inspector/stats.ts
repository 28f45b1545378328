/**
 * What the inspector shows of an element's `getStats` answer and its WebRTC state. KMS answers
 * getStats with a map of id → Stats (core.kmd.json): `RTCInboundRTPStreamStats` (packets and
 * bytes received, packets lost, jitter in seconds), `RTCOutboundRTPStreamStats` (packets and bytes
 * sent, `targetBitrate` = the measured send bitrate in bps, `roundTripTime` in seconds),
 * `EndpointStats`/`ElementStats` (latencies), `RTCPeerConnectionStats` and `RTCDataChannelStats`
 * (BaseRtpEndpointImpl.cpp, WebRtcEndpointImpl.cpp). ICE and DTLS states are WebRtcEndpoint
 * properties (`IceConnectionState`, `DtlsConnectionState`, `ICECandidatePairs`).
 */

export interface StreamStats {
  direction: 'inbound' | 'outbound';
  /** AUDIO or VIDEO when asked per media type; otherwise absent. */
  mediaType?: string;
  ssrc: string;
  packets: number;
  bytes: number;
  packetsLost: number;
  fractionLost: number;
  /** Inbound: interarrival jitter, ms. */
  jitterMs?: number;
  /** Outbound: round-trip time from RTCP, ms. */
  roundTripTimeMs?: number;
  /** Outbound: KMS's measured send bitrate, bits per second. Inbound rates come from two samples' bytes. */
  bitrate?: number;
  timestampMillis: number;
}

export interface ElementStats {
  streams: StreamStats[];
  /** Latencies the element reports (input and end-to-end), ms, by media type. */
  latencies: { kind: 'input' | 'e2e'; mediaType: string; ms: number }[];
  dataChannels?: { opened: number; closed: number };
  ice?: { streamId: string; componentId: number; state: string }[];
  dtls?: { streamId: string; componentId: number; state: string }[];
  candidatePairs?: { streamId: string; componentId: number; local: string; remote: string }[];
  mediaState?: string;
  connectionState?: string;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number(v) || 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

function latencies(list: unknown, kind: 'input' | 'e2e'): ElementStats['latencies'] {
  // MediaLatencyStat: {name, type: MediaType, avg} — avg in nanoseconds (kms-utils' latency probes)
  return Array.isArray(list) ? list.map((l) => ({ kind, mediaType: str(rec(l).type), ms: num(rec(l).avg) / 1e6 })) : [];
}

/**
 * Summarises getStats answers: `answers` maps a media type (`AUDIO`, `VIDEO`, or `''` for an
 * answer to getStats without one) to the map KMS returned.
 */
export function summarizeStats(answers: Record<string, unknown>): ElementStats {
  const out: ElementStats = { streams: [], latencies: [] };
  const seen = new Set<string>();
  for (const [mediaType, answer] of Object.entries(answers)) {
    for (const [key, raw] of Object.entries(rec(answer))) {
      const s = rec(raw);
      const type = str(s.type);
      if ((type === 'inboundrtp' || type === 'outboundrtp') && !seen.has(`${type}:${key}`)) {
        seen.add(`${type}:${key}`);
        const inbound = type === 'inboundrtp';
        out.streams.push({
          direction: inbound ? 'inbound' : 'outbound',
          ...(mediaType ? { mediaType } : {}),
          ssrc: str(s.ssrc),
          packets: num(inbound ? s.packetsReceived : s.packetsSent),
          bytes: num(inbound ? s.bytesReceived : s.bytesSent),
          packetsLost: num(s.packetsLost),
          fractionLost: num(s.fractionLost),
          ...(inbound ? { jitterMs: num(s.jitter) * 1000 } : { roundTripTimeMs: num(s.roundTripTime) * 1000, bitrate: num(s.targetBitrate) }),
          timestampMillis: num(s.timestampMillis),
        });
      } else if ((type === 'endpoint' || type === 'element') && out.latencies.length === 0) {
        out.latencies.push(...latencies(s.inputLatency, 'input'), ...latencies(s.E2ELatency, 'e2e'));
      } else if (type === 'session') {
        out.dataChannels = { opened: num(s.dataChannelsOpened), closed: num(s.dataChannelsClosed) };
      }
    }
  }
  out.streams.sort((a, b) => `${a.mediaType ?? ''}${a.direction}${a.ssrc}`.localeCompare(`${b.mediaType ?? ''}${b.direction}${b.ssrc}`));
  return out;
}

/** `IceConnection[]` / `DtlsConnection[]` as the inspector lists them. */
export const connectionStates = (list: unknown): { streamId: string; componentId: number; state: string }[] =>
  Array.isArray(list) ? list.map((c) => ({ streamId: str(rec(c).streamId), componentId: num(rec(c).componentId), state: str(rec(c).state) })) : [];

/** `IceCandidatePair[]`: the selected local and remote candidate of each component. */
export const candidatePairs = (list: unknown): NonNullable<ElementStats['candidatePairs']> =>
  Array.isArray(list) ? list.map((c) => ({ streamId: str(rec(c).streamId), componentId: num(rec(c).componentId), local: str(rec(c).localCandidate), remote: str(rec(c).remoteCandidate) })) : [];
