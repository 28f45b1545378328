/**
 * The audio archive's high availability, with Debian's ffmpeg recording a fake Icecast stream on two
 * "nodes" into the fake S3: one recorder killed mid-segment (SIGKILL) and restarted by its
 * supervisor, both stopped for a whole slot, the reconcilers of both nodes run concurrently (and
 * restarted) on an injected clock. Segments of 2 s keep the window near 15 s.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAudioArchive, type RunningArchive } from '../../src/node/apps/audio-archive/archive.js';
import { bestCopy, finalKey, isoSecond, parseStagingKey, slotOf, slotStartMs, stateKey, type StagedCopy } from '../../src/node/apps/audio-archive/layout.js';
import { Reconciler, type ReconcileResult } from '../../src/node/apps/audio-archive/reconciler.js';
import { sdkArchiveStore, sdkMissingSlotsMetric } from '../../src/node/apps/audio-archive/sdk.js';
import { MISSING_SLOTS_METRIC, type ArchiveStore, type MissingSlotsMetric } from '../../src/node/apps/audio-archive/store.js';
import type { Clock } from '../../src/node/context.js';
import { startFakeAws, type FakeAws, type FakeObject } from '../support/fake-aws/index.js';
import { startFakeIcecast, type FakeIcecast } from '../support/fake-icecast.js';

const BUCKET = 'eu-west-1-demo';
const S = 2;
const STREAM = 'radio';
const GRACE_S = 1;

const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    }),
};

/** Polls `check` until it holds; fails naming `what` at the deadline. */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for a moment of the wall clock (the test acts at chosen points of a slot). */
const until = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms - Date.now())));

const start = (slot: number) => slotStartMs(slot, S);

let icecast: FakeIcecast;
let fake: FakeAws;
let dir: string;
let store: ArchiveStore;
let metric: MissingSlotsMetric;
const nodes: Record<'a' | 'b', RunningArchive | undefined> = { a: undefined, b: undefined };
const logs: string[] = [];

// What the run produced, for the assertions.
let w0 = 0; // first slot both recorders recorded whole
let killedSlot = 0;
let gapSlot = 0;
let wEnd = 0; // last slot of the window
let killedPid = 0;
const phase1: ReconcileResult[] = [];
const phase2: ReconcileResult[] = [];
let phase1Last = '';
let touchedAfterRestart: string[] = [];
let leftLocally: string[] = [];

const staged = (): StagedCopy[] => fake.objects(BUCKET).flatMap((o) => parseStagingKey(STREAM, o.key, o.body.length) ?? []);
const stagedBy = (node: string) => staged().filter((c) => c.node === node);

function reconciler(now: () => number): Reconciler {
  return new Reconciler({ stream: { name: STREAM, url: icecast.url, segmentSeconds: S }, cluster: 'demo', store, metric, clock: { ...realClock, now }, log: (l) => logs.push(`reconciler: ${l}`), graceSeconds: GRACE_S });
}

async function localFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(join(e.parentPath, e.name));
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audio-archive-ha-'));
  icecast = await startFakeIcecast();
  fake = await startFakeAws();
  fake.addBucket({ name: BUCKET });
  const config = { region: 'eu-west-1', endpoint: fake.url, credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } };
  store = sdkArchiveStore(new S3Client({ ...config, forcePathStyle: true }), BUCKET);
  metric = sdkMissingSlotsMetric(new CloudWatchClient(config));
  for (const id of ['a', 'b'] as const) {
    nodes[id] = startAudioArchive({
      streams: [{ name: STREAM, url: icecast.url, segmentSeconds: S }],
      cluster: 'demo',
      nodeId: `node-${id}`,
      dir: join(dir, id),
      graceSeconds: GRACE_S,
      store,
      metric,
      clock: realClock,
      env: process.env,
      log: (l) => logs.push(`node-${id}: ${l}`),
      uploadIntervalMs: 200,
      reconcile: false, // driven below, on an injected clock
    });
  }
  const a = nodes.a!.recorders.get(STREAM)!;
  const b = nodes.b!.recorders.get(STREAM)!;

  // Both recording: each has uploaded a finished segment, so both have crossed a slot boundary.
  await waitFor('a finished segment from both recorders', () => stagedBy('node-a').length > 0 && stagedBy('node-b').length > 0);
  w0 = slotOf(Date.now(), S);

  // Recorder A killed in the middle of the next slot; its supervisor restarts it.
  killedSlot = w0 + 1;
  await until(start(killedSlot) + (S * 1000) / 2);
  killedPid = a.pid!;
  process.kill(killedPid, 'SIGKILL');
  await waitFor('recorder A restarted', () => a.pid !== undefined && a.pid !== killedPid, 5000);

  // Both stopped for a whole slot: nobody has it.
  gapSlot = killedSlot + 3;
  await until(start(gapSlot) - 500);
  await Promise.all([a.stop(), b.stop()]);
  await until(start(gapSlot + 1) + 200);
  a.start();
  b.start();

  // Two more slots, then both nodes stop (ffmpeg finishes its segment, the last upload pass takes it).
  wEnd = gapSlot + 2;
  await until(start(wEnd + 1) + 300);
  await waitFor('both recorders past the window', () => [a, b].every((r) => r.pid !== undefined) && ['node-a', 'node-b'].every((n) => stagedBy(n).some((c) => slotOf(c.slotStart, S) >= wEnd)));
  await Promise.all([nodes.a!.stop(), nodes.b!.stop()]);
  leftLocally = [...(await localFiles(join(dir, 'a'))), ...(await localFiles(join(dir, 'b')))];

  // Reconcilers of both nodes, concurrently and repeatedly, first up to the slot after the kill…
  let now = start(killedSlot + 1) + GRACE_S * 1000;
  const [ra, rb] = [reconciler(() => now), reconciler(() => now)];
  for (let i = 0; i < 3; i++) phase1.push(...(await Promise.all([ra.runOnce(), rb.runOnce()])));
  phase1Last = (JSON.parse(fake.objects(BUCKET).find((o) => o.key === stateKey(STREAM))!.body.toString()) as { lastSlot: string }).lastSlot;
  // … then restarted (new instances, nothing in memory), up to the end of the window.
  fake.resetRequests();
  now = start(wEnd + 1) + GRACE_S * 1000;
  const [ra2, rb2] = [reconciler(() => now), reconciler(() => now)];
  for (let i = 0; i < 3; i++) phase2.push(...(await Promise.all([ra2.runOnce(), rb2.runOnce()])));
  touchedAfterRestart = fake.requests.filter((r) => ['CopyObject', 'HeadObject'].includes(r.action)).map((r) => r.params.Key ?? '');
}, 60_000);

