/**
 * MediaElement behaviour (MediaElementImpl.cpp): connections per media type and description,
 * with ElementConnected/ElementDisconnected; element statistics; the URI endpoints' state.
 */
import { isA } from './catalog.js';
import { Kms, KmsError } from './errors.js';
import { complex, type Connection, type MediaObj, type MediaTypeName } from './model.js';
import type { Behaviours, ObjectContext } from './objects.js';

const DEFAULT = 'default';
const TYPES: MediaTypeName[] = ['AUDIO', 'VIDEO', 'DATA'];

/**
 * The overload the generated `invoke` picks: optional parameters count only up to the first one
 * that is missing.
 */
function overload(args: Record<string, unknown>, optional: string[]): unknown[] {
  const out: unknown[] = [];
  for (const name of optional) {
    if (!(name in args)) break;
    out.push(args[name]);
  }
  return out;
}

function connect(source: MediaObj, sink: MediaObj, type: MediaTypeName, sourceDescription: string, sinkDescription: string, ctx: ObjectContext): void {
  // An existing source of the sink's pad is disconnected first (with this call's source description).
  const existing = sink.sources.find((c) => c.type === type && c.sinkDescription === sinkDescription);
  if (existing) disconnect(existing.source, sink, type, sourceDescription, existing.sinkDescription, ctx);
  const c: Connection = { source, sink, type, sourceDescription, sinkDescription };
  source.sinks.push(c);
  sink.sources.push(c);
  ctx.set.raise(source, 'ElementConnected', { sink: sink.id, mediaType: type, sourceMediaDescription: sourceDescription, sinkMediaDescription: sinkDescription });
  ctx.media?.connected(source, sink, type);
}

function disconnect(source: MediaObj, sink: MediaObj, type: MediaTypeName, sourceDescription: string, sinkDescription: string, ctx: ObjectContext): void {
  // Literal to MediaElementImpl::disconnect: the sink's pad is freed whoever its source is.
  const fed = sink.sources.find((c) => c.type === type && c.sinkDescription === sinkDescription);
  if (fed && fed.sourceDescription === sourceDescription) sink.sources = sink.sources.filter((c) => c !== fed);
  const mine = source.sinks.find((c) => c.type === type && c.sourceDescription === sourceDescription && c.sink === sink && c.sinkDescription === sinkDescription);
  if (mine) source.sinks = source.sinks.filter((c) => c !== mine);
  ctx.set.raiseDisconnected({ source, sink, type, sourceDescription, sinkDescription });
}

function link(obj: MediaObj, args: Record<string, unknown>, ctx: ObjectContext, op: typeof connect): null {
  const sink = args['sink'] as MediaObj;
  const [type, sourceDescription = DEFAULT, sinkDescription = DEFAULT] = overload(args, ['mediaType', 'sourceMediaDescription', 'sinkMediaDescription']) as [MediaTypeName?, string?, string?];
  if (op === connect && sink.pipeline.id !== obj.pipeline.id) throw new KmsError(Kms.CONNECT_ERROR, 'Media elements do not share pipeline');
  for (const t of type ? [type] : TYPES) op(obj, sink, t, sourceDescription, sinkDescription, ctx);
  return null;
}

const connectionData = (c: Connection) =>
  complex('ElementConnectionData', { source: c.source.id, sink: c.sink.id, type: c.type, sourceDescription: c.sourceDescription, sinkDescription: c.sinkDescription });

function listConnections(list: Connection[], args: Record<string, unknown>, descriptionOf: (c: Connection) => string): unknown[] {
  const [type, description] = overload(args, ['mediaType', 'description']);
  const ordered = [...list].sort((a, b) => TYPES.indexOf(a.type) - TYPES.indexOf(b.type));
  return ordered.filter((c) => (type === undefined || c.type === type) && (description === undefined || descriptionOf(c) === description)).map(connectionData);
}

let statsSeq = 0;

