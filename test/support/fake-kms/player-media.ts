/**
 * The media of the fake's PlayerEndpoint (`media: 'werift'`): `play` pulls the endpoint's `uri` for
 * real with Debian's ffmpeg and turns it into VP8 RTP on a local UDP port, as KMS's PlayerEndpoint
 * decodes its source and a WebRtcEndpoint encodes VP8 for the browser. The media plane forwards
 * each packet to the WebRtcEndpoints the player is connected to.
 *
 * Keyframes: ffmpeg forces one every second (`-force_key_frames`), so a viewer that connects, or
 * whose browser asks for one, waits at most a second; picture loss indications need no answer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { RtpPacket } from 'werift';

/** Where ffmpeg is; `FFMPEG_PATH` overrides it. */
const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg';

/** ffmpeg's arguments: read `uri` (RTSP over TCP, as a camera behind NAT needs), send VP8 RTP to `port`. */
export function playerFfmpegArgs(uri: string, port: number): string[] {
  const input = /^rtsps?:/i.test(uri) ? ['-rtsp_transport', 'tcp'] : ['-re'];
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    ...input, '-i', uri,
    '-map', '0:v:0', '-an',
    // libvpx tuned for live: no look-ahead, a bounded bitrate, a keyframe every second.
    '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-lag-in-frames', '0', '-error-resilient', '1',
    '-b:v', '600k', '-force_key_frames', 'expr:gte(t,n_forced*1)',
    '-f', 'rtp', `rtp://127.0.0.1:${port}?pkt_size=1200`,
  ];
}

export interface PlayerMediaEvents {
  /** One VP8 RTP packet from the source. */
  rtp(packet: RtpPacket): void;
  /** ffmpeg ended by itself (the source ended or failed); `detail` is its last error line, if any. */
  ended(detail: string): void;
}

/** One playing PlayerEndpoint: its ffmpeg and the UDP socket that receives its RTP. */
export class PlayerMedia {
  private socket: Socket | undefined;
  private proc: ChildProcess | undefined;
  private stopped = false;

  constructor(
    private readonly uri: string,
    private readonly on: PlayerMediaEvents,
  ) {}

  async start(): Promise<void> {
    const socket = createSocket('udp4');
    this.socket = socket;
    socket.on('message', (msg) => {
      let packet: RtpPacket;
      try {
        packet = RtpPacket.deSerialize(msg);
      } catch {
        return; // not RTP: ignored
      }
      this.on.rtp(packet);
    });
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    if (this.stopped) return this.stop();
    const proc = spawn(FFMPEG, playerFfmpegArgs(this.uri, socket.address().port), { stdio: ['ignore', 'ignore', 'pipe'] });
    this.proc = proc;
    let lastError = '';
    proc.stderr?.on('data', (d: Buffer) => {
      const lines = d.toString().trim().split('\n');
      lastError = lines[lines.length - 1] ?? lastError;
    });
    const end = (detail: string) => {
      if (this.stopped) return;
      this.stop();
      this.on.ended(detail);
    };
    proc.once('error', (e) => end(`ffmpeg could not start: ${e.message}`));
    proc.once('exit', (code, signal) => end(lastError || `ffmpeg exited (${signal ?? code})`));
  }

  /** Stops ffmpeg and frees the port; no `ended` follows. */
  stop(): void {
    this.stopped = true;
    if (this.proc && this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    this.proc = undefined;
    try {
      this.socket?.close();
    } catch {
      // already closed
    }
    this.socket = undefined;
  }
}
