/**
 * The fake KMS's media plane (`media: 'werift'`), driven by the official kurento-client: werift
 * peers in the test play the browsers; ICE, DTLS and SRTP run for real on 127.0.0.1, and what one
 * peer sends reaches another through `connect`, with KMS's events on the way.
 */
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, useVP8 } from 'werift';
import { startFakeKms, type FakeKms } from '../support/fake-kms/index.js';
import { connectKurentoClient, type KurentoClient } from '../support/fake-kms/kurento-client.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

/** A browser stand-in: a werift peer on 127.0.0.1. */
function browser(): RTCPeerConnection {
  const pc = new RTCPeerConnection({ iceServers: [], iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'], codecs: { audio: [useOPUS()], video: [useVP8()] } });
  opened.push(pc);
  return pc;
}

const until = async (what: string, check: () => boolean, ms = 10_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

type Endpoint = { id: string; on(e: string, l: (ev: any) => void): void; processOffer(o: string): Promise<string>; generateOffer(): Promise<string>; processAnswer(a: string): Promise<string>; gatherCandidates(): Promise<void>; addIceCandidate(c: object): Promise<void>; connect(sink: Endpoint): Promise<void> };

/** Records an endpoint's events by type. */
function recorder(ep: Endpoint, types: string[]): Record<string, any[]> {
  const seen: Record<string, any[]> = {};
  for (const t of types) {
    seen[t] = [];
    ep.on(t, (e) => seen[t]!.push(e));
  }
  return seen;
}

/** Trickle ICE both ways between a test peer and its endpoint. */
function trickle(pc: RTCPeerConnection, ep: Endpoint): void {
  ep.on('IceCandidateFound', (e) => void pc.addIceCandidate({ candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex }));
  pc.onIceCandidate.subscribe((c) => {
    if (c?.candidate) void ep.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0 });
  });
}

/** A peer that offers, the endpoint answering (what a browser does with Kurento). */
async function offerTo(pc: RTCPeerConnection, ep: Endpoint): Promise<string> {
  trickle(pc, ep);
  await pc.setLocalDescription(await pc.createOffer());
  const answer = await ep.processOffer(pc.localDescription!.sdp);
  await pc.setRemoteDescription({ type: 'answer', sdp: answer });
  await ep.gatherCandidates();
  return answer;
}

/** Writes a VP8-looking RTP packet every 20 ms; each payload starts with `mark`. */
function pump(track: MediaStreamTrack, mark: number): () => void {
  let seq = 1;
  const timer = setInterval(() => {
    const payload = Buffer.alloc(200, mark);
    track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq++ & 0xffff, timestamp: seq * 3000, marker: true, ssrc: 1234 }), payload));
  }, 20);
  return () => clearInterval(timer);
}

let kms: FakeKms;
let client: KurentoClient;

async function setup(): Promise<any> {
  kms = await startFakeKms({ media: 'werift' });
  opened.push(kms);
  client = await connectKurentoClient(kms.url, { failAfter: 1, request_timeout: 10_000 });
  opened.push(client);
  return client.create('MediaPipeline');
}

