/**
 * A real media plane for the fake's WebRtcEndpoint, opt-in (`startFakeKms({ media: 'werift' })`):
 * each endpoint holds a werift RTCPeerConnection (ICE host candidates on the fake's candidate
 * address, DTLS, SRTP; opus and VP8), and `connect(sink)` forwards what the source receives from
 * its peer to the sink's peer, as KMS's agnostic bins do without transcoding.
 *
 * - SDP: `processOffer`/`generateOffer` answer werift's description without its `a=candidate`
 *   lines (KMS's has none before `gatherCandidates`); `gatherCandidates` raises one
 *   `IceCandidateFound` per candidate on the candidate address, then `IceGatheringDone`.
 * - Events, named and shaped as KMS's kmd files and WebRtcEndpointImpl.cpp/BaseRtpEndpointImpl.cpp
 *   raise them: IceComponentStateChanged (GATHERING, CONNECTING, CONNECTED, READY, FAILED,
 *   DISCONNECTED; `streamId` and `componentId` ints), NewCandidatePairSelected, DtlsConnectionStateChange,
 *   ConnectionStateChanged and MediaStateChanged (DISCONNECTED → CONNECTED), and
 *   MediaFlowIn/OutStateChanged (FLOWING on the first packet, NOT_FLOWING after 2 s of silence;
 *   `padName` 'default').
 * - Forwarding: werift's sender rewrites SSRC, payload type and header extensions for the sink's
 *   negotiation and keeps sequence numbers and timestamps continuous when its source changes.
 *   Keyframes: a picture loss indication goes upstream when a sink connects, when the sink's peer
 *   connects and whenever the sink's peer sends one.
 * - PlayerEndpoint: `play` pulls its `uri` with ffmpeg into VP8 RTP (player-media.ts), forwarded to
 *   its sinks like a peer's video; MediaFlowOutStateChanged on it; EndOfStream when ffmpeg ends.
 */
import { RTCPeerConnection, useOPUS, useVP8, type RTCIceCandidate, type RTCRtpTransceiver, type RtpPacket } from 'werift';
import { complex, type MediaObj, type MediaTypeName } from './model.js';
import type { MediaSet } from './media-set.js';
import { PlayerMedia } from './player-media.js';

/** What the fake's SdpEndpoint and MediaElement behaviours ask of a media plane. */
export interface MediaPlane {
  processOffer(obj: MediaObj, offer: string, send: boolean, receive: boolean): Promise<string>;
  generateOffer(obj: MediaObj, audio: boolean, video: boolean, send: boolean, receive: boolean): Promise<string>;
  processAnswer(obj: MediaObj, answer: string): Promise<void>;
  /** Raises the endpoint's candidates (on `address`) and IceGatheringDone. */
  gatherCandidates(obj: MediaObj, address: string): void;
  addIceCandidate(obj: MediaObj, candidate: { candidate?: unknown; sdpMid?: unknown; sdpMLineIndex?: unknown }): Promise<void>;
  /** `source.connect(sink)` for `type` happened. */
  connected(source: MediaObj, sink: MediaObj, type: MediaTypeName): void;
  /** A PlayerEndpoint's `play`: its `uri` is pulled and its video sent to its sinks (player-media.ts). */
  play(obj: MediaObj, uri: string): void;
  /** A PlayerEndpoint's `stop` or `pause`: its source is let go. */
  stopPlaying(obj: MediaObj): void;
  /** The object was destroyed: its peer closes, its player stops. */
  destroyed(obj: MediaObj): void;
  /** RTP counted on the endpoint's peer, per kind, for `getStats` (undefined: no peer). */
  rtpCounts(obj: MediaObj): Record<'audio' | 'video', RtpCount> | undefined;
  /** Whether media of a kind (any kind when undefined) flows in, or out. */
  flowing(obj: MediaObj, direction: 'in' | 'out', kind?: 'audio' | 'video'): boolean;
  close(): Promise<void>;
}

type Kind = 'audio' | 'video';

