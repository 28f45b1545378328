/**
 * SdpEndpoint and WebRtcEndpoint in the fake KMS: an SDP answer built from a browser's offer, the
 * offer/answer state errors of SdpEndpointImpl.cpp, trickle ICE events, and plausible statistics.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FINGERPRINT } from '../support/fake-kms/index.js';
import { RawKmsClient } from '../support/fake-kms/raw-client.js';
import { BROWSER_OFFER } from '../support/fake-kms/sample-offer.js';
import { kmsTarget, realKmsUrl } from '../support/fake-kms/target.js';


const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function endpoint(constructorParams: Record<string, unknown> = {}, options: Parameters<typeof kmsTarget>[0] = {}) {
  const t = await kmsTarget(options);
  opened.push(t);
  const c = await RawKmsClient.open(t.url);
  opened.push(c);
  const sessionId = `webrtc-${Math.random()}`;
  const pipe = (await c.call('create', { type: 'MediaPipeline', sessionId })).result?.value;
  const ep = (await c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipe, ...constructorParams }, sessionId })).result?.value as string;
  const invoke = (operation: string, operationParams?: Record<string, unknown>) => c.call('invoke', { object: ep, operation, ...(operationParams ? { operationParams } : {}), sessionId });
  const ok = async (operation: string, operationParams?: Record<string, unknown>) => {
    const answer = await invoke(operation, operationParams);
    if (answer.error) throw new Error(JSON.stringify(answer.error));
    return answer.result?.value;
  };
  return { t, c, ep, sessionId, invoke, ok };
}

/** m-sections of an SDP, as arrays of lines. */
const sections = (sdp: string) => sdp.split('\r\nm=').slice(1).map((s) => `m=${s}`.split('\r\n').filter(Boolean));

describe('fake KMS: processOffer', () => {
  it('answers a browser offer with one m-line per offered one, KMS codecs, ICE and DTLS', async () => {
    const { ok, c, ep, sessionId } = await endpoint();
    await c.call('subscribe', { object: ep, type: 'MediaSessionStarted', sessionId });
    const answer = (await ok('processOffer', { offer: BROWSER_OFFER })) as string;
    expect(answer.startsWith('v=0\r\no=- ')).toBe(true);
    expect(answer).toContain('\r\na=group:BUNDLE 0 1\r\n');
    const [audio, video, data] = sections(answer);
    expect(audio?.[0]).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF 111 0 8$/);
    expect(video?.[0]).toMatch(/^m=video \d+ UDP\/TLS\/RTP\/SAVPF 96 102$/);
    expect(data).toEqual(['m=application 0 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:2']);
    const port = audio![0]!.split(' ')[1];
    expect(video![0]!.split(' ')[1]).toBe(port);
    for (const [m, mid] of [[audio!, '0'], [video!, '1']] as const) {
      expect(m).toContain(`a=mid:${mid}`);
      expect(m).toContain('a=sendrecv');
      expect(m).toContain('a=rtcp-mux');
      expect(m).toContain(`a=fingerprint:${FINGERPRINT}`);
      expect(m).toContain('a=setup:active');
      expect(m.filter((l) => l.startsWith('a=ice-ufrag:'))).toHaveLength(1);
    }
    expect(audio).toContain('a=rtpmap:111 opus/48000/2');
    expect(video).toContain('a=rtcp-fb:96 nack pli');
    expect(await ok('getRemoteSessionDescriptor')).toBe(BROWSER_OFFER);
    expect(await ok('getLocalSessionDescriptor')).toBe(answer);
    expect((await c.event('MediaSessionStarted')).params.value.data).toEqual({ source: ep, tags: [], timestampMillis: expect.any(String), type: 'MediaSessionStarted' });
  });

  it('accepts the data channel when the endpoint has them, and answers recvonly for a recvonly endpoint', async () => {
    const withData = await endpoint({ useDataChannels: true });
    const [, , data] = sections((await withData.ok('processOffer', { offer: BROWSER_OFFER })) as string);
    expect(data?.[0]).toMatch(/^m=application [1-9]\d* UDP\/DTLS\/SCTP webrtc-datachannel$/);
    expect(data).toContain('a=sctp-port:5000');
    const recvonly = await endpoint({ recvonly: true });
    const [audio, video] = sections((await recvonly.ok('processOffer', { offer: BROWSER_OFFER })) as string);
    expect(audio).toContain('a=recvonly');
    expect(video).toContain('a=recvonly');
  });

  it('refuses a second negotiation, an empty offer and text that is not SDP', async () => {
    const { invoke } = await endpoint();
    expect((await invoke('processOffer', { offer: '' })).error).toEqual({ code: 40201, message: 'Empty offer not valid', data: { type: 'SDP_PARSE_ERROR' } });
    expect((await invoke('processOffer', { offer: 'hello' })).error).toEqual({ code: 40201, message: 'Error parsing SDP', data: { type: 'SDP_PARSE_ERROR' } });
    expect((await invoke('processOffer', { offer: 'a=sendrecv\r\n' })).error?.message).toBe('Invalid SDP');
    expect((await invoke('getLocalSessionDescriptor')).error).toEqual({ code: 40202, message: 'No local SDP', data: { type: 'SDP_END_POINT_NO_LOCAL_SDP_ERROR' } });
    expect((await invoke('getRemoteSessionDescriptor')).error).toEqual({ code: 40203, message: 'No remote SDP', data: { type: 'SDP_END_POINT_NO_REMOTE_SDP_ERROR' } });
    expect((await invoke('processOffer', { offer: BROWSER_OFFER })).error).toBeUndefined();
    expect((await invoke('processOffer', { offer: BROWSER_OFFER })).error).toEqual({ code: 40208, message: 'Endpoint already negotiated', data: { type: 'SDP_END_POINT_ALREADY_NEGOTIATED' } });
    expect((await invoke('processOffer')).error).toEqual({ code: 40001, message: "'operationParams' is required", data: { type: 'MARSHALL_ERROR' } });
  });
});

