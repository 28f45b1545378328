import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/node/context.js';
import { Imds } from '../../src/node/imds.js';
import { parseKvsCredentials } from '../../src/node/apps/kvs-relay/credential-file.js';
import { imdsCredentialSource } from '../../src/node/apps/kvs-relay/credential-source.js';
import { gstValue } from '../../src/node/apps/kvs-relay/pipeline.js';
import { type KvsRelay, type KvsRelayStatus, startKvsRelay } from '../../src/node/apps/kvs-relay/relay.js';
import { type FakeImds, startFakeImds } from '../support/fake-imds.js';

const MIN = 60_000;
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'; // Debian's python3-gi is for Debian's python
const CAMERA_SCRIPT = new URL('../support/fake-rtsp-camera.py', import.meta.url).pathname;
// `!` and `;` are gst-launch syntax, `@` ends userinfo when unescaped: the password must reach the camera whole.
const CAMERA_USER = 'viewer';
const CAMERA_PASSWORD = 'Pa55!w;rd%40x';
const CAMERA_PASSWORD_DECODED = 'Pa55!w;rd@x';

/** A clock the test moves: sleeps resolve only when `advance` passes their time. */
class SteppedClock implements Clock {
  time = Date.UTC(2026, 4, 4, 9, 0, 0);
  private waiters: { at: number; ms: number; resolve: () => void }[] = [];
  now(): number {
    return this.time;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { at: this.time + ms, ms, resolve };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, { once: true });
    });
  }
  /** The durations of the sleeps now pending. */
  pending(): number[] {
    return this.waiters.map((w) => w.ms);
  }
  advance(ms: number): void {
    this.time += ms;
    const due = this.waiters.filter((w) => w.at <= this.time);
    this.waiters = this.waiters.filter((w) => w.at > this.time);
    for (const w of due) w.resolve();
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
async function waitFor<T>(what: string, check: () => T | undefined | false, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Camera {
  port: number;
  proc: ChildProcess;
}

/** Starts the fake camera (GStreamer's RTSP server) and resolves once it listens. */
function startCamera(port = 0): Promise<Camera> {
  const proc = spawn(PYTHON, [CAMERA_SCRIPT, String(port), CAMERA_USER, CAMERA_PASSWORD_DECODED], { stdio: ['ignore', 'pipe', 'pipe'] });
  cameras.add(proc);
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', (line) => resolve({ port: Number(line), proc }));
    proc.once('exit', (code) => reject(new Error(`the fake camera exited (${code}): ${stderr}`)));
  });
}

async function killCamera(camera: Camera): Promise<void> {
  const exited = new Promise((r) => camera.proc.once('exit', r));
  camera.proc.kill('SIGKILL'); // a camera unplugged: its connections just close
  await exited;
  cameras.delete(camera.proc);
}