/** RTP an endpoint's peer received from its browser and sent to it. */
export interface RtpCount {
  packetsReceived: number;
  bytesReceived: number;
  packetsSent: number;
  bytesSent: number;
}
const KINDS: Kind[] = ['audio', 'video'];
const FLOW_TIMEOUT_MS = 2_000;

interface Flow {
  flowing: boolean;
  last: number;
}

interface Peer {
  pc: RTCPeerConnection;
  /** Local candidates werift gathered, as the browser API gives them. */
  candidates: RTCIceCandidate[];
  flowIn: Record<Kind, Flow>;
  flowOut: Record<Kind, Flow>;
  counts: Record<Kind, RtpCount>;
  /** The inbound stream of each kind: where keyframe requests go. */
  inbound: Partial<Record<Kind, { transceiver: RTCRtpTransceiver; ssrc: number }>>;
  /** The element whose media each sender last sent (a new one resets sequence numbers and timestamps). */
  lastSource: Partial<Record<Kind, string>>;
  connected: boolean;
  mediaConnected: boolean;
  /** DTLS transports whose state is watched. */
  dtls: Set<string>;
  /** ICE events held until gatherCandidates (KMS's agent checks nothing before it gathers). */
  held: (() => void)[] | undefined;
  timer: NodeJS.Timeout;
}

// werift says 'completed' when its gathering completes, before any check: KMS's READY follows CONNECTED.
const ICE_STATES: Record<string, string[]> = { checking: ['CONNECTING'], connected: ['CONNECTED', 'READY'], failed: ['FAILED'], disconnected: ['DISCONNECTED'] };
const DTLS_STATES: Record<string, string> = { new: 'NEW', connecting: 'CONNECTING', connected: 'CONNECTED', failed: 'FAILED', closed: 'CLOSED' };

const direction = (send: boolean, receive: boolean) => (send && receive ? 'sendrecv' : send ? 'sendonly' : receive ? 'recvonly' : 'inactive');

/** KMS answers without candidates: they come by IceCandidateFound after gatherCandidates. */
const withoutCandidates = (sdp: string) =>
  sdp
    .split('\r\n')
    .filter((l) => !l.startsWith('a=candidate:') && l !== 'a=end-of-candidates')
    .join('\r\n');

export class WeriftMediaPlane implements MediaPlane {
  private readonly peers = new Map<string, Peer>();
  /** PlayerEndpoints playing: their ffmpeg, and their video's flow out. */
  private readonly players = new Map<string, { media: PlayerMedia; flow: Flow; timer: NodeJS.Timeout }>();

  constructor(
    private readonly set: MediaSet,
    /** The address of the endpoints' candidates (the fake's `candidateIp`). */
    private readonly address: string,
  ) {}

  private raise(obj: MediaObj, type: string, data: Record<string, unknown>): void {
    if (this.set.objects.get(obj.id) === obj) this.set.raise(obj, type, data);
  }

  private peer(obj: MediaObj): Peer {
    const existing = this.peers.get(obj.id);
    if (existing) return existing;
    const address = this.address;
    const pc = new RTCPeerConnection({
      iceServers: [],
      iceUseIpv6: false,
      iceAdditionalHostAddresses: [address],
      // Only the candidate address is announced, so only its pairs may carry media.
      iceFilterCandidatePair: (pair) => pair.localCandidate.host === address,
      codecs: { audio: [useOPUS()], video: [useVP8()] },
    });
    const flow = (): Record<Kind, Flow> => ({ audio: { flowing: false, last: 0 }, video: { flowing: false, last: 0 } });
    const count = (): RtpCount => ({ packetsReceived: 0, bytesReceived: 0, packetsSent: 0, bytesSent: 0 });
    const peer: Peer = { pc, candidates: [], flowIn: flow(), flowOut: flow(), counts: { audio: count(), video: count() }, inbound: {}, lastSource: {}, connected: false, mediaConnected: false, dtls: new Set(), held: [], timer: setInterval(() => this.checkFlows(obj, peer), 500) };
    peer.timer.unref();
    this.peers.set(obj.id, peer);
    pc.onIceCandidate.subscribe((c) => {
      if (c && c.candidate) peer.candidates.push(c);
    });
    pc.iceConnectionStateChange.subscribe((state) => {
      const ice = () => {
        for (const kms of ICE_STATES[state] ?? []) this.raise(obj, 'IceComponentStateChanged', { streamId: 1, componentId: 1, state: kms });
        if (state === 'connected') this.pairSelected(obj, peer);
      };
      if (peer.held) peer.held.push(ice);
      else ice();
    });
    pc.connectionStateChange.subscribe((state) => {
      if (state === 'connected' && !peer.connected) {
        peer.connected = true;
        this.raise(obj, 'ConnectionStateChanged', { oldState: 'DISCONNECTED', newState: 'CONNECTED' });
        // The sink can send now: ask its sources for a keyframe.
        for (const c of obj.sources) if (c.type === 'VIDEO') this.requestKeyframe(c.source, new Set());
      } else if ((state === 'disconnected' || state === 'failed' || state === 'closed') && peer.connected) {
        peer.connected = false;
        this.raise(obj, 'ConnectionStateChanged', { oldState: 'CONNECTED', newState: 'DISCONNECTED' });
      }
    });
    pc.onTransceiverAdded.subscribe((t) => this.watch(obj, peer, t));
    return peer;
  }

