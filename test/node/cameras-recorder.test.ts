/**
 * The cameras app's recording half with the real programs: the fake RTSP camera (GStreamer), Debian's
 * ffmpeg run with cameraFfmpegArgs (1 s live segments, 2 s archive segments), the uploader into the
 * fake S3. The camera is unplugged and plugged back; the recorder retries with back-off and says so.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cameraFfmpegArgs } from '../../src/node/apps/cameras/ffmpeg.js';
import { LIVE_PLAYLIST, liveDir, parseSegmentKey, segmentKey } from '../../src/node/apps/cameras/layout.js';
import { type CamerasStatus, type RunningCameras, startCamerasRecording } from '../../src/node/apps/cameras/recording.js';
import { sdkCameraClient, sdkCameraStore } from '../../src/node/apps/cameras/store.js';
import type { Clock } from '../../src/node/context.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { type RtspCamera, startRtspCamera } from '../support/rtsp-camera.js';

const run = promisify(execFile);
const BUCKET = 'eu-west-1-demo';
const USER = 'viewer';
// `@` ends userinfo unless escaped, `;` and `!` are legal in it: the password must reach the camera whole.
const PASSWORD = 'Pa55!w;rd@x';
const PASSWORD_ENCODED = encodeURIComponent(PASSWORD);

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

/** Polls `check` until it returns a value other than undefined/false, or fails naming `what` after `ms`. */
async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** ffprobe's streams and duration of a file. */
async function probe(path: string): Promise<{ codecs: string[]; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', path]);
  const out = JSON.parse(stdout) as { streams: { codec_name: string }[]; format: { duration?: string } };
  return { codecs: out.streams.map((s) => s.codec_name).sort(), duration: Number(out.format.duration ?? 'NaN') };
}

/** Decodes a whole file; ffmpeg's complaints, if any. */
async function decodeErrors(path: string): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-nostdin', '-i', path, '-f', 'null', '-']);
  return stderr.trim();
}

interface Playlist {
  sequence: number;
  target: number;
  segments: string[];
}

