/**
 * Just enough SDP for an SdpEndpoint: a lenient parser (KMS uses gst_sdp_message_parse_buffer,
 * which accepts almost anything with a `v=` line) and builders for the answer to an offer and for
 * an offer, with ICE credentials, a DTLS fingerprint of a fixed certificate and one port per
 * endpoint. The media engine itself does not exist: no RTP ever flows.
 */
import { X509Certificate } from 'node:crypto';
import { Kms, KmsError } from './errors.js';

/** A fixed self-signed ECDSA certificate (public part only): its fingerprint goes into every SDP. */
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIBejCCASGgAwIBAgIUa9xRM4XfJQq5MatdvNuDYUQf0/YwCgYIKoZIzj0EAwIw
EjEQMA4GA1UEAwwHS3VyZW50bzAgFw0yNjExMzAxOTQwMjRaGA8yMTI2MTEwNjE5
NDAyNFowEjEQMA4GA1UEAwwHS3VyZW50bzBZMBMGByqGSM49AgEGCCqGSM49AwEH
A0IABBXbQlosrA9dlPOdeozN2VHeCJHaO85q4sYiewcY2bYQFa5EQMwUuV/QDnsk
MqKQA/KM5ZsovCdWR6z+ZU8Y8yqjUzBRMB0GA1UdDgQWBBR3MGW9Vicm+ymU6N1a
LD4q6RgxqjAfBgNVHSMEGDAWgBR3MGW9Vicm+ymU6N1aLD4q6RgxqjAPBgNVHRMB
Af8EBTADAQH/MAoGCCqGSM49BAMCA0cAMEQCICH29o5NyKPMKgjz/Alg9vbZ1Gjz
QDrNkdriHdLtybfKAiB2MwZ0Z7rusIZptpOPROv6DHpwq8oTfv3HnHJ7XXN1Gw==
-----END CERTIFICATE-----`;

/** `sha-256 XX:XX:…` of {@link CERTIFICATE}. */
export const FINGERPRINT = `sha-256 ${new X509Certificate(CERTIFICATE).fingerprint256}`;

export interface SdpMedia {
  kind: string;
  port: number;
  proto: string;
  fmts: string[];
  /** The lines after `m=`, without their `x=` prefix for `a=` lines kept whole. */
  lines: string[];
}

export interface Sdp {
  session: string[];
  media: SdpMedia[];
}

export function parseSdp(text: string): Sdp {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.some((l) => !/^[a-z]=/.test(l))) throw new KmsError(Kms.SDP_PARSE_ERROR, 'Error parsing SDP');
  if (!lines.some((l) => l.startsWith('v='))) throw new KmsError(Kms.SDP_PARSE_ERROR, 'Invalid SDP');
  const sdp: Sdp = { session: [], media: [] };
  for (const line of lines) {
    if (line.startsWith('m=')) {
      const m = /^m=(\S+) (\d+)(?:\/\d+)? (\S+)(?: (.*))?$/.exec(line);
      if (!m) throw new KmsError(Kms.SDP_PARSE_ERROR, 'Error parsing SDP');
      sdp.media.push({ kind: m[1]!, port: Number(m[2]), proto: m[3]!, fmts: (m[4] ?? '').split(' ').filter(Boolean), lines: [] });
    } else (sdp.media.at(-1)?.lines ?? sdp.session).push(line);
  }
  return sdp;
}

/** Values of `a=name:value` (or `a=name`, as '') in `lines`. */
export const attrs = (lines: readonly string[], name: string): string[] =>
  lines.filter((l) => l === `a=${name}` || l.startsWith(`a=${name}:`)).map((l) => l.slice(name.length + 3));

const DIRECTIONS = ['sendrecv', 'sendonly', 'recvonly', 'inactive'] as const;
type Direction = (typeof DIRECTIONS)[number];

const direction = (lines: readonly string[]): Direction | undefined => DIRECTIONS.find((d) => lines.includes(`a=${d}`));

/** What the endpoint puts in its own SDP. */
export interface LocalSdp {
  sessionId: string;
  ip: string;
  port: number;
  ufrag: string;
  pwd: string;
  ssrc: number;
  cname: string;
  /** WebRTC (ICE + DTLS lines) or plain RTP. */
  webrtc: boolean;
  canSend: boolean;
  canReceive: boolean;
  dataChannels: boolean;
}

/** A negotiated stream: where the ICE candidates go. */
export interface Stream {
  mid: string;
  index: number;
  kind: string;
}

const SUPPORTED: Record<string, string[]> = { audio: ['opus', 'pcmu', 'pcma'], video: ['vp8', 'h264'] };
const STATIC: Record<string, string> = { '0': 'pcmu', '8': 'pcma' };

function codecOf(media: SdpMedia, pt: string): string | undefined {
  const map = attrs(media.lines, 'rtpmap').find((v) => v.startsWith(`${pt} `));
  return map ? map.slice(pt.length + 1).split('/')[0]?.toLowerCase() : STATIC[pt];
}

function sessionLines(local: LocalSdp): string[] {
  return ['v=0', `o=- ${local.sessionId} ${local.sessionId} IN IP4 0.0.0.0`, 's=Kurento Media Server', 'c=IN IP4 0.0.0.0', 't=0 0'];
}

function transportLines(local: LocalSdp, setup: string): string[] {
  if (!local.webrtc) return [];
  return [`a=ice-ufrag:${local.ufrag}`, `a=ice-pwd:${local.pwd}`, `a=fingerprint:${FINGERPRINT}`, `a=setup:${setup}`];
}

function dirOf(send: boolean, receive: boolean): Direction {
  return send && receive ? 'sendrecv' : send ? 'sendonly' : receive ? 'recvonly' : 'inactive';
}

/** The answer to `offer`, and the streams it accepted. */
export function buildAnswer(offer: Sdp, local: LocalSdp): { text: string; streams: Stream[] } {
  const out = sessionLines(local);
  const bundled = attrs(offer.session, 'group').some((g) => g.startsWith('BUNDLE'));
  const body: string[] = [];
  const streams: Stream[] = [];
  const offerSetup = attrs(offer.session, 'setup')[0];
  offer.media.forEach((media, index) => {
    const mid = attrs(media.lines, 'mid')[0];
    const setup = (attrs(media.lines, 'setup')[0] ?? offerSetup) === 'active' ? 'passive' : 'active';
    const midLine = mid === undefined ? [] : [`a=mid:${mid}`];
    if (media.kind === 'application') {
      if (!local.dataChannels || media.port === 0) return body.push(`m=application 0 ${media.proto} ${media.fmts.join(' ')}`, ...midLine);
      streams.push({ mid: mid ?? String(index), index, kind: media.kind });
      const sctp = media.lines.filter((l) => /^a=(sctp-port|max-message-size|sctpmap):/.test(l));
      return body.push(`m=application ${local.port} ${media.proto} ${media.fmts.join(' ')}`, `c=IN IP4 ${local.ip}`, ...midLine, ...transportLines(local, setup), ...sctp);
    }
    const pts = media.fmts.filter((pt) => SUPPORTED[media.kind]?.includes(codecOf(media, pt) ?? ''));
    if (pts.length === 0 || media.port === 0) return body.push(`m=${media.kind} 0 ${media.proto} ${media.fmts[0] ?? '0'}`, ...midLine);
    streams.push({ mid: mid ?? String(index), index, kind: media.kind });
    const offered = direction(media.lines) ?? direction(offer.session) ?? 'sendrecv';
    const dir = dirOf(local.canSend && (offered === 'sendrecv' || offered === 'recvonly'), local.canReceive && (offered === 'sendrecv' || offered === 'sendonly'));
    const codecLines = media.lines.filter((l) => pts.some((pt) => l.startsWith(`a=rtpmap:${pt} `) || l.startsWith(`a=fmtp:${pt} `) || l.startsWith(`a=rtcp-fb:${pt} `)));
    body.push(
      `m=${media.kind} ${local.port} ${media.proto} ${pts.join(' ')}`,
      `c=IN IP4 ${local.ip}`,
      ...midLine,
      ...(media.lines.includes('a=rtcp-mux') ? ['a=rtcp-mux'] : []),
      `a=${dir}`,
      ...codecLines,
      ...transportLines(local, setup),
      ...(dir === 'sendrecv' || dir === 'sendonly' ? [`a=ssrc:${local.ssrc + index} cname:${local.cname}`] : []),
    );
  });
  if (bundled && streams.length > 0) out.push(`a=group:BUNDLE ${streams.map((s) => s.mid).join(' ')}`);
  return { text: [...out, ...body, ''].join('\r\n'), streams };
}

/** The offer `generateOffer` makes: audio (opus, PCMU), video (VP8, H264), data channels if enabled. */
export function buildOffer(local: LocalSdp, audio: boolean, video: boolean): { text: string; streams: Stream[] } {
  const proto = local.webrtc ? 'UDP/TLS/RTP/SAVPF' : 'RTP/AVPF';
  const dir = dirOf(local.canSend, local.canReceive);
  const sections: [string, string[], string[]][] = [];
  if (audio) sections.push(['audio', ['96', '0'], ['a=rtpmap:96 opus/48000/2', 'a=fmtp:96 minptime=10;useinbandfec=1', 'a=rtpmap:0 PCMU/8000']]);
  if (video) sections.push(['video', ['102', '103'], ['a=rtpmap:102 VP8/90000', 'a=rtcp-fb:102 nack', 'a=rtcp-fb:102 nack pli', 'a=rtcp-fb:102 goog-remb', 'a=rtpmap:103 H264/90000', 'a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f']]);
  const streams: Stream[] = [];
  const body: string[] = [];
  sections.forEach(([kind, pts, codecs], index) => {
    streams.push({ mid: String(index), index, kind });
    body.push(`m=${kind} ${local.port} ${proto} ${pts.join(' ')}`, `c=IN IP4 ${local.ip}`, `a=mid:${index}`, 'a=rtcp-mux', `a=${dir}`, ...codecs, ...transportLines(local, 'actpass'));
    if (dir === 'sendrecv' || dir === 'sendonly') body.push(`a=ssrc:${local.ssrc + index} cname:${local.cname}`);
  });
  if (local.dataChannels && local.webrtc) {
    const index = sections.length;
    streams.push({ mid: String(index), index, kind: 'application' });
    body.push(`m=application ${local.port} UDP/DTLS/SCTP webrtc-datachannel`, `c=IN IP4 ${local.ip}`, `a=mid:${index}`, ...transportLines(local, 'actpass'), 'a=sctp-port:5000');
  }
  const group = local.webrtc && streams.length > 0 ? [`a=group:BUNDLE ${streams.map((s) => s.mid).join(' ')}`] : [];
  return { text: [...sessionLines(local), ...group, ...body, ''].join('\r\n'), streams };
}

/** The host candidate the fake gathers for a stream (RFC 5245 priority of a host UDP candidate). */
export const hostCandidate = (ip: string, port: number): string => `candidate:1 1 UDP 2015363327 ${ip} ${port} typ host`;