/** A plausible `getStats` answer: the element's own stats, plus RTP stream stats per negotiated stream. */
function stats(obj: MediaObj, args: Record<string, unknown>, ctx: ObjectContext): Record<string, unknown> {
  const timestampMillis = Math.floor(ctx.now());
  const endpoint = isA(obj.type, 'Endpoint');
  const own = `${obj.id.split('/').pop()?.slice(0, 8)}_${statsSeq++}`;
  const out: Record<string, unknown> = {
    [own]: complex(endpoint ? 'EndpointStats' : 'ElementStats', { id: own, type: endpoint ? 'endpoint' : 'element', timestampMillis, inputLatency: [], ...(endpoint ? { E2ELatency: [] } : {}) }),
  };
  const wanted = args['mediaType'] as string | undefined;
  for (const s of obj.sdp?.streams ?? []) {
    if (s.kind !== 'audio' && s.kind !== 'video') continue;
    if (wanted && wanted !== s.kind.toUpperCase()) continue;
    const rtp = { timestampMillis, ssrc: String((obj.sdp?.ssrc ?? 0) + s.index), associateStatsId: '', isRemote: false, mediaTrackId: '', transportId: '', codecId: '', firCount: 0, pliCount: 0, nackCount: 0, sliCount: 0, remb: 0, packetsLost: 0, fractionLost: 0 };
    // With a media plane, what its peer really received and sent; else nothing flows.
    const n = ctx.media?.rtpCounts(obj)?.[s.kind] ?? { packetsReceived: 0, bytesReceived: 0, packetsSent: 0, bytesSent: 0 };
    out[`inbound-${s.mid}`] = complex('RTCInboundRTPStreamStats', { id: `inbound-${s.mid}`, type: 'inboundrtp', ...rtp, packetsReceived: n.packetsReceived, bytesReceived: n.bytesReceived, jitter: 0 });
    out[`outbound-${s.mid}`] = complex('RTCOutboundRTPStreamStats', { id: `outbound-${s.mid}`, type: 'outboundrtp', ...rtp, packetsSent: n.packetsSent, bytesSent: n.bytesSent, targetBitrate: 0, roundTripTime: 0 });
  }
  return out;
}

/** `mediaType` of isMediaFlowingIn/Out: AUDIO or VIDEO (DATA never flows here). */
const kindOf = (args: Record<string, unknown>): 'audio' | 'video' | undefined => (args['mediaType'] === 'AUDIO' ? 'audio' : args['mediaType'] === 'VIDEO' ? 'video' : undefined);

const dot = (obj: MediaObj) => `digraph "${obj.id}" {\n}\n`;

export const mediaElement: Behaviours = {
  connect: (obj, args, ctx) => link(obj, args, ctx, connect),
  disconnect: (obj, args, ctx) => link(obj, args, ctx, disconnect),
  getSourceConnections: (obj, args) => listConnections(obj.sources, args, (c) => c.sinkDescription),
  getSinkConnections: (obj, args) => listConnections(obj.sinks, args, (c) => c.sourceDescription),
  getStats: stats,
  getGstreamerDot: dot,
  isMediaFlowingIn: (obj, args, ctx) => args['mediaType'] !== 'DATA' && (ctx.media?.flowing(obj, 'in', kindOf(args)) ?? false),
  isMediaFlowingOut: (obj, args, ctx) => args['mediaType'] !== 'DATA' && (ctx.media?.flowing(obj, 'out', kindOf(args)) ?? false),
  isMediaTranscoding: () => false,
};

/** MediaPipeline and Hub. */
export const withDot: Behaviours = { getGstreamerDot: dot };

function setState(obj: MediaObj, ctx: ObjectContext, state: 'STOP' | 'START' | 'PAUSE', extra?: string): null {
  obj.props.set('state', state);
  ctx.set.raise(obj, 'UriEndpointStateChanged', { state });
  if (extra) ctx.set.raise(obj, extra, {});
  return null;
}

/** `pause` and `stop`; a playing player's source is let go (with a media plane). */
function halt(obj: MediaObj, ctx: ObjectContext, state: 'STOP' | 'PAUSE', recorderEvent: string): null {
  if (obj.type === 'PlayerEndpoint') ctx.media?.stopPlaying(obj);
  return setState(obj, ctx, state, obj.type === 'RecorderEndpoint' ? recorderEvent : undefined);
}

export const uriEndpoint: Behaviours = {
  pause: (obj, _a, ctx) => halt(obj, ctx, 'PAUSE', 'Paused'),
  stop: (obj, _a, ctx) => halt(obj, ctx, 'STOP', 'Stopped'),
};

/** `play`: with a media plane, the player pulls its `uri` for real (player-media.ts); else only its state changes. */
export const playerEndpoint: Behaviours = {
  play: (obj, _a, ctx) => {
    ctx.media?.play(obj, String(obj.props.get('uri')));
    return setState(obj, ctx, 'START');
  },
};

export const recorderEndpoint: Behaviours = {
  record: (obj, _a, ctx) => setState(obj, ctx, 'START', 'Recording'),
  stopAndWait: (obj, _a, ctx) => setState(obj, ctx, 'STOP', 'Stopped'),
};