  private watch(obj: MediaObj, peer: Peer, t: RTCRtpTransceiver): void {
    const kind = t.kind as Kind;
    t.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => {
        if (track.ssrc !== undefined) peer.inbound[kind] = { transceiver: t, ssrc: track.ssrc };
        peer.counts[kind].packetsReceived += 1;
        peer.counts[kind].bytesReceived += rtp.payload.length;
        this.mark(obj, peer.flowIn[kind], 'MediaFlowInStateChanged', kind);
        this.forward(obj, kind, rtp, new Set());
      });
    });
    t.receiver.onRtcp.subscribe(() => this.mediaUp(obj, peer));
    t.sender.onRtcp.subscribe(() => this.mediaUp(obj, peer));
    // The sink's browser lost a picture: ask upstream for a keyframe, as KMS forwards it.
    t.sender.onPictureLossIndication.subscribe(() => {
      for (const c of obj.sources) if (c.type === 'VIDEO') this.requestKeyframe(c.source, new Set());
    });
  }

  /** DtlsConnectionStateChange for each DTLS transport, once negotiation made it. */
  private watchDtls(obj: MediaObj, peer: Peer): void {
    for (const dtls of peer.pc.dtlsTransports) {
      if (peer.dtls.has(dtls.id)) continue;
      peer.dtls.add(dtls.id);
      dtls.onStateChange.subscribe((state) => {
        const kms = DTLS_STATES[state];
        if (kms) this.raise(obj, 'DtlsConnectionStateChange', { streamId: '1', componentId: '1', connectionId: dtls.id, state: kms });
      });
    }
  }

  private mediaUp(obj: MediaObj, peer: Peer): void {
    if (peer.mediaConnected) return;
    peer.mediaConnected = true;
    this.raise(obj, 'MediaStateChanged', { oldState: 'DISCONNECTED', newState: 'CONNECTED' });
  }

  private pairSelected(obj: MediaObj, peer: Peer): void {
    const pair = peer.pc.iceTransports[0]?.connection.nominated;
    if (!pair) return;
    const candidatePair = complex('IceCandidatePair', { streamId: '1', componentId: 1, localCandidate: `candidate:${pair.localCandidate.toSdp()}`, remoteCandidate: `candidate:${pair.remoteCandidate.toSdp()}` });
    obj.props.set('ICECandidatePairs', [candidatePair]);
    this.raise(obj, 'NewCandidatePairSelected', { candidatePair });
  }

  private mark(obj: MediaObj, flow: Flow, event: string, kind: Kind): void {
    flow.last = Date.now();
    if (flow.flowing) return;
    flow.flowing = true;
    this.raise(obj, event, { state: 'FLOWING', padName: 'default', mediaType: kind.toUpperCase() });
  }

  private checkFlows(obj: MediaObj, peer: Peer): void {
    for (const [flows, event] of [[peer.flowIn, 'MediaFlowInStateChanged'], [peer.flowOut, 'MediaFlowOutStateChanged']] as const) {
      for (const kind of KINDS) this.expire(obj, flows[kind], event, kind);
    }
  }

  /** NOT_FLOWING once a flow has been silent FLOW_TIMEOUT_MS. */
  private expire(obj: MediaObj, f: Flow, event: string, kind: Kind): void {
    if (!f.flowing || Date.now() - f.last < FLOW_TIMEOUT_MS) return;
    f.flowing = false;
    this.raise(obj, event, { state: 'NOT_FLOWING', padName: 'default', mediaType: kind.toUpperCase() });
  }

  /** Sends what `from` received to every sink of its `kind`, through elements without a peer (filters pass media unchanged). */
  private forward(from: MediaObj, kind: Kind, rtp: RtpPacket, seen: Set<string>, origin = from.id): void {
    if (seen.has(from.id)) return;
    seen.add(from.id);
    for (const c of from.sinks) {
      if (c.type !== kind.toUpperCase()) continue;
      const sink = this.peers.get(c.sink.id);
      if (!sink) {
        this.forward(c.sink, kind, rtp, seen, origin);
        continue;
      }
      const t = sink.pc.getTransceivers().find((x) => x.kind === kind && (x.currentDirection === 'sendrecv' || x.currentDirection === 'sendonly'));
      if (!t?.sender.codec || t.sender.dtlsTransport.state !== 'connected') continue;
      if (sink.lastSource[kind] !== origin) {
        // A new source: the receiver sees one continuous stream.
        if (sink.lastSource[kind] !== undefined) t.sender.replaceRTP(rtp.header, true);
        sink.lastSource[kind] = origin;
      }
      // sendRtp rewrites the header it is given: each sink gets its own copy.
      void t.sender.sendRtp(rtp.serialize()).catch(() => undefined);
      sink.counts[kind].packetsSent += 1;
      sink.counts[kind].bytesSent += rtp.payload.length;
      this.mark(c.sink, sink.flowOut[kind], 'MediaFlowOutStateChanged', kind);
    }
  }

  /** A picture loss indication to the peer that sends `obj`'s video (walking up elements without a peer). */
  private requestKeyframe(obj: MediaObj, seen: Set<string>): void {
    if (seen.has(obj.id)) return;
    seen.add(obj.id);
    const peer = this.peers.get(obj.id);
    if (!peer) {
      for (const c of obj.sources) if (c.type === 'VIDEO') this.requestKeyframe(c.source, seen);
      return;
    }
    const inbound = peer.inbound.video;
    if (inbound) void inbound.transceiver.receiver.sendRtcpPLI(inbound.ssrc).catch(() => undefined);
  }

  async processOffer(obj: MediaObj, offer: string, send: boolean, receive: boolean): Promise<string> {
    const peer = this.peer(obj);
    const { pc } = peer;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    for (const t of pc.getTransceivers()) t.setDirection(direction(send, receive));
    await pc.setLocalDescription(await pc.createAnswer());
    this.watchDtls(obj, peer);
    return withoutCandidates(pc.localDescription?.sdp ?? '');
  }

  async generateOffer(obj: MediaObj, audio: boolean, video: boolean, send: boolean, receive: boolean): Promise<string> {
    const peer = this.peer(obj);
    const { pc } = peer;
    for (const kind of KINDS) if (kind === 'audio' ? audio : video) pc.addTransceiver(kind, { direction: direction(send, receive) });
    await pc.setLocalDescription(await pc.createOffer());
    this.watchDtls(obj, peer);
    return withoutCandidates(pc.localDescription?.sdp ?? '');
  }

  async processAnswer(obj: MediaObj, answer: string): Promise<void> {
    const peer = this.peer(obj);
    await peer.pc.setRemoteDescription({ type: 'answer', sdp: answer });
    this.watchDtls(obj, peer);
  }

  gatherCandidates(obj: MediaObj, address: string): void {
    const peer = this.peer(obj);
    this.raise(obj, 'IceComponentStateChanged', { streamId: 1, componentId: 1, state: 'GATHERING' });
    for (const c of peer.candidates) {
      const parts = c.candidate.split(' ');
      if (parts[4] !== this.address) continue;
      // KMS puts externalIPv4 (when set) in place of the address it gathered on.
      parts[4] = address;
      this.raise(obj, 'IceCandidateFound', { candidate: complex('IceCandidate', { candidate: parts.join(' '), sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0 }) });
    }
    this.raise(obj, 'IceGatheringDone', {});
    const held = peer.held ?? [];
    peer.held = undefined;
    for (const ice of held) ice();
  }

  async addIceCandidate(obj: MediaObj, candidate: { candidate?: unknown; sdpMid?: unknown; sdpMLineIndex?: unknown }): Promise<void> {
    // An mDNS name (Chromium hides its addresses this way from a page without camera permission) is never
    // resolved: werift would ask multicast DNS and wait, holding every later request of the socket.
    if (String(candidate.candidate).split(' ')[4]?.endsWith('.local')) return;
    try {
      await this.peer(obj).pc.addIceCandidate({
        candidate: String(candidate.candidate),
        ...(typeof candidate.sdpMid === 'string' ? { sdpMid: candidate.sdpMid } : {}),
        ...(typeof candidate.sdpMLineIndex === 'number' ? { sdpMLineIndex: candidate.sdpMLineIndex } : {}),
      });
    } catch {
      // KMS ignores a candidate it cannot use (mDNS names, TCP) and keeps the others
    }
  }

  connected(source: MediaObj, _sink: MediaObj, type: MediaTypeName): void {
    if (type === 'VIDEO') this.requestKeyframe(source, new Set());
  }

  play(obj: MediaObj, uri: string): void {
    if (this.players.has(obj.id)) return; // already playing: KMS's play on a playing player changes nothing
    const flow: Flow = { flowing: false, last: 0 };
    const media = new PlayerMedia(uri, {
      rtp: (packet) => {
        // KMS raises MediaFlowOutStateChanged on a player whose decoded media leaves it.
        this.mark(obj, flow, 'MediaFlowOutStateChanged', 'video');
        // A player has no peer: forward() sends its packets to the connected endpoints' peers.
        this.forward(obj, 'video', packet, new Set());
      },
      ended: () => {
        if (this.players.get(obj.id)?.media !== media) return;
        this.stopPlaying(obj);
        this.raise(obj, 'EndOfStream', {});
      },
    });
    const timer = setInterval(() => this.expire(obj, flow, 'MediaFlowOutStateChanged', 'video'), 500);
    timer.unref();
    this.players.set(obj.id, { media, flow, timer });
    void media.start().catch(() => media.stop());
  }

  stopPlaying(obj: MediaObj): void {
    this.stopPlayer(obj.id);
  }

  private stopPlayer(id: string): void {
    const player = this.players.get(id);
    if (!player) return;
    this.players.delete(id);
    player.media.stop();
    clearInterval(player.timer);
  }

  rtpCounts(obj: MediaObj): Record<Kind, RtpCount> | undefined {
    const peer = this.peers.get(obj.id);
    return peer ? { audio: { ...peer.counts.audio }, video: { ...peer.counts.video } } : undefined;
  }

  flowing(obj: MediaObj, direction: 'in' | 'out', kind?: Kind): boolean {
    const player = this.players.get(obj.id);
    if (player) return direction === 'out' && kind !== 'audio' && player.flow.flowing;
    const peer = this.peers.get(obj.id);
    const flows = peer ? (direction === 'in' ? peer.flowIn : peer.flowOut) : undefined;
    return flows !== undefined && (kind ? flows[kind].flowing : KINDS.some((k) => flows[k].flowing));
  }

  destroyed(obj: MediaObj): void {
    this.stopPlaying(obj);
    const peer = this.peers.get(obj.id);
    if (!peer) return;
    this.peers.delete(obj.id);
    clearInterval(peer.timer);
    void peer.pc.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    for (const id of [...this.players.keys()]) this.stopPlayer(id);
    const peers = [...this.peers.values()];
    this.peers.clear();
    for (const p of peers) clearInterval(p.timer);
    await Promise.all(peers.map((p) => p.pc.close().catch(() => undefined)));
  }
}
