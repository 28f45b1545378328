/**
 * The daily MP4s with the real programs: segments made by Debian's ffmpeg (H.264 + AAC in MPEG-TS, as
 * the recorder writes them) are put in the fake S3 under keys of chosen UTC days; the daily job, on an
 * injected clock, concatenates each camera-day with ffmpeg into the fake S3, once.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { camerasCommand } from '../../src/node/apps/cameras/command.js';
import { DailyJob, type DailyResult, runDailyJobs } from '../../src/node/apps/cameras/daily.js';
import { DAY_MS, dailyKey, dayName, segmentKey, segmentsDayPrefix, stateKey } from '../../src/node/apps/cameras/layout.js';
import { type CameraStore, sdkCameraClient, sdkCameraStore } from '../../src/node/apps/cameras/store.js';
import type { NodeContext } from '../../src/node/context.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';

const run = promisify(execFile);
const BUCKET = 'eu-west-1-demo';
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x' };
const GRACE_S = 60;
const D1 = Date.UTC(2026, 4, 4);
const D2 = D1 + DAY_MS;
const D3 = D2 + DAY_MS;
const D4 = D3 + DAY_MS;
const at = (day: number, h: number, m: number, s = 0) => day + ((h * 60 + m) * 60 + s) * 1000;

let dir: string;
let fake: FakeAws;
let s3: S3Client;
let store: CameraStore;
let time = 0;
const logs: string[] = [];
/** Six 2 s segments from ffmpeg, and their durations as ffprobe reads them. */
const segments: Buffer[] = [];
const durations: number[] = [];

async function probe(path: string): Promise<{ codecs: string[]; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', path]);
  const out = JSON.parse(stdout) as { streams: { codec_name: string }[]; format: { duration?: string } };
  return { codecs: out.streams.map((s) => s.codec_name).sort(), duration: Number(out.format.duration ?? 'NaN') };
}

/** The top-level boxes of an MP4, in order. */
function boxes(mp4: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i + 8 <= mp4.length; ) {
    const size = mp4.readUInt32BE(i);
    out.push(mp4.toString('latin1', i + 4, i + 8));
    if (size < 8) break;
    i += size;
  }
  return out;
}

/** Puts segment `i` under a camera's key for the time `start`. */
async function seed(camera: string, start: number, i: number): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: segmentKey(camera, start), Body: segments[i], ContentType: 'video/mp2t' }));
}

function job(camera: string, jobStore: CameraStore = store): DailyJob {
  return new DailyJob({ camera, cluster: 'demo', store: jobStore, workDir: join(dir, 'daily'), clock: { now: () => time, sleep: async () => undefined }, log: (l) => logs.push(l), graceSeconds: GRACE_S, env: { PATH: process.env.PATH } });
}

const dailyObjects = () => fake.objects(BUCKET).filter((o) => o.key.includes('/daily/'));
const state = async (camera: string) => JSON.parse((fake.objects(BUCKET).find((o) => o.key === stateKey(camera))?.body ?? Buffer.from('null')).toString()) as { lastDay: string; empty: string[] } | null;
const puts = (key: string) => fake.requests.filter((r) => r.action === 'PutObject' && r.params.Key === key).map((r) => r.status);

/** Fetches an MP4 from the fake and probes it. */
async function mp4(key: string): Promise<{ codecs: string[]; duration: number; boxes: string[]; metadata: Record<string, string> }> {
  const object = fake.objects(BUCKET).find((o) => o.key === key);
  if (!object) throw new Error(`no ${key}`);
  const path = join(dir, 'probe.mp4');
  await writeFile(path, object.body);
  return { ...(await probe(path)), boxes: boxes(object.body), metadata: object.metadata };
}

