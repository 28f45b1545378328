/**
 * The daily MP4 of a camera: once a UTC day has ended (plus a grace), its archived segments are
 * concatenated without re-encoding (`ffmpeg -f concat -c copy`, `+faststart`) into one MP4 written
 * once (`If-None-Match: *`: a second writer gets 412 and writes nothing). A day without segments is
 * recorded as empty. Progress is `cameras/<camera>/state.json`, advanced day by day with conditional
 * writes, so a restarted job resumes at the next day and two jobs never move it backwards.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../context.js';
import { isoSecond } from '../audio-archive/layout.js';
import { nap } from '../shared/nap.js';
import { DAY_MS, dailyKey, dayName, dayOf, parseDayName, parseSegmentKey, segmentsDayPrefix, segmentsPrefix, stateKey } from './layout.js';
import type { CameraStore } from './store.js';

/** `cameras/<camera>/state.json`. */
export interface DailyState {
  camera: string;
  /** The last UTC day done (`YYYY-MM-DD`): every day up to it has its MP4 or was empty. */
  lastDay: string;
  updatedAt: string;
  /** The latest days that had no segment, oldest first, at most {@link EMPTY_KEPT}. */
  empty: string[];
}

const EMPTY_KEPT = 100;

/** What became of one day. */
export interface DailyDay {
  day: string;
  /** `written`: this job wrote the MP4; `present`: it was there already, or another job wrote it first; `empty`: no segment. */
  outcome: 'written' | 'present' | 'empty';
  key?: string;
  /** Segments concatenated (written) or found (present by a race). */
  segments?: number;
  /** The MP4's size (written). */
  bytes?: number;
}

/** What one pass did for a camera. */
export interface DailyResult {
  camera: string;
  days: DailyDay[];
  /** Whether this pass moved the progress. */
  advanced: boolean;
  /** Why the pass stopped early (the day is tried again by the next pass). */
  failed?: string;
}

export interface DailyJobOptions {
  camera: string;
  /** The stack's name, in the MP4's metadata. */
  cluster: string;
  store: CameraStore;
  /** Where a day's segments are downloaded and its MP4 built (a directory per build, removed after). */
  workDir: string;
  clock: Clock;
  log(line: string): void;
  /** Seconds after a day's end before its MP4 is built. */
  graceSeconds: number;
  /** The environment ffmpeg runs with (`TZ=UTC` added). */
  env: Readonly<Record<string, string | undefined>>;
  /** The program; default `ffmpeg` on PATH. */
  ffmpeg?: string;
  /** At most this many days a pass (catching up after a long stop); default 7. */
  maxDaysPerPass?: number;
}

export class DailyStateError extends Error {}

function readState(camera: string, value: unknown): DailyState {
  const s = value as Partial<DailyState> | null;
  if (typeof s !== 'object' || s === null || typeof s.lastDay !== 'string' || parseDayName(s.lastDay) === undefined) {
    throw new DailyStateError(`${stateKey(camera)}: expected {"lastDay": "YYYY-MM-DD", …}; fix or delete it`);
  }
  return { camera, lastDay: s.lastDay, updatedAt: String(s.updatedAt ?? ''), empty: Array.isArray(s.empty) ? s.empty.filter((d) => typeof d === 'string') : [] };
}

/** The last day whose MP4 may be built at `nowMs`: one that ended at least `graceSeconds` ago. */
export const lastClosableDay = (nowMs: number, graceSeconds: number): number => dayOf(nowMs - graceSeconds * 1000) - DAY_MS;

/**
 * ffmpeg's arguments for a day's MP4: the concat list's files one after the other, streams copied,
 * the index moved to the front (+faststart) so that a browser plays it while it downloads.
 */
export function dailyFfmpegArgs(listFile: string, output: string, metadata: { title: string; creationTime: string }): string[] {
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-y',
    '-f', 'concat', '-i', listFile,
    '-map', '0:v', '-map', '0:a?', '-c', 'copy',
    '-metadata', `title=${metadata.title}`, '-metadata', `creation_time=${metadata.creationTime}`,
    '-movflags', '+faststart', '-f', 'mp4', output,
  ];
}