function readPlaylist(path: string): Playlist | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  return {
    sequence: Number(/^#EXT-X-MEDIA-SEQUENCE:(\d+)$/m.exec(text)?.[1] ?? NaN),
    target: Number(/^#EXT-X-TARGETDURATION:(\d+)$/m.exec(text)?.[1] ?? NaN),
    segments: lines.filter((l) => l !== '' && !l.startsWith('#')),
  };
}

let dir: string;
let fake: FakeAws;
let camera: RtspCamera;
let recording: RunningCameras | undefined;
const logs: string[] = [];
const started = Date.now();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cameras-rec-'));
  fake = await startFakeAws();
  fake.addBucket({ name: BUCKET });
  // The app's S3 client takes the endpoint and the keys from the environment, as on a node.
  vi.stubEnv('AWS_ENDPOINT_URL', fake.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
  camera = await startRtspCamera(USER, PASSWORD);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await recording?.stop();
  await camera?.kill();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('cameraFfmpegArgs', () => {
  it('reads the camera once over TCP and copies its video into both outputs; the audio becomes AAC', () => {
    const args = cameraFfmpegArgs({ url: 'rtsp://u:p@cam/s', liveDir: '/d/live/lobby', runDir: '/d/archive/lobby/run-1', segmentSeconds: 600 });
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args.slice(args.indexOf('-rtsp_transport'), args.indexOf('-rtsp_transport') + 2)).toEqual(['-rtsp_transport', 'tcp']);
    expect(args.filter((a, i) => a === '-c:v' && args[i + 1] === 'copy')).toHaveLength(2);
    expect(args).not.toContain('libx264');
    expect(args.filter((a, i) => a === '-c:a' && args[i + 1] === 'aac')).toHaveLength(2);
    expect(args.join(' ')).toContain('-f hls -hls_time 1 -hls_list_size 6 -hls_flags delete_segments+temp_file+independent_segments+program_date_time');
    expect(args.slice(args.indexOf('-hls_segment_filename'), args.indexOf('-hls_segment_filename') + 3)).toEqual(['-hls_segment_filename', '/d/live/lobby/live-%d.ts', '/d/live/lobby/index.m3u8']);
    expect(args.slice(-15)).toEqual([
      '-f', 'segment', '-segment_format', 'mpegts', '-segment_time', '600', '-segment_atclocktime', '1', '-strftime', '1',
      '-segment_list', '/d/archive/lobby/run-1/segments.list', '-segment_list_type', 'flat', '/d/archive/lobby/run-1/%Y%m%dT%H%M%S.ts',
    ]);
  });
});

describe('recording a camera with ffmpeg into live HLS and the fake S3', () => {
  it('serves a live playlist that updates, archives 2 s segments under their day and time, retries a camera that went away with back-off, and never shows the password', async () => {
    expect(camera.url).toContain(PASSWORD_ENCODED);
    recording = startCamerasRecording({
      cameras: [{ name: 'lobby', url: camera.url }],
      cluster: 'demo',
      dir,
      segmentSeconds: 2,
      hlsSeconds: 1,
      dailyGraceSeconds: 0,
      store: sdkCameraStore(sdkCameraClient('eu-west-1', true, (l) => logs.push(l)), BUCKET),
      clock: realClock,
      env: process.env,
      log: (l) => logs.push(l),
      uploadIntervalMs: 200,
      // Short back-off: 0.2 s, doubling to 0.8 s.
      minBackoffMs: 200,
      maxBackoffMs: 800,
      daily: false,
    });
    const lobby = () => recording!.status().cameras[0]!;
    const live = liveDir(dir, 'lobby');
    const playlistPath = join(live, LIVE_PLAYLIST);

    // Live: a playlist of 1 s segments that moves on, every segment decodable, H.264 and AAC.
    const first = await waitFor('a live playlist of 3 segments', () => {
      const p = readPlaylist(playlistPath);
      return p && p.segments.length >= 3 && p;
    });
    expect(readFileSync(playlistPath, 'utf8')).toMatch(/^#EXTM3U\n/);
    expect(first.target).toBeLessThanOrEqual(2);
    const moved = await waitFor('the playlist to move on', () => {
      const p = readPlaylist(playlistPath);
      return p && p.sequence > first.sequence && p;
    });
    const newest = join(live, moved.segments.at(-1)!);
    expect(await probe(newest)).toMatchObject({ codecs: ['aac', 'h264'] });
    expect(await decodeErrors(newest)).toBe('');
    // Old segments are deleted: what is on disk is the playlist's window (plus the one kept for late readers).
    await waitFor('old live segments deleted', async () => (await readdir(live)).filter((f) => f.endsWith('.ts')).length <= moved.segments.length + 2);
    // temp_file: no reader ever sees a partial playlist, ffmpeg writes `index.m3u8.tmp` and renames it.
    expect((await readdir(live)).every((f) => f === LIVE_PLAYLIST || /^live-\d+\.ts(\.tmp)?$/.test(f) || f === `${LIVE_PLAYLIST}.tmp`)).toBe(true);

    // Archive: finished 2 s segments in the fake S3, keyed by their UTC day and start.
    const archived = () => fake.objects(BUCKET).filter((o) => o.key.startsWith('cameras/lobby/segments/'));
    await waitFor('two archived segments', () => archived().length >= 2);
    for (const o of archived()) {
      const start = parseSegmentKey('lobby', o.key);
      expect(start, o.key).toBeDefined();
      expect(segmentKey('lobby', start!)).toBe(o.key);
      expect(start!).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
      expect(start!).toBeLessThanOrEqual(Date.now());
      expect(o.contentType).toBe('video/mp2t');
      expect(o.metadata).toMatchObject({ camera: 'lobby', cluster: 'demo', complete: 'true' });
    }
    const second = archived()[1]!; // cut at clock boundaries on both ends
    const local = join(dir, 'second.ts');
    await writeFile(local, second.body);
    const probed = await probe(local);
    expect(probed.codecs).toEqual(['aac', 'h264']);
    expect(probed.duration).toBeGreaterThan(1.5);
    expect(probed.duration).toBeLessThan(3.5);
    expect(await decodeErrors(local)).toBe('');
    expect(lobby()).toMatchObject({ state: 'recording', runs: 1, failures: 0, url: `rtsp://${USER}:****@127.0.0.1:${camera.port}/cam` });

    // The camera goes away: ffmpeg ends, the recorder reports it and retries after 0.2, 0.4, 0.8, 0.8 s.
    const pid = recording.recorders.get('lobby')!.pid!;
    await camera.kill();
    await waitFor('the end to be reported', () => lobby().state === 'retrying');
    expect(lobby()).toMatchObject({ failures: 1, retryDelayMs: 200 });
    await waitFor('four failed runs', () => lobby().failures >= 4 && lobby().state === 'retrying', 15_000);
    const restarts = logs.filter((l) => l.startsWith('lobby: ffmpeg ') && l.includes('; restarting in '));
    expect(restarts.slice(0, 4).map((l) => /restarting in ([\d.]+) s$/.exec(l)?.[1])).toEqual(['0.2', '0.4', '0.8', '0.8']);
    expect(lobby().lastExit).toMatch(/^exited with code \d+$/);
    // ffmpeg's own words, the URL masked: the camera refuses the connection.
    expect(lobby().lastError).toContain(`rtsp://${USER}:****@127.0.0.1:${camera.port}/cam`);
    expect(lobby().lastError).toMatch(/Connection refused/);
    // Not recorded: no live playlist; the killed run's segments are all uploaded and its directory is gone.
    expect(existsSync(playlistPath)).toBe(false);
    await waitFor('the first run uploaded whole', async () => (await readdir(join(dir, 'archive', 'lobby'))).length <= 1);
    expect(recording.recorders.get('lobby')!.pid).not.toBe(pid);

    // The camera comes back at the same address: recorded again, the live sequence numbers past the old ones.
    camera = await startRtspCamera(USER, PASSWORD, camera.port);
    const back = await waitFor('a live playlist again', () => {
      const p = readPlaylist(playlistPath);
      return p && p.segments.length >= 1 && p;
    });
    expect(back.sequence).toBeGreaterThan(moved.sequence);
    expect(lobby().state).toBe('recording');

    // Stopping: ffmpeg finishes its segment, the last pass uploads it, nothing waits on disk.
    const before = archived().length;
    await recording.stop();
    await recording.flushed();
    expect(lobby().state).toBe('stopped');
    expect(archived().length).toBeGreaterThan(before);
    expect(await readdir(join(dir, 'archive', 'lobby'))).toEqual([]);
    expect(existsSync(playlistPath)).toBe(false);

    // The status file and the logs: the URL only masked, the password nowhere.
    const status = JSON.parse(readFileSync(join(dir, 'status.json'), 'utf8')) as CamerasStatus;
    expect(status.cameras[0]).toMatchObject({ name: 'lobby', state: 'stopped', url: `rtsp://${USER}:****@127.0.0.1:${camera.port}/cam` });
    expect(status.upload.uploaded).toBe(archived().length);
    const shown = `${readFileSync(join(dir, 'status.json'), 'utf8')}\n${logs.join('\n')}`;
    expect(logs.some((l) => l.includes('Connection refused'))).toBe(true);
    for (const secret of [PASSWORD, PASSWORD_ENCODED]) expect(shown).not.toContain(secret);
    recording = undefined;
  }, 40_000);
});

describe('uploading archive segments', () => {
  it('keeps a segment whose upload failed, says so in the status, and uploads it on a later pass', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cameras-up-'));
    try {
      // A run of an earlier process, ended: its segments wait on disk.
      const runDir = join(root, 'archive', 'porch', 'run-1000');
      await mkdir(runDir, { recursive: true });
      await writeFile(join(runDir, '20260504T101000.ts'), Buffer.alloc(188 * 100, 0x47));
      await writeFile(join(runDir, 'segments.list'), '20260504T101000.ts\n');
      fake.faults.serverError(1, { service: 's3', action: 'PutObject' });
      const key = segmentKey('porch', Date.UTC(2026, 4, 4, 10, 10, 0));
      const logs: string[] = [];
      const app = startCamerasRecording({
        // Nothing listens there: the recorder retries in the background, the uploader works on.
        cameras: [{ name: 'porch', url: 'rtsp://viewer:s3cret@127.0.0.1:1/cam' }],
        cluster: 'demo',
        dir: root,
        segmentSeconds: 2,
        dailyGraceSeconds: 0,
        store: sdkCameraStore(sdkCameraClient('eu-west-1', true, (l) => logs.push(l)), BUCKET),
        clock: realClock,
        env: process.env,
        log: (l) => logs.push(l),
        uploadIntervalMs: 100,
        daily: false,
      });
      try {
        const failed = await waitFor('the failed upload in the status', () => app.status().upload.lastError);
        expect(failed).toMatch(new RegExp(`^${key}: InternalError`));
        expect(logs.some((l) => l.startsWith('porch: cannot upload 20260504T101000.ts: InternalError') && l.endsWith('(kept; next try in the next pass)'))).toBe(true);
        // The pass after the back-off (0.2 s) uploads it whole, and the run's directory goes.
        await waitFor('the upload', () => fake.objects(BUCKET).some((o) => o.key === key));
        expect(fake.objects(BUCKET).find((o) => o.key === key)!.body.length).toBe(188 * 100);
        await waitFor('the run directory removed', async () => !existsSync(runDir));
        expect(app.status().upload).toMatchObject({ uploaded: 1, lastKey: key });
        expect(app.status().upload.lastError).toBeUndefined();
      } finally {
        await app.stop();
      }
      expect(logs.join('\n')).not.toContain('s3cret');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

