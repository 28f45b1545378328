import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Recorder } from '../../src/node/apps/audio-archive/recorder.js';
import type { Clock } from '../../src/node/context.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'audio-archive-rec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A virtual clock whose sleeps pass at once; `onSleep` sees each one. */
function virtualClock(onSleep: (ms: number) => void): Clock & { time: number } {
  const clock = {
    time: Date.UTC(2026, 10, 30, 12, 0, 0),
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += ms;
      onSleep(ms);
      await new Promise((r) => setImmediate(r));
    },
  };
  return clock;
}

describe('recorder supervision', () => {
  it('restarts an ffmpeg that exits, backing off from 1 s to 30 s, each run in a directory of its own', async () => {
    const sleeps: number[] = [];
    const log: string[] = [];
    let stopping: Promise<void> | undefined;
    const clock = virtualClock((ms) => {
      sleeps.push(ms);
      if (sleeps.length === 7) stopping = recorder.stop();
    });
    // `false` stands for an ffmpeg that fails at once (a stream that cannot be reached)
    const recorder = new Recorder({ stream: { name: 'radio1', url: 'http://user:secret@icecast.test/live.mp3', segmentSeconds: 2 }, dir, clock, env: { PATH: process.env.PATH }, log: (l) => log.push(l), ffmpeg: 'false' });
    recorder.start();
    await new Promise<void>((resolve) => {
      const check = () => (stopping ? void stopping.then(resolve) : setTimeout(check, 10));
      check();
    });
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    expect(recorder.runCount).toBe(7);
    expect((await readdir(dir)).length).toBe(7);
    expect(log.filter((l) => l.includes('ffmpeg exited with code 1')).length).toBe(7);
    expect(log.some((l) => l.includes('secret'))).toBe(false);
    expect(log[0]).toMatch(/^radio1: recording http:\/\/\*\*\*@icecast.test\/live.mp3 into .*run-\d+ \(ffmpeg pid \d+\)$/);
  });

  it('says so, and keeps trying, when ffmpeg cannot be run at all', async () => {
    const log: string[] = [];
    let stopping: Promise<void> | undefined;
    const clock = virtualClock(() => (stopping ??= recorder.stop()));
    const recorder = new Recorder({ stream: { name: 'radio1', url: 'http://icecast.test/live.mp3', segmentSeconds: 2 }, dir, clock, env: {}, log: (l) => log.push(l), ffmpeg: join(dir, 'no-ffmpeg') });
    recorder.start();
    await new Promise<void>((resolve) => {
      const check = () => (stopping ? void stopping.then(resolve) : setTimeout(check, 10));
      check();
    });
    expect(log.some((l) => /^radio1: ffmpeg could not run \(spawn .*no-ffmpeg ENOENT\) after 0\.0 s; restarting in 1 s$/.test(l))).toBe(true);
  });
});