export class DailyJob {
  constructor(private readonly options: DailyJobOptions) {}

  /** Builds every day that is due and not done; safe to run anywhere, any number of times, concurrently. */
  async runOnce(signal?: AbortSignal): Promise<DailyResult> {
    const { camera, store, clock, log } = this.options;
    const result: DailyResult = { camera, days: [], advanced: false };
    const key = stateKey(camera);
    let saved = await store.readJson(key);
    let state = saved && readState(camera, saved.value);
    let from: number;
    if (state) from = (parseDayName(state.lastDay) ?? 0) + DAY_MS;
    else {
      // Never run: from the first day any segment was archived (keys sort by time).
      const first = (await store.list(segmentsPrefix(camera), { maxKeys: 1 })).objects[0];
      const start = first && parseSegmentKey(camera, first.key);
      if (start === undefined) return result;
      from = dayOf(start);
    }
    const to = Math.min(lastClosableDay(clock.now(), this.options.graceSeconds), from + ((this.options.maxDaysPerPass ?? 7) - 1) * DAY_MS);
    for (let day = from; day <= to && !signal?.aborted; day += DAY_MS) {
      let done: DailyDay;
      try {
        done = await this.day(day, signal);
      } catch (error) {
        result.failed = `${camera}: the MP4 of ${dayName(day)} failed: ${error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)}`;
        log(`${result.failed} (tried again by the next pass)`);
        return result;
      }
      result.days.push(done);
      const next: DailyState = {
        camera,
        lastDay: done.day,
        updatedAt: isoSecond(clock.now()),
        empty: [...(state?.empty ?? []), ...(done.outcome === 'empty' ? [done.day] : [])].slice(-EMPTY_KEPT),
      };
      if (!(await store.writeJsonIf(key, next, saved?.etag))) {
        log(`${camera}: another job recorded its progress first; leaving the days after ${done.day} to it`);
        return result;
      }
      result.advanced = true;
      if (done.outcome === 'empty') log(`${camera}: ${done.day} has no segment: recorded as empty`);
      // The progress just written, and its ETag for the next day's write.
      saved = await store.readJson(key);
      state = saved && readState(camera, saved.value);
      if (state?.lastDay !== done.day) return result;
    }
    return result;
  }

