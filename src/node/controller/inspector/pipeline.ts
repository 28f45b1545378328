/**
 * One pipeline as the inspector shows it: its elements (hubs' ports too), their connections, and
 * each element's statistics and WebRTC state, read on one short-lived Kurento session.
 */
import { type ElementStats, candidatePairs, connectionStates, summarizeStats } from './stats.js';
import type { InspectSession } from './kms-session.js';

export interface ElementView {
  id: string;
  type: string;
  /** Its parent: the pipeline, or the hub of a HubPort. */
  parent: string;
  name: string;
  /** Kurento's class and its ancestors, unqualified, nearest first (`WebRtcEndpoint`, `BaseRtpEndpoint`, …). */
  classes: string[];
  stats?: ElementStats;
}

export interface ConnectionView {
  source: string;
  sink: string;
  type: string;
  sourceDescription: string;
  sinkDescription: string;
}

export interface PipelineView {
  id: string;
  node: string;
  name: string;
  /** Kurento's creationTime (s), as ms. */
  createdAt?: number;
  elements: ElementView[];
  connections: ConnectionView[];
}

const unqualified = (t: string) => t.slice(t.lastIndexOf('.') + 1);
const text = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * Reads the children of an object, hubs' ports too (children of their hub, not of the pipeline).
 * Requests go out together: Kurento answers one socket's requests in order, without a round trip each.
 */
export async function elementsOf(s: InspectSession, parent: string, depth = 0): Promise<ElementView[]> {
  const children = await s.tryInvoke(parent, 'getChildren');
  if (!Array.isArray(children)) return [];
  const read = await Promise.all(
    children.map(String).map(async (id): Promise<ElementView[]> => {
      const [d, name] = await Promise.all([s.describe(id), s.tryInvoke(id, 'getName')]);
      if (!d) return []; // released meanwhile
      const classes = [d.type, ...d.hierarchy].map(unqualified);
      const e: ElementView = { id, type: unqualified(d.type), parent, name: text(name), classes };
      return classes.includes('Hub') && depth < 3 ? [e, ...(await elementsOf(s, id, depth + 1))] : [e];
    }),
  );
  return read.flat();
}

/** Statistics and WebRTC state of one element (what its class answers). */
async function statsOf(s: InspectSession, e: ElementView): Promise<ElementStats> {
  const rtp = e.classes.includes('BaseRtpEndpoint');
  const webrtc = e.classes.includes('WebRtcEndpoint');
  const get = (operation: string, params?: Record<string, unknown>) => s.tryInvoke(e.id, operation, params);
  const [audio, video, all, mediaState, connectionState, ice, dtls, pairs] = await Promise.all([
    rtp ? get('getStats', { mediaType: 'AUDIO' }) : undefined,
    rtp ? get('getStats', { mediaType: 'VIDEO' }) : undefined,
    rtp ? undefined : get('getStats'),
    rtp ? get('getMediaState') : undefined,
    rtp ? get('getConnectionState') : undefined,
    webrtc ? get('getIceConnectionState') : undefined,
    webrtc ? get('getDtlsConnectionState') : undefined,
    webrtc ? get('getICECandidatePairs') : undefined,
  ]);
  const stats = summarizeStats(rtp ? { AUDIO: audio, VIDEO: video } : { '': all });
  if (rtp) Object.assign(stats, { mediaState: text(mediaState), connectionState: text(connectionState) });
  if (webrtc) Object.assign(stats, { ice: connectionStates(ice), dtls: connectionStates(dtls), candidatePairs: candidatePairs(pairs) });
  return stats;
}

/** The pipeline's graph and statistics; undefined when Kurento does not know it. */
export async function readPipeline(s: InspectSession, id: string, node: string): Promise<PipelineView | undefined> {
  const [created, name] = await Promise.all([s.tryInvoke(id, 'getCreationTime'), s.tryInvoke(id, 'getName')]);
  if (created === undefined) return undefined;
  const elements = await elementsOf(s, id);
  const connections = await Promise.all(
    elements.map(async (e): Promise<ConnectionView[]> => {
      if (!e.classes.includes('MediaElement')) return [];
      const [sinks, stats] = await Promise.all([s.tryInvoke(e.id, 'getSinkConnections'), statsOf(s, e)]);
      e.stats = stats;
      return Array.isArray(sinks)
        ? (sinks as Record<string, unknown>[]).map((c) => ({ source: text(c.source) || e.id, sink: text(c.sink), type: text(c.type), sourceDescription: text(c.sourceDescription), sinkDescription: text(c.sinkDescription) }))
        : [];
    }),
  );
  return { id, node, name: text(name), createdAt: Number(created) * 1000, elements, connections: connections.flat() };
}

/**
 * Whether media flows into any element of the pipeline now (`isMediaFlowingIn`, audio or video):
 * a pipeline where none does is idle. Undefined when it cannot be read.
 */
export async function mediaFlowing(s: InspectSession, id: string): Promise<boolean | undefined> {
  const elements = await elementsOf(s, id).catch(() => undefined);
  if (!elements) return undefined;
  const flows = await Promise.all(
    elements.filter((x) => x.classes.includes('MediaElement')).flatMap((e) => ['AUDIO', 'VIDEO'].map((mediaType) => s.tryInvoke(e.id, 'isMediaFlowingIn', { mediaType }))),
  );
  return flows.includes(true);
}

/** Events each class raises (the kmd files of core, elements and filters), by unqualified class name. */
export const CLASS_EVENTS: Readonly<Record<string, readonly string[]>> = {
  MediaObject: ['Error'],
  MediaElement: ['ElementConnected', 'ElementDisconnected', 'MediaFlowOutStateChanged', 'MediaFlowInStateChanged', 'MediaTranscodingStateChanged'],
  SessionEndpoint: ['MediaSessionTerminated', 'MediaSessionStarted'],
  UriEndpoint: ['UriEndpointStateChanged'],
  BaseRtpEndpoint: ['MediaStateChanged', 'ConnectionStateChanged'],
  WebRtcEndpoint: ['IceCandidateFound', 'IceGatheringDone', 'IceComponentStateChanged', 'DtlsConnectionStateChange', 'DataChannelOpened', 'DataChannelClosed', 'NewCandidatePairSelected'],
  RtpEndpoint: ['OnKeySoftLimit'],
  PlayerEndpoint: ['EndOfStream'],
  HttpPostEndpoint: ['EndOfStream'],
  RecorderEndpoint: ['Recording', 'Paused', 'Stopped'],
  ZBarFilter: ['CodeFound'],
};

