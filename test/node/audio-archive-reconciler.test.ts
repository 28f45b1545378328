import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { finalKey, isoSecond, slotOf, slotStartMs, stagingKey, stateKey } from '../../src/node/apps/audio-archive/layout.js';
import { Reconciler, type ReconcileState } from '../../src/node/apps/audio-archive/reconciler.js';
import { sdkArchiveStore, sdkMissingSlotsMetric } from '../../src/node/apps/audio-archive/sdk.js';
import { MISSING_SLOTS_METRIC, type ArchiveStore, type MissingSlotsMetric } from '../../src/node/apps/audio-archive/store.js';
import { Uploader } from '../../src/node/apps/audio-archive/uploader.js';
import type { Clock } from '../../src/node/context.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';

const BUCKET = 'eu-west-1-demo';
const S = 300;
const STREAM = { name: 'radio1', url: 'http://icecast.test/live.mp3', segmentSeconds: S };
/** Slot 0 of the tests: 2026-11-30T12:00:00Z. */
const BASE = slotOf(Date.UTC(2026, 10, 30, 12, 0, 0), S);
const startOf = (i: number) => slotStartMs(BASE + i, S);

let fake: FakeAws;
let time: number;
let clock: Clock;
let s3: S3Client;
let store: ArchiveStore;
let metric: MissingSlotsMetric;

beforeEach(async () => {
  time = startOf(0);
  clock = { now: () => time, sleep: async (ms) => void (time += ms) };
  fake = await startFakeAws({ now: () => time });
  fake.addBucket({ name: BUCKET });
  const config = { region: 'eu-west-1', endpoint: fake.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' }, maxAttempts: 1 };
  s3 = new S3Client({ ...config, forcePathStyle: true });
  store = sdkArchiveStore(s3, BUCKET);
  metric = sdkMissingSlotsMetric(new CloudWatchClient(config));
});

afterEach(async () => {
  await fake.close();
});

const objects = (prefix: string) => fake.objects(BUCKET).filter((o) => o.key.startsWith(prefix));
const stage = (node: string, i: number, bytes: number, fill = node === 'node-a' ? 0x61 : 0x62) =>
  store.put(stagingKey('radio1', node, startOf(i), `x${i}.mp3`), Buffer.alloc(bytes, fill), { contentType: 'audio/mpeg', metadata: {} });

function reconciler(log: string[], overrides: Partial<ConstructorParameters<typeof Reconciler>[0]> = {}): Reconciler {
  return new Reconciler({ stream: STREAM, cluster: 'demo', store, metric, clock, log: (l) => log.push(l), graceSeconds: 60, ...overrides });
}

async function state(): Promise<ReconcileState> {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: stateKey('radio1') }));
  return JSON.parse(await out.Body!.transformToString()) as ReconcileState;
}

describe('fake S3: conditional writes', () => {
  it('PutObject with If-None-Match: * writes once, then answers 412 PreconditionFailed', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'one', IfNoneMatch: '*' }));
    await expect(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'two', IfNoneMatch: '*' }))).rejects.toMatchObject({ name: 'PreconditionFailed', $metadata: { httpStatusCode: 412 } });
    expect(objects('k')[0]?.body.toString()).toBe('one');
  });

  it('PutObject with If-Match replaces only the version read: 412 for another ETag, 404 for no object', async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'one' }));
    await expect(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'x', IfMatch: '"0123"' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'k', Body: 'two', IfMatch: first.ETag }));
    expect(objects('k')[0]?.body.toString()).toBe('two');
    await expect(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'none', Body: 'x', IfMatch: first.ETag }))).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
  });

  it('CopyObject copies with the request metadata (REPLACE), honours If-None-Match and needs its source', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'staging/a:b.mp3', Body: 'audio', ContentType: 'audio/mpeg', Metadata: { node: 'a' } }));
    const copy = (key: string, source = 'staging/a:b.mp3') =>
      s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: key, CopySource: `${BUCKET}/${source.split('/').map(encodeURIComponent).join('/')}`, IfNoneMatch: '*', MetadataDirective: 'REPLACE', ContentType: 'audio/mpeg', Metadata: { slot: 's' } }));
    const out = await copy('final/x.mp3');
    expect(out.CopyObjectResult?.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(objects('final/')).toEqual([{ key: 'final/x.mp3', body: Buffer.from('audio'), contentType: 'audio/mpeg', metadata: { slot: 's' } }]);
    await expect(copy('final/x.mp3')).rejects.toMatchObject({ name: 'PreconditionFailed' });
    await expect(copy('final/y.mp3', 'staging/none.mp3')).rejects.toMatchObject({ name: 'NoSuchKey' });
    expect(fake.requests.filter((r) => r.action === 'CopyObject').map((r) => r.status)).toEqual([200, 412, 404]);
  });
});

