/**
 * SdpEndpoint, BaseRtpEndpoint and WebRtcEndpoint behaviour, after SdpEndpointImpl.cpp and
 * WebRtcEndpointImpl.cpp: offer/answer state with KMS's error codes and messages,
 * MediaSessionStarted on negotiation, and ICE gathering that raises one `IceCandidateFound` per
 * negotiated stream, then `IceGatheringDone`.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { isA } from './catalog.js';
import { Kms, KmsError } from './errors.js';
import { complex, type MediaObj } from './model.js';
import type { Behaviours, ObjectContext } from './objects.js';
import { attrs, buildAnswer, buildOffer, hostCandidate, parseSdp, type LocalSdp, type Stream } from './sdp.js';

export interface SdpState {
  local?: string;
  remote?: string;
  offerInProcess: boolean;
  waitingAnswer: boolean;
  answerProcessed: boolean;
  gathered: boolean;
  streams: Stream[];
  port: number;
  ufrag: string;
  pwd: string;
  ssrc: number;
  sessionId: string;
  /** Candidates received by addIceCandidate. */
  remoteCandidates: unknown[];
}

const token = (n: number): string => randomBytes(n * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, n).padEnd(n, 'x');

function state(obj: MediaObj, ctx: ObjectContext): SdpState {
  obj.sdp ??= {
    offerInProcess: false,
    waitingAnswer: false,
    answerProcessed: false,
    gathered: false,
    streams: [],
    port: ctx.allocatePort(),
    ufrag: token(4),
    pwd: token(24),
    ssrc: randomInt(1, 2 ** 31),
    sessionId: String(randomInt(1_000_000_000, 2 ** 32 - 1)),
    remoteCandidates: [],
  };
  return obj.sdp;
}

/** The address candidates and SDP carry: the endpoint's externalIPv4, else the configured one. */
export function endpointAddress(obj: MediaObj, ctx: ObjectContext): string {
  const external = obj.props.get('externalIPv4');
  return typeof external === 'string' && external !== '' ? external : ctx.config.candidateIp;
}

function local(obj: MediaObj, ctx: ObjectContext): LocalSdp {
  const st = state(obj, ctx);
  const flag = (name: string) => obj.constructorParams[name] === true;
  return {
    sessionId: st.sessionId,
    ip: endpointAddress(obj, ctx),
    port: st.port,
    ufrag: st.ufrag,
    pwd: st.pwd,
    ssrc: st.ssrc,
    cname: `user${st.ssrc}@host-${st.sessionId.slice(0, 8)}`,
    webrtc: isA(obj.type, 'WebRtcEndpoint'),
    canSend: !flag('recvonly'),
    canReceive: !flag('sendonly'),
    dataChannels: flag('useDataChannels'),
  };
}

/** The media plane of a WebRtcEndpoint, when the fake has one. */
const planeOf = (obj: MediaObj, ctx: ObjectContext) => (isA(obj.type, 'WebRtcEndpoint') ? ctx.media : undefined);

/** A media plane's SDP and its negotiated streams; its errors as KMS's `code`. */
async function planeSdp(code: number, make: () => Promise<string>): Promise<{ text: string; streams: Stream[] }> {
  let text: string;
  try {
    text = await make();
  } catch (e) {
    throw new KmsError(code, `Media plane: ${e instanceof Error ? e.message : String(e)}`);
  }
  const streams = parseSdp(text).media.flatMap((m, index) => (m.port === 0 ? [] : [{ mid: attrs(m.lines, 'mid')[0] ?? String(index), index, kind: m.kind }]));
  return { text, streams };
}

const alreadyNegotiated = () => new KmsError(Kms.SDP_END_POINT_ALREADY_NEGOTIATED, 'Endpoint already negotiated');