describe('fake KMS: generateOffer and processAnswer', () => {
  it('offers audio and video (actpass) and takes one answer', async () => {
    const { ok, invoke } = await endpoint();
    expect((await invoke('processAnswer', { answer: 'v=0\r\n' })).error).toEqual({
      code: 40209,
      message: 'Offer not generated. It is not possible to process an answer.',
      data: { type: 'SDP_END_POINT_NOT_OFFER_GENERATED' },
    });
    const offer = (await ok('generateOffer')) as string;
    expect(sections(offer).map((m) => m[0]?.split(' ')[0])).toEqual(['m=audio', 'm=video']);
    expect(offer).toContain('a=setup:actpass');
    const local = await ok('processAnswer', { answer: BROWSER_OFFER.replace(/actpass/g, 'active') });
    expect(local).toBe(offer);
    expect((await invoke('processAnswer', { answer: BROWSER_OFFER })).error?.code).toBe(40210);
    expect((await invoke('generateOffer')).error?.code).toBe(40208);
  });

  it('leaves out a kind the options do not want', async () => {
    const { ok } = await endpoint();
    const offer = (await ok('generateOffer', { options: { __module__: 'kurento', __type__: 'OfferOptions', offerToReceiveVideo: false } })) as string;
    expect(sections(offer).map((m) => m[0]?.split(' ')[0])).toEqual(['m=audio']);
  });
});

