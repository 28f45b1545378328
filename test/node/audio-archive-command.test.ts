import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { finalKey, isoSecond, slotOf, slotStartMs, stagingKey } from '../../src/node/apps/audio-archive/layout.js';
import type { NodeContext } from '../../src/node/context.js';
import { main } from '../../src/node/main.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { startFakeIcecast, type FakeIcecast } from '../support/fake-icecast.js';

const BUCKET = 'eu-west-1-demo';
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x' };

let dir: string;
let fake: FakeAws;
let time: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audio-archive-cmd-'));
  time = Date.UTC(2026, 10, 30, 12, 0, 0);
  fake = await startFakeAws({ now: () => time });
  fake.addBucket({ name: BUCKET });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function envFile(streams: string, extra = ''): Promise<void> {
  return writeFile(join(dir, 'node.env'), `STACK_NAME=demo\nREGION=eu-west-1\nBUCKET=${BUCKET}\nAUDIO_ARCHIVE_STREAMS=${streams}\nAUDIO_ARCHIVE_DIR=${join(dir, 'segments')}\n${extra}`);
}

function context(): { ctx: NodeContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: NodeContext = {
    out: { write: (t) => void out.push(t) },
    err: { write: (t) => void err.push(t) },
    clock: { now: () => time, sleep: async (ms) => void (time += ms) },
    env: { AWS_ENDPOINT_URL: fake.url },
    run: () => Promise.reject(new Error('no program runs here')),
    cloud: () => {
      throw new Error('no NodeCloud here');
    },
  };
  return { ctx, out, err };
}

describe('elasticrtc-node audio-archive', () => {
  it('--reconcile-once closes the due slots of every stream and prints a JSON line each', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', fake.url);
    for (const [k, v] of Object.entries(KEYS)) vi.stubEnv(k, v);
    await envFile('[{"name":"radio1","url":"http://icecast.test/a.mp3","segmentSeconds":300},{"name":"radio2","url":"http://icecast.test/b.mp3","segmentSeconds":60}]', 'AUDIO_ARCHIVE_GRACE_SECONDS=30\n');
    const s0 = slotStartMs(slotOf(time, 300), 300);
    const { ctx, out, err } = context();
    // radio1: slots 0 (both copies) and 1 (none); radio2: nothing staged yet
    const seed = (node: string, bytes: number, slotStart: number) => ({ key: stagingKey('radio1', node, slotStart, 'x.mp3'), body: Buffer.alloc(bytes, 7) });
    const s3 = new S3Client({ region: 'eu-west-1', endpoint: fake.url, forcePathStyle: true, credentials: { accessKeyId: KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY } });
    for (const o of [seed('a', 10, s0), seed('b', 12, s0), seed('a', 5, s0 + 600_000)]) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: o.key, Body: o.body }));
    time = s0 + 600_000 + 30_000; // slots 0 and 1 closable
    expect(await main(['audio-archive', '--env', join(dir, 'node.env'), '--reconcile-once'], ctx), err.join('')).toBe(0);
    expect(out.join('').trim().split('\n').map((l) => JSON.parse(l) as unknown)).toEqual([
      { stream: 'radio1', from: isoSecond(s0), to: isoSecond(s0 + 300_000), written: 1, present: 0, missing: [isoSecond(s0 + 300_000)], advanced: true },
      { stream: 'radio2', from: null, to: null, written: 0, present: 0, missing: [], advanced: false },
    ]);
    expect(fake.objects(BUCKET).filter((o) => o.key.startsWith('final/')).map((o) => [o.key, o.body.length])).toEqual([[finalKey('radio1', s0), 12]]);
    expect(err.join('')).toContain(`elasticrtc-node audio-archive: radio1: slot ${isoSecond(s0 + 300_000)} (300 s) is missing: no recorder has a non-empty copy`);
    expect(fake.metrics('ElasticRTC/AudioArchive').map((m) => [m.dimensions, m.value])).toEqual([[{ Cluster: 'demo', Stream: 'radio1' }, 1]]);
  });

  it.each([
    [['--env', 'ENV'], '', 1, 'elasticrtc-node audio-archive: AUDIO_ARCHIVE_STREAMS is missing: give the streams as a JSON array'],
    [['--env', 'ENV'], '[{"name":"a","url":"http://h/","segmentSeconds":7}]', 1, 'elasticrtc-node audio-archive: AUDIO_ARCHIVE_STREAMS[0].segmentSeconds=7: expected whole seconds'],
    [['--env', 'ENV', '--node-id', 'a/b'], '[{"name":"a","url":"http://h/"}]', 2, "elasticrtc-node audio-archive: --node-id a/b: expected 1 to 64 letters, digits, '.', '-' or '_'"],
    [['--env', 'missing.env'], '[{"name":"a","url":"http://h/"}]', 2, 'elasticrtc-node audio-archive: --env missing.env: cannot read it (ENOENT)'],
    [['--bogus'], '[{"name":"a","url":"http://h/"}]', 2, "elasticrtc-node audio-archive: Unknown option '--bogus'"],
  ])('%j with streams %s exits %i: %s', async (args, streams, code, message) => {
    await envFile(streams);
    const { ctx, err } = context();
    expect(await main(['audio-archive', ...args.map((a) => (a === 'ENV' ? join(dir, 'node.env') : a))], ctx)).toBe(code);
    expect(err.join('')).toContain(message);
  });

  it('records, uploads and reconciles as the built runtime, until its service stops it', async () => {
    // The real clock here: ffmpeg names segments by it, and the fake AWS checks metric timestamps against it.
    await fake.close();
    fake = await startFakeAws();
    fake.addBucket({ name: BUCKET });
    const icecast: FakeIcecast = await startFakeIcecast();
    try {
      await envFile(JSON.stringify([{ name: 'radio', url: icecast.url, segmentSeconds: 2 }]), 'AUDIO_ARCHIVE_GRACE_SECONDS=0\n');
      const child = spawn(process.execPath, ['bin/elasticrtc-node.js', 'audio-archive', '--env', join(dir, 'node.env'), '--node-id', 'node-1'], {
        env: { PATH: process.env.PATH, ...KEYS, AWS_ENDPOINT_URL: fake.url },
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true, // its own process group, as a systemd service's control group
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const deadline = Date.now() + 15_000;
      // a pass done: a final object, then the progress and the metric
      while (!fake.objects(BUCKET).some((o) => o.key.startsWith('final/radio/')) || fake.metrics('ElasticRTC/AudioArchive').length === 0) {
        if (Date.now() > deadline) throw new Error(`no reconciled slot in 15 s:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(stderr).toContain(`node node-1: recording radio into ${join(dir, 'segments')}, archiving into s3://${BUCKET}/final/`);
      expect(fake.objects(BUCKET).filter((o) => o.key.startsWith('staging/radio/node-1/')).length).toBeGreaterThan(0);
      expect(fake.objects(BUCKET).filter((o) => o.key.startsWith('final/')).every((o) => o.body.length > 0)).toBe(true);
      expect(fake.metrics('ElasticRTC/AudioArchive').map((m) => [m.name, m.dimensions])).toContainEqual(['MissingSlots', { Cluster: 'demo', Stream: 'radio' }]);
      expect(fake.objects(BUCKET).some((o) => o.key === 'state/radio.json')).toBe(true);
      process.kill(-child.pid!, 'SIGTERM'); // systemd stops the whole group: ffmpeg too
      await exited;
      const gone = Date.now() + 5000;
      while (icecast.clients() > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
      expect(icecast.clients()).toBe(0);
    } finally {
      await icecast.close();
    }
  }, 30_000);
});