afterAll(async () => {
  if (process.env.AUDIO_ARCHIVE_LOGS) console.log(logs.join('\n')); // what both nodes and the reconcilers said
  await Promise.all([nodes.a?.stop(), nodes.b?.stop()]);
  await icecast?.close();
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const finals = (): FakeObject[] => fake.objects(BUCKET).filter((o) => o.key.startsWith('final/'));

describe('audio archive: two recorders, one killed and restarted', () => {
  it('archives exactly one non-empty copy of every slot of the window, the longest, and never an empty object', () => {
    const copies = staged();
    const first = Math.min(...copies.map((c) => slotOf(c.slotStart, S)));
    expect(first).toBeLessThanOrEqual(w0);
    const expected = [];
    for (let slot = first; slot <= wEnd; slot++) if (slot !== gapSlot) expected.push(finalKey(STREAM, start(slot)));
    const all = finals();
    expect(all.map((o) => o.key), logs.join('\n')).toEqual(expected);
    expect(all.filter((o) => o.body.length === 0)).toEqual([]);
    expect(copies.filter((c) => c.size === 0)).toEqual([]); // empty segments are never even staged
    for (const o of all) {
      const slot = slotOf(Date.parse(o.metadata.slot ?? ''), S);
      const best = bestCopy(copies.filter((c) => slotOf(c.slotStart, S) === slot))!;
      expect(o.body.equals(fake.objects(BUCKET).find((s) => s.key === best.key)!.body)).toBe(true);
      expect(o.body.subarray(0, 3).toString('latin1')).toMatch(/^(ID3|\xff[\xe0-\xff])/); // an MP3 file
    }
  });

  it("keeps the other recorder's whole copy of the slot in which one was killed", () => {
    const inSlot = (node: string) => staged().filter((c) => c.node === node && slotOf(c.slotStart, S) === killedSlot);
    const b = inSlot('node-b');
    expect(b).toHaveLength(1);
    // A's copy of that slot, if any byte of it reached the disk, is cut short and marked incomplete
    for (const c of inSlot('node-a')) {
      expect(c.size).toBeLessThan(b[0]!.size);
      expect(fake.objects(BUCKET).find((o) => o.key === c.key)?.metadata.complete).toBe('false');
    }
    const final = finals().find((o) => o.key === finalKey(STREAM, start(killedSlot)));
    expect(final?.metadata.node).toBe('node-b');
    expect(nodes.a!.recorders.get(STREAM)!.runCount).toBe(3); // first run, after the kill, after the gap
    expect(logs.some((l) => l.startsWith('node-a: radio: ffmpeg was killed by SIGKILL'))).toBe(true);
  });

  it('uploads everything recorded: nothing is left on the recorders', () => {
    expect(leftLocally).toEqual([]);
  });

  it('reports the slot both recorders missed, once, with the metric and a log line', () => {
    expect(finals().some((o) => o.key === finalKey(STREAM, start(gapSlot)))).toBe(false);
    const data = fake.metrics(MISSING_SLOTS_METRIC.namespace).filter((d) => d.dimensions.Stream === STREAM && d.dimensions.Cluster === 'demo');
    expect(data.reduce((sum, d) => sum + (d.value ?? 0), 0)).toBe(1);
    expect(data.every((d) => d.name === 'MissingSlots' && d.unit === 'Count')).toBe(true);
    expect(logs.filter((l) => l.includes('is missing'))).toEqual([`reconciler: ${STREAM}: slot ${isoSecond(start(gapSlot))} (2 s) is missing: no recorder has a non-empty copy`]);
    // both reconcilers found it; only the one whose progress write won reported it
    expect([...phase1, ...phase2].filter((r) => r.advanced).flatMap((r) => r.missing)).toEqual([isoSecond(start(gapSlot))]);
  });

  it('resumes from the stored progress after the reconcilers restart', () => {
    expect(phase1Last).toBe(isoSecond(start(killedSlot)));
    // the restarted reconcilers neither copied nor looked at a slot closed before
    const closedBefore = new Set(finals().map((o) => o.key).filter((k) => k <= finalKey(STREAM, start(killedSlot))));
    expect(closedBefore.size).toBeGreaterThan(0);
    expect(touchedAfterRestart.filter((k) => closedBefore.has(k))).toEqual([]);
    expect(phase2.filter((r) => r.advanced)).not.toHaveLength(0);
    expect(phase2.flatMap((r) => r.slots)[0]).toBe(isoSecond(start(killedSlot + 1)));
    const state = JSON.parse(fake.objects(BUCKET).find((o) => o.key === stateKey(STREAM))!.body.toString()) as { lastSlot: string };
    expect(state.lastSlot).toBe(isoSecond(start(wEnd)));
  });
});
