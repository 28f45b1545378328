/**
 * A fake Icecast server: one live MP3 stream (a sine tone encoded in real time by Debian's ffmpeg,
 * `-re -f lavfi -i sine=… -f mp3 pipe:1`) broadcast over HTTP to every client, which gets the stream
 * from the moment it connects, as from a live mount point.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIcecast {
  /** `http://127.0.0.1:PORT/live.mp3` (any path answers with the stream). */
  url: string;
  /** Clients connected now. */
  clients(): number;
  /** Bytes the encoder has produced so far. */
  bytes(): number;
  close(): Promise<void>;
}

export interface FakeIcecastOptions {
  /** Tone in Hz; default 440. */
  frequency?: number;
  /** MP3 bit rate; default `64k`. */
  bitrate?: string;
}

/** Starts the server; resolves once the encoder produces audio. */
export async function startFakeIcecast(options: FakeIcecastOptions = {}): Promise<FakeIcecast> {
  const listeners = new Set<ServerResponse>();
  let produced = 0;
  const encoder: ChildProcess = spawn(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', `sine=frequency=${options.frequency ?? 440}:sample_rate=44100`, '-c:a', 'libmp3lame', '-b:a', options.bitrate ?? '64k', '-flush_packets', '1', '-f', 'mp3', 'pipe:1'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const started = new Promise<void>((resolve, reject) => {
    encoder.once('error', reject);
    encoder.once('exit', (code) => reject(new Error(`fake icecast: the encoder exited (${code})`)));
    encoder.stdout?.once('data', () => resolve());
  });
  encoder.stdout?.on('data', (chunk: Buffer) => {
    produced += chunk.length;
    for (const res of listeners) res.write(chunk);
  });
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'audio/mpeg', 'Cache-Control': 'no-cache', 'icy-name': 'fake icecast', Connection: 'close' });
    res.flushHeaders();
    listeners.add(res);
    const gone = () => listeners.delete(res);
    req.once('close', gone);
    res.once('close', gone);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await started;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/live.mp3`,
    clients: () => listeners.size,
    bytes: () => produced,
    async close() {
      encoder.removeAllListeners('exit');
      encoder.kill('SIGKILL');
      for (const res of listeners) res.destroy();
      listeners.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