const sum = (idx: number[]) => idx.reduce((t, i) => t + durations[i]!, 0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cameras-daily-'));
  const made = join(dir, 'made');
  await run('mkdir', ['-p', made]);
  // What the recorder writes: H.264 with a keyframe a second, AAC, MPEG-TS cut every 2 s.
  await run('ffmpeg', [
    '-v', 'error', '-nostdin', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000', '-t', '12',
    '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '15', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '32k',
    '-f', 'segment', '-segment_time', '2', '-segment_format', 'mpegts', join(made, 's%02d.ts'),
  ]);
  const files = (await readdir(made)).sort();
  expect(files).toHaveLength(6);
  for (const f of files) {
    segments.push(await readFile(join(made, f)));
    durations.push((await probe(join(made, f))).duration);
  }
  fake = await startFakeAws();
  fake.addBucket({ name: BUCKET });
  s3 = new S3Client({ region: 'eu-west-1', endpoint: fake.url, forcePathStyle: true, credentials: { accessKeyId: KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY } });
  // The app's own client: AWS_ENDPOINT_URL and the keys from the environment, as on a node.
  vi.stubEnv('AWS_ENDPOINT_URL', fake.url);
  for (const [k, v] of Object.entries(KEYS)) vi.stubEnv(k, v);
  store = sdkCameraStore(sdkCameraClient('eu-west-1', true, (l) => logs.push(l)), BUCKET);
  // lobby: three segments on D1 (the last one runs past midnight), two on D2, none on D3, one on D4.
  await seed('lobby', at(D1, 0, 0), 0);
  await seed('lobby', at(D1, 12, 0), 1);
  await seed('lobby', at(D1, 23, 50), 2);
  await seed('lobby', at(D2, 0, 0, 1), 3);
  await seed('lobby', at(D2, 0, 10), 4);
  await seed('lobby', at(D4, 8, 30, 17), 5); // a restarted recorder's first segment: mid-slot
  // dock: from D2 on only.
  await seed('dock', at(D2, 9, 0), 0);
  await seed('dock', at(D2, 9, 10), 1);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  logs.length = 0;
});