describe('the fake KMS media plane (werift)', () => {
  it('answers with a real SDP, raises KMS events, and forwards RTP from one peer to another through connect', async () => {
    const pipeline = await setup();
    const a: Endpoint = await pipeline.create('WebRtcEndpoint');
    const b: Endpoint = await pipeline.create('WebRtcEndpoint');
    const types = ['IceCandidateFound', 'IceGatheringDone', 'IceComponentStateChanged', 'NewCandidatePairSelected', 'ConnectionStateChanged', 'MediaFlowInStateChanged', 'MediaFlowOutStateChanged', 'DtlsConnectionStateChange', 'MediaStateChanged'];
    const eventsA = recorder(a, types);
    const eventsB = recorder(b, types);

    // A sends video; the fake's endpoint A receives it.
    const sender = browser();
    const track = new MediaStreamTrack({ kind: 'video' });
    const sent = sender.addTransceiver(track, { direction: 'sendonly' });
    let pli = 0;
    sent.sender.onPictureLossIndication.subscribe(() => pli++);
    const answer = await offerTo(sender, a);
    expect(answer).toMatch(/^v=0\r\n/);
    expect(answer).toMatch(/a=fingerprint:sha-256 /);
    expect(answer).toMatch(/a=recvonly/);
    expect(answer).not.toMatch(/a=candidate:/);
    await until('A connected', () => sender.connectionState === 'connected');
    const stop = pump(track, 0xab);
    opened.push({ close: stop });
    await until('media in at A', () => eventsA['MediaFlowInStateChanged']!.length > 0);

    // B receives; A → B connected before B negotiates, as a group call does.
    await a.connect(b);
    const receiver = browser();
    receiver.addTransceiver('video', { direction: 'recvonly' });
    let bytes = 0;
    let payloadMark = 0;
    receiver.onTrack.subscribe((t) =>
      t.onReceiveRtp.subscribe((rtp) => {
        bytes += rtp.payload.length;
        payloadMark = rtp.payload[0] ?? 0;
      }),
    );
    const pliBefore = pli;
    await offerTo(receiver, b);
    await until('RTP bytes at B', () => bytes > 1000);
    expect(payloadMark).toBe(0xab);
    await until('a keyframe request upstream once B connected', () => pli > pliBefore);
    await until('media out at B', () => eventsB['MediaFlowOutStateChanged']!.length > 0);

    const candidate = eventsA['IceCandidateFound']![0].candidate;
    expect(candidate.candidate).toMatch(/^candidate:\S+ 1 udp \d+ 127\.0\.0\.1 \d+ typ host/);
    expect(eventsA['IceCandidateFound']!.every((e) => / 127\.0\.0\.1 /.test(e.candidate.candidate))).toBe(true);
    expect(eventsA['IceGatheringDone']).toHaveLength(1);
    const ice = eventsA['IceComponentStateChanged']!.map((e) => e.state);
    expect(ice[0]).toBe('GATHERING');
    expect(ice).toContain('CONNECTED');
    expect(eventsA['IceComponentStateChanged']![0]).toMatchObject({ streamId: 1, componentId: 1 });
    expect(eventsA['NewCandidatePairSelected']![0].candidatePair).toMatchObject({ streamId: '1', componentId: 1, localCandidate: expect.stringMatching(/127\.0\.0\.1/) });
    expect(eventsA['ConnectionStateChanged']![0]).toMatchObject({ oldState: 'DISCONNECTED', newState: 'CONNECTED' });
    expect(eventsA['DtlsConnectionStateChange']!.map((e) => e.state)).toContain('CONNECTED');
    expect(eventsA['MediaFlowInStateChanged']![0]).toMatchObject({ state: 'FLOWING', padName: 'default', mediaType: 'VIDEO' });
    expect(eventsB['MediaFlowOutStateChanged']![0]).toMatchObject({ state: 'FLOWING', padName: 'default', mediaType: 'VIDEO' });
    await until('RTCP at A', () => eventsA['MediaStateChanged']!.length > 0);
    expect(eventsA['MediaStateChanged']![0]).toMatchObject({ oldState: 'DISCONNECTED', newState: 'CONNECTED' });

    // getStats and isMediaFlowing* tell what the peers really carry (the inspector shows them).
    const stat = async (ep: Endpoint, type: string) => Object.values((await (ep as any).getStats('VIDEO')) as Record<string, any>).find((x) => x.type === type);
    const inA = await stat(a, 'inboundrtp');
    const outB = await stat(b, 'outboundrtp');
    expect(inA.bytesReceived).toBeGreaterThan(1000);
    expect(inA.packetsReceived).toBeGreaterThan(0);
    expect(outB.bytesSent).toBeGreaterThan(1000);
    expect((await stat(a, 'outboundrtp')).bytesSent).toBe(0); // A sends nothing back
    expect(await (a as any).isMediaFlowingIn('VIDEO')).toBe(true);
    expect(await (a as any).isMediaFlowingIn('AUDIO')).toBe(false);
    expect(await (b as any).isMediaFlowingOut('VIDEO')).toBe(true);
    expect(await (b as any).isMediaFlowingIn('VIDEO')).toBe(false);

    // The sender stops: A's input stops flowing.
    stop();
    await until('NOT_FLOWING at A', () => eventsA['MediaFlowInStateChanged']!.some((e) => e.state === 'NOT_FLOWING'), 5_000);
  });

  it('offers with generateOffer, takes the answer with processAnswer, and forwards to that peer too', async () => {
    const pipeline = await setup();
    const a: Endpoint = await pipeline.create('WebRtcEndpoint');
    const c: Endpoint = await pipeline.create('WebRtcEndpoint', { recvonly: false });
    const sender = browser();
    const track = new MediaStreamTrack({ kind: 'video' });
    sender.addTransceiver(track, { direction: 'sendonly' });
    await offerTo(sender, a);
    opened.push({ close: pump(track, 0x5c) });
    await a.connect(c);

    const answerer = browser();
    trickle(answerer, c);
    let bytes = 0;
    answerer.onTrack.subscribe((t) => t.onReceiveRtp.subscribe((rtp) => (bytes += rtp.payload.length)));
    const offer = await c.generateOffer();
    expect(offer).toMatch(/m=audio .*\r\n[\s\S]*m=video /);
    await answerer.setRemoteDescription({ type: 'offer', sdp: offer });
    await answerer.setLocalDescription(await answerer.createAnswer());
    await c.processAnswer(answerer.localDescription!.sdp);
    await c.gatherCandidates();
    await until('RTP bytes at the answering peer', () => bytes > 1000);
  });

  it('closes an endpoint’s peer when it is released: its candidate port is free again', async () => {
    const pipeline = await setup();
    const a: Endpoint = await pipeline.create('WebRtcEndpoint');
    const found: any[] = [];
    a.on('IceCandidateFound', (e) => found.push(e.candidate));
    const sender = browser();
    sender.addTransceiver(new MediaStreamTrack({ kind: 'video' }), { direction: 'sendonly' });
    await offerTo(sender, a);
    await until('connected', () => sender.connectionState === 'connected');
    const port = Number(String(found[0]?.candidate).split(' ')[5]);
    const bind = () =>
      new Promise<string>((resolve) => {
        const s = createSocket('udp4');
        s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        s.bind(port, '127.0.0.1', () => s.close(() => resolve('bound')));
      });
    expect(await bind()).toBe('EADDRINUSE');
    await pipeline.release();
    let released = false;
    const deadline = Date.now() + 5_000;
    while (!released && Date.now() < deadline) {
      released = (await bind()) === 'bound';
      if (!released) await new Promise((r) => setTimeout(r, 50));
    }
    expect(released).toBe(true);
  });
});
