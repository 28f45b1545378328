/**
 * The inspector's pure parts: the load history's sampling and bound, what it reads from a getStats
 * answer shaped as KMS 7.3.0 serialises it (core.kmd.json; BaseRtpEndpointImpl.cpp), and its page
 * script being valid JavaScript with nothing fetched from elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { LoadHistory } from '../../src/node/controller/cluster.js';
import { APP_JS } from '../../src/node/controller/inspector/client.js';
import { loginPage, pageShell } from '../../src/node/controller/inspector/pages.js';
import { candidatePairs, connectionStates, summarizeStats } from '../../src/node/controller/inspector/stats.js';
import { STYLE_CSS } from '../../src/node/controller/inspector/style.js';

describe('the load history', () => {
  it('keeps one sample per interval (the highest load seen in it)', () => {
    const h = new LoadHistory(10_000, 3_600_000);
    h.record(100_000, 10);
    h.record(104_000, 30);
    h.record(109_999, 20);
    h.record(110_000, 5);
    expect(h.since(110_000)).toEqual([{ t: 100_000, load: 30 }, { t: 110_000, load: 5 }]);
  });

  it('is bounded: an hour of samples however long it runs, and only the last hour is shown', () => {
    const h = new LoadHistory(10_000, 3_600_000);
    for (let t = 0; t <= 5 * 3_600_000; t += 1_000) h.record(t, (t / 1_000) % 100);
    const samples = h.since(5 * 3_600_000);
    expect(samples.length).toBeLessThanOrEqual(361);
    expect(samples[0]?.t).toBeGreaterThan(4 * 3_600_000);
    expect(samples.at(-1)?.t).toBe(5 * 3_600_000);
    expect((h as unknown as { samples: unknown[] }).samples.length).toBe(361);
  });

  it('ignores a sample older than its last one (a clock that went back)', () => {
    const h = new LoadHistory(10_000);
    h.record(50_000, 1);
    h.record(20_000, 9);
    expect(h.since(50_000)).toEqual([{ t: 50_000, load: 1 }]);
  });
});

// What KMS answers to getStats(VIDEO) on a WebRtcEndpoint receiving and sending video
// (RTCInboundRTPStreamStats / RTCOutboundRTPStreamStats / EndpointStats of core.kmd.json).
const videoAnswer = {
  '1ad42f8c-2c28-4bcb-8ea0-1e84e0b4d0a4_kurento.MediaPipeline/7a3e1c2b_kurento.WebRtcEndpoint': {
    __module__: 'kurento', __type__: 'EndpointStats', id: 'x', type: 'endpoint', timestampMillis: 1_750_000_000_000,
    inputLatency: [], E2ELatency: [{ __module__: 'kurento', __type__: 'MediaLatencyStat', name: 'sink_video_default', type: 'VIDEO', avg: 12_500_000 }],
  },
  'inbound-rtp-1': {
    __module__: 'kurento', __type__: 'RTCInboundRTPStreamStats', id: 'inbound-rtp-1', type: 'inboundrtp', timestampMillis: 1_750_000_000_000,
    ssrc: '3735928559', associateStatsId: '', isRemote: false, mediaTrackId: '', transportId: '', codecId: '', firCount: 0, pliCount: 2, nackCount: 5, sliCount: 0, remb: 0,
    packetsLost: 17, fractionLost: 3, packetsReceived: 12_000, bytesReceived: 9_600_000, jitter: 0.0042,
  },
  'outbound-rtp-2': {
    __module__: 'kurento', __type__: 'RTCOutboundRTPStreamStats', id: 'outbound-rtp-2', type: 'outboundrtp', timestampMillis: 1_750_000_000_000,
    ssrc: '12345', associateStatsId: '', isRemote: false, mediaTrackId: '', transportId: '', codecId: '', firCount: 1, pliCount: 0, nackCount: 0, sliCount: 0, remb: 1_200_000,
    packetsLost: 2, fractionLost: 0, packetsSent: 11_000, bytesSent: 9_000_000, targetBitrate: 1_150_000, roundTripTime: 0.031,
  },
};

describe('statistics from getStats', () => {
  it('reads bitrate, packets lost, jitter and round-trip time per stream, with the media type asked', () => {
    const stats = summarizeStats({ VIDEO: videoAnswer, AUDIO: {} });
    expect(stats.streams).toEqual([
      { direction: 'inbound', mediaType: 'VIDEO', ssrc: '3735928559', packets: 12_000, bytes: 9_600_000, packetsLost: 17, fractionLost: 3, jitterMs: 4.2, timestampMillis: 1_750_000_000_000 },
      { direction: 'outbound', mediaType: 'VIDEO', ssrc: '12345', packets: 11_000, bytes: 9_000_000, packetsLost: 2, fractionLost: 0, roundTripTimeMs: 31, bitrate: 1_150_000, timestampMillis: 1_750_000_000_000 },
    ]);
    expect(stats.latencies).toEqual([{ kind: 'e2e', mediaType: 'VIDEO', ms: 12.5 }]);
  });

  it('reads the data channels of a WebRtcEndpoint (RTCPeerConnectionStats) and tolerates answers that are not maps', () => {
    expect(summarizeStats({ '': { pc: { type: 'session', dataChannelsOpened: 2, dataChannelsClosed: 1 } } }).dataChannels).toEqual({ opened: 2, closed: 1 });
    expect(summarizeStats({ '': undefined, AUDIO: 'x', VIDEO: null })).toEqual({ streams: [], latencies: [] });
  });

  it('reads ICE and DTLS states and the selected candidate pairs (WebRtcEndpoint properties)', () => {
    expect(connectionStates([{ __type__: 'IceConnection', streamId: '1', componentId: 1, state: 'CONNECTED' }])).toEqual([{ streamId: '1', componentId: 1, state: 'CONNECTED' }]);
    expect(connectionStates([{ __type__: 'DtlsConnection', streamId: '1', componentId: 1, connectionId: 'c', state: 'CONNECTED' }])).toEqual([{ streamId: '1', componentId: 1, state: 'CONNECTED' }]);
    expect(candidatePairs([{ streamId: '1', componentId: 1, localCandidate: 'candidate:1 1 UDP 1 10.0.0.5 40000 typ host', remoteCandidate: 'candidate:2 1 UDP 1 192.0.2.7 50000 typ srflx' }])).toEqual([
      { streamId: '1', componentId: 1, local: 'candidate:1 1 UDP 1 10.0.0.5 40000 typ host', remote: 'candidate:2 1 UDP 1 192.0.2.7 50000 typ srflx' },
    ]);
    expect(connectionStates(undefined)).toEqual([]);
  });
});

describe('the pages', () => {
  it('have a script that parses, in which text from the cluster is never HTML, and nothing comes from elsewhere', () => {
    expect(() => new Function(APP_JS)).not.toThrow();
    expect(APP_JS).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    for (const text of [APP_JS, STYLE_CSS, loginPage('x'), pageShell('nodes', 'u', 'c')]) expect(text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it('escape what they echo', () => {
    expect(pageShell('pipeline', '<b>user</b>', 'a"b', '"><script>')).not.toMatch(/<b>user|"><script>|a"b/);
    expect(loginPage('<img src=x>')).not.toContain('<img');
  });
});