describe('the daily MP4 job', () => {
  it('builds one MP4 per camera and day once the day and its grace are over, resumes from its progress after a restart, and records an empty day', async () => {
    // Within D1's grace: nothing is due, nothing is written, not even progress.
    time = at(D2, 0, 0, GRACE_S - 1);
    expect(await job('lobby').runOnce()).toEqual({ camera: 'lobby', days: [], advanced: false });
    expect(await state('lobby')).toBeNull();

    // After it: D1's MP4, the three segments end to end, H.264 and AAC, index first (+faststart).
    time = at(D2, 0, 0, GRACE_S + 1);
    const first = await job('lobby').runOnce();
    expect(first).toEqual({ camera: 'lobby', days: [{ day: '2026-05-04', outcome: 'written', key: dailyKey('lobby', D1), segments: 3, bytes: expect.any(Number) as number }], advanced: true });
    expect(dailyKey('lobby', D1)).toBe('cameras/lobby/daily/2026/05/lobby-2026-05-04.mp4');
    const d1 = await mp4(dailyKey('lobby', D1));
    expect(d1.codecs).toEqual(['aac', 'h264']);
    expect(Math.abs(d1.duration - sum([0, 1, 2]))).toBeLessThan(0.25);
    expect(d1.boxes.indexOf('moov')).toBeLessThan(d1.boxes.indexOf('mdat'));
    expect(d1.metadata).toMatchObject({ camera: 'lobby', day: '2026-05-04', segments: '3', first: '2026-05-04T00:00:00Z', last: '2026-05-04T23:50:00Z' });
    expect(await state('lobby')).toMatchObject({ lastDay: '2026-05-04', empty: [] });
    // dock's first segment is on D2, not due yet.
    expect((await job('dock').runOnce()).days).toEqual([]);

    // A restart two days later: new jobs resume after D1 (never looked at again), D3 is empty.
    time = at(D4 + DAY_MS, 0, 0, GRACE_S + 1);
    fake.resetRequests();
    const lobby = await job('lobby').runOnce();
    expect(lobby.days.map((d) => [d.day, d.outcome, d.segments])).toEqual([
      ['2026-05-05', 'written', 2],
      ['2026-05-06', 'empty', undefined],
      ['2026-05-07', 'written', 1],
    ]);
    expect(fake.requests.some((r) => (r.params.Key ?? '').includes('2026-05-04') || (r.params.prefix ?? '').includes(segmentsDayPrefix('lobby', D1)))).toBe(false);
    expect(logs).toContain('lobby: 2026-05-06 has no segment: recorded as empty');
    expect(await state('lobby')).toMatchObject({ lastDay: '2026-05-07', empty: ['2026-05-06'] });
    const d2 = await mp4(dailyKey('lobby', D2));
    expect(Math.abs(d2.duration - sum([3, 4]))).toBeLessThan(0.25);
    expect(Math.abs((await mp4(dailyKey('lobby', D4))).duration - sum([5]))).toBeLessThan(0.25);
    const dock = await job('dock').runOnce();
    expect(dock.days.map((d) => [d.day, d.outcome])).toEqual([
      ['2026-05-05', 'written'],
      ['2026-05-06', 'empty'],
      ['2026-05-07', 'empty'],
    ]);
    expect(Math.abs((await mp4(dailyKey('dock', D2))).duration - sum([0, 1]))).toBeLessThan(0.25);

    // Done: another pass has nothing to do and writes nothing.
    fake.resetRequests();
    expect((await job('lobby').runOnce()).days).toEqual([]);
    expect(fake.requests.filter((r) => r.action === 'PutObject')).toEqual([]);
    expect(dailyObjects().map((o) => o.key).sort()).toEqual([dailyKey('dock', D2), dailyKey('lobby', D1), dailyKey('lobby', D2), dailyKey('lobby', D4)].sort());
    // The work files are gone.
    expect(await readdir(join(dir, 'daily'))).toEqual([]);
  });

  it('writes a day once when two jobs build it at the same time: the second gets 412 and keeps the first', async () => {
    await seed('gate', at(D1, 10, 0), 2);
    await seed('gate', at(D1, 10, 10), 3);
    time = at(D2, 0, 0, GRACE_S + 1);
    // Both jobs get past their existence check and build the MP4 before either writes it.
    let arrived = 0;
    let release: () => void = () => undefined;
    const bothBuilt = new Promise<void>((resolve) => (release = resolve));
    const racing: CameraStore = {
      ...store,
      putFile: async (...args) => {
        if (++arrived === 2) release();
        await bothBuilt;
        return store.putFile(...args);
      },
    };
    fake.resetRequests();
    const results: DailyResult[] = await Promise.all([job('gate', racing).runOnce(), job('gate', racing).runOnce()]);
    expect(results.map((r) => r.days[0]?.outcome).sort()).toEqual(['present', 'written']);
    expect(puts(dailyKey('gate', D1)).sort()).toEqual([200, 412]);
    expect(dailyObjects().filter((o) => o.key === dailyKey('gate', D1))).toHaveLength(1);
    expect(logs).toContain(`gate: the MP4 of 2026-05-04 was written by another job meanwhile (412); kept theirs`);
    expect(logs.filter((l) => l.startsWith('S3 client: '))).toEqual([]);
    // One of them records the progress; the other's conditional write finds it there.
    expect(results.filter((r) => r.advanced)).toHaveLength(1);
    expect(await state('gate')).toMatchObject({ lastDay: '2026-05-04' });
    expect(Math.abs((await mp4(dailyKey('gate', D1))).duration - sum([2, 3]))).toBeLessThan(0.25);
  });

  it('reports a day ffmpeg cannot build, keeps its progress where it was and tries again on the next pass', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: segmentKey('broken', at(D1, 1, 0)), Body: Buffer.from('not a transport stream') }));
    time = at(D2, 0, 0, GRACE_S + 1);
    const r = await job('broken').runOnce();
    expect(r.days).toEqual([]);
    expect(r.advanced).toBe(false);
    expect(r.failed).toMatch(/^broken: the MP4 of 2026-05-04 failed: ffmpeg exited with code 1: /);
    expect(logs.some((l) => l.endsWith('(tried again by the next pass)'))).toBe(true);
    expect(await state('broken')).toBeNull();
    expect(dailyObjects().some((o) => o.key.startsWith('cameras/broken/'))).toBe(false);
    expect(await readdir(join(dir, 'daily'))).toEqual([]);
  });

  it('runs the jobs again when the next day and its grace are over', async () => {
    await seed('yard', at(D1, 18, 0), 1);
    time = at(D1, 18, 5);
    const sleeps: number[] = [];
    const abort = new AbortController();
    const passes: string[][] = [];
    const clock = { now: () => time, sleep: async (ms: number) => void (sleeps.push(ms), (time += ms)) };
    // A build a killed process left two days ago.
    const stale = join(dir, 'daily', 'yard-2026-05-02-abc123');
    await mkdir(stale, { recursive: true });
    await utimes(stale, new Date(time - 2 * DAY_MS), new Date(time - 2 * DAY_MS));
    const yard = new DailyJob({ camera: 'yard', cluster: 'demo', store, workDir: join(dir, 'daily'), clock, log: (l) => logs.push(l), graceSeconds: GRACE_S, env: { PATH: process.env.PATH } });
    await runDailyJobs([yard], { clock, graceSeconds: GRACE_S, workDir: join(dir, 'daily'), log: (l) => logs.push(l), onPass: (results) => {
      passes.push(results.flatMap((r) => r.days.map((d) => `${d.day} ${d.outcome}`)));
      if (passes.length === 2) abort.abort();
    } }, abort.signal);
    // Nothing due at 18:05; the next pass at D2 00:00 + the grace + 1 s builds D1.
    expect(sleeps[0]).toBe(at(D2, 0, 0, GRACE_S + 1) - at(D1, 18, 5));
    expect(passes).toEqual([[], ['2026-05-04 written']]);
    expect(fake.objects(BUCKET).some((o) => o.key === dailyKey('yard', D1))).toBe(true);
    expect(logs).toContain(`removed ${stale}, left by a daily build that did not finish`);
    expect(await readdir(join(dir, 'daily'))).toEqual([]);
  });

  it('elasticrtc-node cameras --daily-once: one pass per camera, a JSON line each', async () => {
    await seed('porch', at(D1, 6, 0), 4);
    time = at(D2, 0, 0, GRACE_S + 1);
    await writeFile(join(dir, 'cameras.json'), JSON.stringify({ cameras: [{ name: 'porch', url: 'rtsp://viewer:s3cret@10.0.0.9/cam' }, { name: 'quiet', url: 'rtsp://10.0.0.10/cam' }] }), { mode: 0o600 });
    await writeFile(join(dir, 'node.env'), `STACK_NAME=demo\nREGION=eu-west-1\nBUCKET=${BUCKET}\nCAMERAS_FILE=${join(dir, 'cameras.json')}\nCAMERAS_DIR=${dir}\nCAMERAS_DAILY_GRACE_SECONDS=${GRACE_S}\n`);
    const out: string[] = [];
    const err: string[] = [];
    const ctx: NodeContext = {
      out: { write: (t) => void out.push(t) },
      err: { write: (t) => void err.push(t) },
      clock: { now: () => time, sleep: async () => undefined },
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: fake.url },
      run: () => Promise.reject(new Error('no program runs here')),
      cloud: () => {
        throw new Error('no NodeCloud here');
      },
    };
    const kit = { usage: (m: string) => new Error(m), readText: (_flag: string, path: string) => readFile(path, 'utf8'), envFile: join(dir, 'none.env') };
    expect(await camerasCommand(ctx, ['--env', join(dir, 'node.env'), '--daily-once'], kit), err.join('')).toBe(0);
    expect(out.join('').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { camera: 'porch', from: '2026-05-04', to: '2026-05-04', written: [dailyKey('porch', D1)], present: 0, empty: [], advanced: true },
      { camera: 'quiet', from: null, to: null, written: [], present: 0, empty: [], advanced: false },
    ]);
    expect(err.join('')).toContain(`elasticrtc-node cameras: porch: wrote ${dailyKey('porch', D1)}: 1 segment(s)`);
    expect(Math.abs((await mp4(dailyKey('porch', D1))).duration - sum([4]))).toBeLessThan(0.25);
    expect(dayName(D1)).toBe('2026-05-04');
  });
});