export const sdpEndpoint: Behaviours = {
  async generateOffer(obj, args, ctx) {
    const st = state(obj, ctx);
    if (st.offerInProcess) throw alreadyNegotiated();
    st.offerInProcess = true;
    const options = (args['options'] ?? {}) as { offerToReceiveAudio?: unknown; offerToReceiveVideo?: unknown };
    const [l, audio, video, media] = [local(obj, ctx), options.offerToReceiveAudio !== false, options.offerToReceiveVideo !== false, planeOf(obj, ctx)];
    const offer = media ? await planeSdp(Kms.SDP_END_POINT_GENERATE_OFFER_ERROR, () => media.generateOffer(obj, audio, video, l.canSend, l.canReceive)) : buildOffer(l, audio, video);
    st.local = offer.text;
    st.streams = offer.streams;
    st.waitingAnswer = true;
    return offer.text;
  },
  async processOffer(obj, args, ctx) {
    const offer = String(args['offer']);
    if (offer === '') throw new KmsError(Kms.SDP_PARSE_ERROR, 'Empty offer not valid');
    const sdp = parseSdp(offer);
    const st = state(obj, ctx);
    if (st.offerInProcess) throw alreadyNegotiated();
    st.offerInProcess = true;
    const [l, media] = [local(obj, ctx), planeOf(obj, ctx)];
    const answer = media ? await planeSdp(Kms.SDP_END_POINT_PROCESS_OFFER_ERROR, () => media.processOffer(obj, offer, l.canSend, l.canReceive)) : buildAnswer(sdp, l);
    st.remote = offer;
    st.local = answer.text;
    st.streams = answer.streams;
    ctx.set.raise(obj, 'MediaSessionStarted', {});
    return answer.text;
  },
  async processAnswer(obj, args, ctx) {
    const answer = String(args['answer']);
    if (answer === '') throw new KmsError(Kms.SDP_PARSE_ERROR, 'Empty answer not valid');
    const st = state(obj, ctx);
    if (!st.waitingAnswer) throw new KmsError(Kms.SDP_END_POINT_NOT_OFFER_GENERATED, 'Offer not generated. It is not possible to process an answer.');
    parseSdp(answer);
    if (st.answerProcessed) throw new KmsError(Kms.SDP_END_POINT_ANSWER_ALREADY_PROCCESED, 'Sdp Answer already processed');
    st.answerProcessed = true;
    const media = planeOf(obj, ctx);
    if (media) {
      await planeSdp(Kms.SDP_END_POINT_PROCESS_ANSWER_ERROR, async () => {
        await media.processAnswer(obj, answer);
        return answer;
      });
    }
    st.remote = answer;
    ctx.set.raise(obj, 'MediaSessionStarted', {});
    return st.local ?? null;
  },
  getLocalSessionDescriptor(obj, _args, ctx) {
    const sdp = state(obj, ctx).local;
    if (sdp === undefined) throw new KmsError(Kms.SDP_END_POINT_NO_LOCAL_SDP_ERROR, 'No local SDP');
    return sdp;
  },
  getRemoteSessionDescriptor(obj, _args, ctx) {
    const sdp = state(obj, ctx).remote;
    if (sdp === undefined) throw new KmsError(Kms.SDP_END_POINT_NO_REMOTE_SDP_ERROR, 'No remote SDP');
    return sdp;
  },
};

export const webRtcEndpoint: Behaviours = {
  /** Needs an SDP first (the fake's rule: KMS gathers per negotiated stream). A second call gathers nothing new. */
  gatherCandidates(obj, _args, ctx) {
    const st = state(obj, ctx);
    if (st.local === undefined) throw new KmsError(Kms.ICE_GATHER_CANDIDATES_ERROR, 'Error gathering candidates');
    if (st.gathered) return null;
    st.gathered = true;
    const ip = endpointAddress(obj, ctx);
    if (ctx.media) {
      ctx.media.gatherCandidates(obj, ip);
      return null;
    }
    for (const s of st.streams) {
      ctx.set.raise(obj, 'IceCandidateFound', { candidate: complex('IceCandidate', { candidate: hostCandidate(ip, st.port), sdpMid: s.mid, sdpMLineIndex: s.index }) });
    }
    ctx.set.raise(obj, 'IceGatheringDone', {});
    return null;
  },
  addIceCandidate(obj, args, ctx) {
    const candidate = args['candidate'] as { candidate?: unknown };
    if (candidate.candidate === '') return null; // end-of-candidates: ignored, as KMS does
    state(obj, ctx).remoteCandidates.push(candidate);
    return ctx.media?.addIceCandidate(obj, candidate) ?? null;
  },
  createDataChannel(obj) {
    if (obj.constructorParams['useDataChannels'] !== true) throw new KmsError(Kms.MEDIA_OBJECT_OPERATION_NOT_SUPPORTED, 'Cannot create data channel: data channels are not enabled');
    return null;
  },
};