describe('reconciler', () => {
  it('keeps the longest non-empty copy of each closed slot, never an empty one, and reports a slot no recorder has, once', async () => {
    await stage('node-a', 0, 100);
    await stage('node-b', 0, 120); // longest
    await stage('node-a', 1, 0); // killed recorder: empty
    await stage('node-b', 1, 80);
    await stage('node-a', 2, 50); // restarted recorder: short first segment
    await stage('node-b', 2, 0);
    // slot 3: nothing from anyone
    await stage('node-a', 4, 0); // slot 4: empty copies only
    await stage('node-b', 4, 0);
    await stage('node-a', 5, 90); // equal: node-a's key comes first
    await stage('node-b', 5, 90);
    await stage('node-a', 6, 90); // slot 6 ends at +35 min: not closable before +36 min
    time = startOf(6) + 60_000;

    const logA: string[] = [];
    const logB: string[] = [];
    const a = reconciler(logA);
    const b = reconciler(logB);
    const rounds = [];
    for (let i = 0; i < 3; i++) rounds.push(await Promise.all([a.runOnce(), b.runOnce()]));

    const finals = objects('final/');
    expect(finals.map((o) => [o.key, o.body.length, o.body[0]])).toEqual([
      [finalKey('radio1', startOf(0)), 120, 0x62],
      [finalKey('radio1', startOf(1)), 80, 0x62],
      [finalKey('radio1', startOf(2)), 50, 0x61],
      [finalKey('radio1', startOf(5)), 90, 0x61],
    ]);
    expect(finals[0]?.key).toBe('final/radio1/2026/11/30/radio1-120000.mp3');
    expect(finals[0]?.metadata).toEqual({ slot: isoSecond(startOf(0)), node: 'node-b', segment: 'x0.mp3', bytes: '120' });
    expect(finals.every((o) => o.body.length > 0 && o.contentType === 'audio/mpeg')).toBe(true);
    // each final object written by exactly one copy; the other reconciler's attempts were refused
    const copies = fake.requests.filter((r) => r.action === 'CopyObject');
    expect(copies.filter((r) => r.status === 200)).toHaveLength(4);
    expect(copies.every((r) => r.status === 200 || r.status === 412)).toBe(true);

    // progress: slots 0 to 5 closed, 3 and 4 missing; only one reconciler moved it in the first round
    expect(rounds[0]!.filter((r) => r.advanced)).toHaveLength(1);
    expect(await state()).toMatchObject({ stream: 'radio1', segmentSeconds: S, lastSlot: isoSecond(startOf(5)), missing: [isoSecond(startOf(3)), isoSecond(startOf(4))] });

    // reported once: one datum of 2 by the winner of the first round, none for rounds with nothing due
    const data = fake.metrics(MISSING_SLOTS_METRIC.namespace);
    expect(data.map((d) => [d.name, d.dimensions, d.value, d.unit])).toEqual([['MissingSlots', { Cluster: 'demo', Stream: 'radio1' }, 2, 'Count']]);
    const missingLines = [...logA, ...logB].filter((l) => l.includes('is missing'));
    expect(missingLines).toEqual([
      `radio1: slot ${isoSecond(startOf(3))} (300 s) is missing: no recorder has a non-empty copy`,
      `radio1: slot ${isoSecond(startOf(4))} (300 s) is missing: no recorder has a non-empty copy`,
    ]);
  });

  it('resumes from the stored progress after a restart, and never touches a closed slot again', async () => {
    for (const i of [0, 1, 2]) await stage('node-a', i, 10 + i);
    time = startOf(2) + 60_000; // slots 0 and 1 due
    expect((await reconciler([]).runOnce()).slots).toEqual([isoSecond(startOf(0)), isoSecond(startOf(1))]);
    await stage('node-b', 3, 30);
    time = startOf(4) + 60_000; // slots 2 and 3 due

    fake.resetRequests();
    const restarted = reconciler([]); // a new process: nothing in memory
    const result = await restarted.runOnce();
    expect(result).toMatchObject({ slots: [isoSecond(startOf(2)), isoSecond(startOf(3))], written: [finalKey('radio1', startOf(2)), finalKey('radio1', startOf(3))], missing: [], advanced: true });
    const touched = fake.requests.filter((r) => ['CopyObject', 'HeadObject'].includes(r.action)).map((r) => r.params.Key);
    expect(touched).toEqual([finalKey('radio1', startOf(2)), finalKey('radio1', startOf(3))]);
    expect((await state()).lastSlot).toBe(isoSecond(startOf(3)));
    // and again: nothing due, nothing written, progress unchanged
    expect(await restarted.runOnce()).toMatchObject({ slots: [], written: [] });
  });

  it('never replaces a final object, even by a longer copy staged late', async () => {
    await stage('node-a', 0, 10);
    time = startOf(1) + 60_000;
    await reconciler([]).runOnce();
    // a late copy of the closed slot, and a state lost by hand: the slot is reconsidered, the final kept
    await stage('node-b', 0, 500);
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: stateKey('radio1'), Body: JSON.stringify({ lastSlot: isoSecond(startOf(-1)), segmentSeconds: S }) }));
    const again = await reconciler([]).runOnce();
    expect(again).toMatchObject({ written: [], present: 1, missing: [] });
    expect(objects('final/').map((o) => o.body.length)).toEqual([10]);
  });

  it('does nothing before any recorder has staged a copy', async () => {
    time = startOf(10);
    expect(await reconciler([]).runOnce()).toEqual({ slots: [], written: [], present: 0, missing: [], advanced: false });
    expect(objects('state/')).toEqual([]);
    expect(fake.metrics()).toEqual([]);
  });

  it('catches up a long stop a bounded number of slots per pass', async () => {
    for (const i of [0, 1, 2, 3, 4]) await stage('node-a', i, 10);
    time = startOf(5) + 60_000;
    const r = reconciler([], { maxSlotsPerPass: 2 });
    expect((await r.runOnce()).slots).toHaveLength(2);
    expect((await r.runOnce()).slots).toHaveLength(2);
    expect((await r.runOnce()).slots).toHaveLength(1);
    expect(objects('final/')).toHaveLength(5);
  });

  it('keeps its progress when the metric cannot be published, and says so', async () => {
    await stage('node-a', 1, 10);
    time = startOf(1) + 60_000;
    await stage('node-a', 0, 0);
    fake.faults.serverError(1, { service: 'monitoring' });
    const log: string[] = [];
    const result = await reconciler(log).runOnce();
    expect(result).toMatchObject({ slots: [isoSecond(startOf(0))], missing: [isoSecond(startOf(0))], advanced: true });
    expect(log.some((l) => l.startsWith('radio1: cannot publish MissingSlots=1: '))).toBe(true);
    expect((await state()).missing).toEqual([isoSecond(startOf(0))]);
  });
});