const cameras = new Set<ChildProcess>();
let relay: KvsRelay | undefined;
let imds: FakeImds | undefined;
let testClock: SteppedClock | undefined;
afterEach(async () => {
  // A pipeline that ignores SIGINT is killed after the grace, on the test's clock.
  const kill = setInterval(() => testClock?.advance(5_000), 2_000);
  await relay?.stop();
  clearInterval(kill);
  relay = undefined;
  for (const proc of cameras) proc.kill('SIGKILL');
  cameras.clear();
  await imds?.close();
  imds = undefined;
});

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the kvs relay, with gst-launch-1.0 and a fake RTSP camera', () => {
  it('keeps one pipeline running through credential rotations, and retries a camera that went away with growing delays', async () => {
    const clock = (testClock = new SteppedClock());
    imds = await startFakeImds({ now: () => clock.now(), credentials: { expiration: clock.now() + 20 * MIN } });
    let camera = await startCamera();
    const dir = mkdtempSync(join(tmpdir(), 'kvs-relay-'));
    const out = join(dir, 'lobby.mkv');
    const credentialFile = join(dir, 'run', 'credentials');
    const statusFile = join(dir, 'run', 'status.json');
    const url = `rtsp://${CAMERA_USER}:${CAMERA_PASSWORD}@127.0.0.1:${camera.port}/cam`;
    const lines: string[] = [];
    relay = startKvsRelay({
      settings: { region: 'eu-west-1', camerasFile: join(dir, 'cameras.json'), credentialFile, statusFile, pluginDir: '', latencyMs: 200 },
      cameras: [{ name: 'lobby', url, stream: 'demo-lobby' }],
      source: imdsCredentialSource(new Imds({ endpoint: imds.url, attempts: 1 })),
      clock,
      env: process.env,
      log: (l) => lines.push(l),
      // The cloud sink swapped for a local one; the rest of the pipeline is the node's. append: a
      // restarted pipeline adds to the file, so growth is measured across restarts.
      sink: () => ['matroskamux', '!', 'filesink', `location=${gstValue(out)}`, 'append=true', 'buffer-mode=unbuffered'],
    });
    const status = (): KvsRelayStatus => relay!.status();
    const lobby = () => status().cameras[0]!;

    // Credentials first, then the pipeline; the camera accepts PLAY and media flows into the sink.
    await waitFor('the pipeline to run', () => lobby().state === 'running');
    const pid = lobby().pid!;
    await waitFor('media in the sink', () => size(out) > 0);
    expect(parseKvsCredentials(readFileSync(credentialFile, 'utf8'))?.accessKeyId).toBe(imds.credentials().accessKeyId);

    // Four rotations: IMDS serves new credentials, the sidecar replaces the file; the same gst-launch keeps writing.
    const sizes = [size(out)];
    for (let i = 0; i < 4; i++) {
      const next = imds.setCredentials({ expiration: clock.now() + 30 * MIN });
      expect(clock.pending()).toContain(5 * MIN); // the sidecar's next look
      clock.advance(5 * MIN);
      await waitFor(`rotation ${i + 1} in the file`, () => parseKvsCredentials(readFileSync(credentialFile, 'utf8'))?.accessKeyId === next.accessKeyId);
      const before = sizes.at(-1)!;
      sizes.push(await waitFor(`media after rotation ${i + 1}`, () => size(out) > before && size(out)));
      expect(lobby()).toMatchObject({ state: 'running', pid, restarts: 0 });
      expect(alive(pid)).toBe(true);
    }
    expect(status().credentials).toMatchObject({ state: 'fresh', writes: 5 });

    // The camera goes away: the pipeline ends, the supervisor reports it and retries: 1 s, 2 s, 4 s.
    await killCamera(camera);
    await waitFor('the end to be reported', () => lobby().state === 'retrying');
    expect(alive(pid)).toBe(false);
    // After a stable run the back-off starts over at its first delay.
    expect(lobby()).toMatchObject({ attempt: 1, retryDelayMs: 1000, restarts: 0 });
    expect(lobby().lastError).toMatch(/rtspsrc0: Could not read from resource\. \(The server closed the connection\.\)/);
    const delays = [lobby().retryDelayMs];
    for (const attempt of [2, 3]) {
      expect(clock.pending()).toContain(delays.at(-1));
      clock.advance(delays.at(-1)!);
      await waitFor(`attempt ${attempt}`, () => lobby().state === 'retrying' && lobby().attempt === attempt);
      expect(lobby().lastError).toMatch(/rtspsrc0: Could not open resource for reading and writing\. \(Failed to connect/);
      delays.push(lobby().retryDelayMs);
    }
    expect(delays).toEqual([1000, 2000, 4000]);
    expect(lobby().restarts).toBe(2);
    await relay.flushed();
    expect((JSON.parse(readFileSync(statusFile, 'utf8')) as KvsRelayStatus).cameras[0]).toMatchObject({ state: 'retrying', attempt: 3, retryDelayMs: 4000, nextRetryAt: new Date(clock.now() + 4000).toISOString() });
    // Nothing starts before its delay is over.
    clock.advance(3999);
    await new Promise((r) => setImmediate(r)); // what a due sleep would have started, it would have by now
    expect(lobby()).toMatchObject({ state: 'retrying', restarts: 2 });
    expect(clock.pending()).toContain(4000);

    // The camera comes back (same address): at the end of the delay the pipeline runs again.
    camera = await startCamera(camera.port);
    const beforeReturn = size(out);
    clock.advance(1);
    await waitFor('the pipeline to run again', () => lobby().state === 'running');
    expect(lobby().pid).not.toBe(pid);
    expect(lobby().restarts).toBe(3);
    await waitFor('media again', () => size(out) > beforeReturn);

    // The status file says the same; neither it nor any log line holds the camera's password.
    await relay.flushed();
    const onDisk = JSON.parse(readFileSync(statusFile, 'utf8')) as KvsRelayStatus;
    expect(onDisk.cameras[0]).toMatchObject({ name: 'lobby', stream: 'demo-lobby', state: 'running', url: `rtsp://${CAMERA_USER}:****@127.0.0.1:${camera.port}/cam`, restarts: 3 });
    expect(onDisk.credentials.state).toBe('fresh');
    const shown = `${readFileSync(statusFile, 'utf8')}\n${lines.join('\n')}`;
    expect(lines.some((l) => l.includes('pipeline ended'))).toBe(true);
    for (const secret of [CAMERA_PASSWORD, CAMERA_PASSWORD_DECODED, imds.credentials().secretAccessKey, imds.credentials().token]) expect(shown).not.toContain(secret);

    // Stopping ends the stream cleanly (SIGINT, gst-launch -e) and says so.
    const last = lobby().pid!;
    await relay.stop();
    expect(alive(last)).toBe(false);
    expect(lobby().state).toBe('stopped');
    relay = undefined;
  });
});
