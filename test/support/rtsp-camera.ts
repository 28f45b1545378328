/**
 * Starts fake-rtsp-camera.py (GStreamer's RTSP server: live H.264 video and G.711 audio at
 * rtsp://USER:PASSWORD@127.0.0.1:PORT/cam) and stops it as an unplugged camera goes: SIGKILL, so its
 * connections just close.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'; // Debian's python3-gi is for Debian's python
const SCRIPT = new URL('./fake-rtsp-camera.py', import.meta.url).pathname;

export interface RtspCamera {
  port: number;
  /** `rtsp://USER:PASSWORD@127.0.0.1:PORT/cam`, the password percent-encoded. */
  url: string;
  proc: ChildProcess;
  /** Unplugs it (SIGKILL); {@link RtspCamera.exited} settles once it is gone. */
  stop(): void;
  /** Unplugs it and resolves once it has exited. */
  kill(): Promise<void>;
  exited: Promise<void>;
}

/**
 * Resolves once the camera listens. `password` as the camera checks it (decoded); `port` 0: any free
 * port; give a stopped camera's port to bring it back at the same address.
 */
export function startRtspCamera(user: string, password: string, port = 0): Promise<RtspCamera> {
  const proc = spawn(PYTHON, [SCRIPT, String(port), user, password], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => {
      const bound = Number(line);
      resolve({ port: bound, url: `rtsp://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${bound}/cam`, proc, stop, kill: () => (stop(), exited), exited });
    });
    proc.once('exit', (code) => reject(new Error(`the fake camera exited (${code}): ${stderr}`)));
  });
}