describe('uploader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'audio-archive-up-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(name: string, files: Record<string, number>, listed: string[]): Promise<string> {
    const runDir = join(dir, 'radio1', name);
    await mkdir(runDir, { recursive: true });
    for (const [f, size] of Object.entries(files)) await writeFile(join(runDir, f), Buffer.alloc(size, 1));
    await writeFile(join(runDir, 'segments.list'), listed.map((l) => `${l}\n`).join(''));
    return runDir;
  }

  it('uploads finished segments of the live run, everything of ended runs, drops empty ones, and deletes what it uploaded', async () => {
    const ended = await run('run-1000', { '20261130T120000.mp3': 40, '20261130T120500.mp3': 30, '20261130T120612.mp3': 0 }, ['20261130T120000.mp3']);
    const live = await run('run-2000', { '20261130T120633.mp3': 20, '20261130T121000.mp3': 50, '20261130T121500.mp3': 5 }, ['20261130T120633.mp3', '20261130T121000.mp3']);
    const log: string[] = [];
    const uploader = new Uploader({ dir, streams: [STREAM], nodeId: 'node-a', store, isLive: (d) => d === live, clock, log: (l) => log.push(l) });
    const pass = await uploader.runOnce();
    expect(pass.uploaded).toEqual([
      'staging/radio1/node-a/2026-11-30T12:00:00Z-20261130T120000.mp3',
      'staging/radio1/node-a/2026-11-30T12:05:00Z-20261130T120500.mp3',
      'staging/radio1/node-a/2026-11-30T12:05:00Z-20261130T120633.mp3', // a restart's first segment: its slot
      'staging/radio1/node-a/2026-11-30T12:10:00Z-20261130T121000.mp3',
    ]);
    expect(pass.dropped).toEqual([join(ended, '20261130T120612.mp3')]);
    expect(objects('staging/').map((o) => [o.body.length, o.metadata.complete])).toEqual([[40, 'true'], [30, 'false'], [20, 'true'], [50, 'true']]);
    // the ended run is gone; the live run keeps the segment being written
    expect(await readdir(join(dir, 'radio1'))).toEqual(['run-2000']);
    expect((await readdir(live)).sort()).toEqual(['20261130T121500.mp3', 'segments.list']);
  });

  it('keeps a segment whose upload failed and uploads it on the next pass', async () => {
    const ended = await run('run-1000', { '20261130T120000.mp3': 40 }, ['20261130T120000.mp3']);
    const log: string[] = [];
    const uploader = new Uploader({ dir, streams: [STREAM], nodeId: 'node-a', store, isLive: () => false, clock, log: (l) => log.push(l) });
    fake.faults.serverError(1, { service: 's3', action: 'PutObject' });
    const failed = await uploader.runOnce();
    expect(failed.failed).toMatch(/^radio1: cannot upload 20261130T120000.mp3: InternalError/);
    expect(await readdir(ended)).toContain('20261130T120000.mp3');
    expect((await uploader.runOnce()).uploaded).toEqual(['staging/radio1/node-a/2026-11-30T12:00:00Z-20261130T120000.mp3']);
    expect(objects('staging/')).toHaveLength(1);
  });
});