  /** One day: present, empty, or built and written. */
  private async day(day: number, signal: AbortSignal | undefined): Promise<DailyDay> {
    const { camera, store, log } = this.options;
    const name = dayName(day);
    const target = dailyKey(camera, day);
    if (await store.exists(target)) return { day: name, outcome: 'present', key: target };
    const segments = (await store.list(segmentsDayPrefix(camera, day))).objects
      .flatMap((o) => {
        const start = parseSegmentKey(camera, o.key);
        return start !== undefined && dayOf(start) === day && o.size > 0 ? [{ key: o.key, start }] : [];
      })
      .sort((a, b) => a.start - b.start);
    if (segments.length === 0) return { day: name, outcome: 'empty' };
    // A directory of this build's own: another job (a `--daily-once` beside the service) may build the same day.
    await mkdir(this.options.workDir, { recursive: true });
    const work = await mkdtemp(join(this.options.workDir, `${camera}-${name}-`));
    try {
      const files: string[] = [];
      for (const [i, s] of segments.entries()) {
        const file = `${String(i).padStart(5, '0')}.ts`;
        await store.getFile(s.key, join(work, file), signal);
        files.push(file);
      }
      // Plain names, relative to the list: the concat demuxer's safe mode takes them.
      await writeFile(join(work, 'list.ffconcat'), `ffconcat version 1.0\n${files.map((f) => `file ${f}\n`).join('')}`);
      const output = join(work, `${camera}-${name}.mp4`);
      await this.ffmpeg(dailyFfmpegArgs(join(work, 'list.ffconcat'), output, { title: `${camera} ${name} (UTC)`, creationTime: new Date(segments[0]!.start).toISOString() }), signal);
      const { size } = await stat(output);
      const outcome = await store.putFile(
        target,
        output,
        size,
        {
          contentType: 'video/mp4',
          metadata: { cluster: this.options.cluster, camera, day: name, segments: String(segments.length), first: isoSecond(segments[0]!.start), last: isoSecond(segments[segments.length - 1]!.start) },
        },
        { ifAbsent: true },
      );
      if (outcome === 'exists') {
        log(`${camera}: the MP4 of ${name} was written by another job meanwhile (412); kept theirs`);
        return { day: name, outcome: 'present', key: target, segments: segments.length };
      }
      log(`${camera}: wrote ${target}: ${segments.length} segment(s), ${size} bytes`);
      return { day: name, outcome: 'written', key: target, segments: segments.length, bytes: size };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private ffmpeg(args: string[], signal: AbortSignal | undefined): Promise<void> {
    const env = Object.fromEntries(Object.entries({ ...this.options.env, TZ: 'UTC' }).filter((e): e is [string, string] => e[1] !== undefined));
    return new Promise((resolve, reject) => {
      const child = spawn(this.options.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'], env, ...(signal ? { signal } : {}) });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.once('error', reject);
      child.once('close', (code, sig) => {
        if (code === 0) resolve();
        else reject(new Error(`ffmpeg ${sig ? `was killed by ${sig}` : `exited with code ${code ?? '?'}`}: ${stderr.trim().split('\n').slice(-3).join(' / ') || 'no message'}`));
      });
    });
  }
}

/** A build older than a day was left by a killed process (a build takes minutes): its files go. */
async function removeStale(workDir: string, now: number, log: (line: string) => void): Promise<void> {
  const names = await readdir(workDir).catch(() => [] as string[]);
  for (const name of names) {
    const info = await stat(join(workDir, name)).catch(() => undefined);
    if (info && now - info.mtimeMs > DAY_MS) {
      await rm(join(workDir, name), { recursive: true, force: true });
      log(`removed ${join(workDir, name)}, left by a daily build that did not finish`);
    }
  }
}

/**
 * Runs every camera's job in turn (one MP4 built at a time: they are large), again after each day's
 * end plus the grace, until `signal` aborts. A failed day is tried again after 10 minutes, then
 * after twice as long each time it fails again (at most 6 hours: each try downloads the day again).
 */
export interface DailyLoopOptions {
  clock: Clock;
  graceSeconds: number;
  maxDaysPerPass?: number;
  log(line: string): void;
  /** Called after every pass with its results. */
  onPass?(results: DailyResult[]): void;
  /** The jobs' work directory, cleaned before each pass of builds a killed process left. */
  workDir?: string;
}

export async function runDailyJobs(jobs: readonly DailyJob[], o: DailyLoopOptions, signal: AbortSignal): Promise<void> {
  let failedPasses = 0;
  while (!signal.aborted) {
    if (o.workDir !== undefined) await removeStale(o.workDir, o.clock.now(), o.log);
    const results: DailyResult[] = [];
    for (const job of jobs) {
      if (signal.aborted) break;
      try {
        results.push(await job.runOnce(signal));
      } catch (error) {
        o.log(`daily pass failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        results.push({ camera: '?', days: [], advanced: false, failed: String(error) });
      }
    }
    o.onPass?.(results);
    // Catching up (more days due than a pass takes): the next pass at once.
    if (results.some((r) => r.advanced && r.days.length >= (o.maxDaysPerPass ?? 7))) continue;
    const now = o.clock.now();
    const nextDue = lastClosableDay(now, o.graceSeconds) + 2 * DAY_MS + o.graceSeconds * 1000 + 1000;
    failedPasses = results.some((r) => r.failed !== undefined) ? failedPasses + 1 : 0;
    const wait = failedPasses > 0 ? Math.min(600_000 * 2 ** (failedPasses - 1), 6 * 3_600_000, nextDue - now) : nextDue - now;
    await nap(o.clock, Math.max(1000, wait), signal);
  }
}