describe('fake KMS: ICE', () => {
  it('gathers one host candidate per negotiated stream after negotiation, then IceGatheringDone', async () => {
    const { ok, invoke, c, ep, sessionId } = await endpoint();
    await c.call('subscribe', { object: ep, type: 'IceCandidateFound', sessionId });
    await c.call('subscribe', { object: ep, type: 'IceGatheringDone', sessionId });
    expect((await invoke('gatherCandidates')).error).toEqual({ code: 40400, message: 'Error gathering candidates', data: { type: 'ICE_GATHER_CANDIDATES_ERROR' } });
    const answer = (await ok('processOffer', { offer: BROWSER_OFFER })) as string;
    const port = sections(answer)[0]![0]!.split(' ')[1];
    expect(await ok('gatherCandidates')).toBeNull();
    await c.call('ping');
    const found = c.events('IceCandidateFound').map((e) => e.params.value.data);
    expect(found).toEqual([0, 1].map((i) => ({
      candidate: { __module__: 'kurento', __type__: 'IceCandidate', candidate: `candidate:1 1 UDP 2015363327 127.0.0.1 ${port} typ host`, sdpMid: String(i), sdpMLineIndex: i },
      source: ep,
      tags: [],
      timestampMillis: expect.any(String),
      type: 'IceCandidateFound',
    })));
    expect(c.events('IceGatheringDone')).toHaveLength(1);
    const last = c.frames.filter((f) => f.includes('"onEvent"')).at(-1);
    expect(last).toContain('IceGatheringDone');
  });

  it.skipIf(realKmsUrl)('puts the externalIPv4 (or the configured address) in candidates and SDP', async () => {
    const configured = await endpoint({}, { candidateIp: '10.0.0.7' });
    expect(await configured.ok('processOffer', { offer: BROWSER_OFFER })).toContain('c=IN IP4 10.0.0.7');
    const { ok, c, ep, sessionId } = await endpoint();
    await ok('setExternalIPv4', { externalIPv4: '198.51.100.7' });
    expect(await ok('getExternalIPv4')).toBe('198.51.100.7');
    await c.call('subscribe', { object: ep, type: 'IceCandidateFound', sessionId });
    await ok('processOffer', { offer: BROWSER_OFFER });
    await ok('gatherCandidates');
    const e = await c.event('IceCandidateFound');
    expect((e.params.value.data['candidate'] as { candidate: string }).candidate).toMatch(/^candidate:1 1 UDP 2015363327 198\.51\.100\.7 \d+ typ host$/);
  });

  it('takes remote candidates (an empty one is end-of-candidates) and checks their shape', async () => {
    const { ok, invoke } = await endpoint();
    await ok('processOffer', { offer: BROWSER_OFFER });
    expect(await ok('addIceCandidate', { candidate: { __module__: 'kurento', __type__: 'IceCandidate', candidate: 'candidate:1 1 udp 2122260223 192.168.1.2 51901 typ host', sdpMid: '0', sdpMLineIndex: 0 } })).toBeNull();
    expect(await ok('addIceCandidate', { candidate: { candidate: '', sdpMid: '0', sdpMLineIndex: 0 } })).toBeNull();
    expect((await invoke('addIceCandidate', { candidate: { candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ host', sdpMLineIndex: 0 } })).error).toEqual({
      code: 40001,
      message: "'sdpMid' property should be a string",
      data: { type: 'MARSHALL_ERROR' },
    });
  });
});

describe('fake KMS: WebRtcEndpoint properties and stats', () => {
  it('keeps the TURN URL and checks setter types', async () => {
    const { ok, invoke } = await endpoint();
    expect(await ok('getTurnUrl')).toBe('');
    expect(await ok('setTurnUrl', { turnUrl: 'user:pass@198.51.100.1:3478' })).toBeNull();
    expect(await ok('getTurnUrl')).toBe('user:pass@198.51.100.1:3478');
    expect((await invoke('setStunServerPort', { stunServerPort: 'x' })).error).toEqual({ code: 40001, message: "'stunServerPort' parameter should be a integer", data: { type: 'MARSHALL_ERROR' } });
    expect((await invoke('setMediaState', { mediaState: 'CONNECTED' })).error?.code).toBe(40008);
  });

  it('answers getStats with endpoint stats, and RTP stream stats once negotiated', async () => {
    const { ok } = await endpoint();
    const before = Object.values((await ok('getStats')) as Record<string, { __type__: string; type: string }>);
    expect(before.map((s) => [s.__type__, s.type])).toEqual([['EndpointStats', 'endpoint']]);
    await ok('processOffer', { offer: BROWSER_OFFER });
    const after = Object.values((await ok('getStats', { mediaType: 'AUDIO' })) as Record<string, { type: string; timestampMillis: number }>);
    expect(after.map((s) => s.type).sort()).toEqual(['endpoint', 'inboundrtp', 'outboundrtp']);
    expect(after.every((s) => Number.isInteger(s.timestampMillis))).toBe(true);
  });
});
