import { describe, expect, it } from 'vitest';
import {
  bestCopy,
  finalKey,
  finishedSegments,
  isoSecond,
  lastClosableSlot,
  parseIsoSecond,
  parseStagingKey,
  segmentStartMs,
  slotOf,
  slotStartMs,
  stagingKey,
  stateKey,
  type StagedCopy,
} from '../../src/node/apps/audio-archive/layout.js';
import { ffmpegArgs } from '../../src/node/apps/audio-archive/recorder.js';
import { AudioArchiveSettingsError, audioArchiveSettings, maskUrl, parseStreams } from '../../src/node/apps/audio-archive/settings.js';
import { NodeSettingsError } from '../../src/node/node-settings.js';

const T = (iso: string) => Date.parse(iso);

describe('slot math', () => {
  it.each([
    // [segment file name, segment seconds, slot start]
    ['20261130T224004.mp3', 2, '2026-11-30T22:40:04Z'], // aligned
    ['20261130T224003.mp3', 2, '2026-11-30T22:40:02Z'], // a restart's first segment, opened mid-slot
    ['20261130T224459.mp3', 300, '2026-11-30T22:40:00Z'],
    ['20261130T224500.mp3', 300, '2026-11-30T22:45:00Z'],
    ['20261130T235959.mp3', 3600, '2026-11-30T23:00:00Z'],
    ['20261201T000000.mp3', 600, '2026-12-01T00:00:00Z'],
  ])('%s with %i s segments is in the slot of %s', (name, seconds, start) => {
    const ms = segmentStartMs(name);
    expect(ms).toBeDefined();
    expect(isoSecond(slotStartMs(slotOf(ms!, seconds), seconds))).toBe(start);
  });

  it.each(['20261130T224004.mp4', '20261130T246004.mp3', '20261331T224004.mp3', '20260230T120000.mp3', 'segments.list', '20261130T22400.mp3'])('%s is not a segment name', (name) => {
    expect(segmentStartMs(name)).toBeUndefined();
  });

  it('closes a slot only after its end and the grace', () => {
    const start = T('2026-11-30T22:40:00Z');
    const slot = slotOf(start, 300);
    // the slot ends at 22:45:00; with 60 s of grace it is closable from 22:46:00
    expect(lastClosableSlot(T('2026-11-30T22:45:59.999Z'), 300, 60)).toBe(slot - 1);
    expect(lastClosableSlot(T('2026-11-30T22:46:00Z'), 300, 60)).toBe(slot);
    expect(lastClosableSlot(T('2026-11-30T22:45:00Z'), 300, 0)).toBe(slot);
  });

  it('reads back ISO seconds, and nothing else', () => {
    expect(parseIsoSecond('2026-11-30T22:40:02Z')).toBe(T('2026-11-30T22:40:02Z'));
    expect(parseIsoSecond('2026-11-30T22:40:02.000Z')).toBeUndefined();
    expect(parseIsoSecond('2026-02-30T22:40:02Z')).toBeUndefined();
  });
});

describe('key layout', () => {
  it('stages a copy under its stream, node and slot, and reads it back', () => {
    const start = T('2026-11-30T22:40:02Z');
    const key = stagingKey('radio1', 'i-0abc', start, '20261130T224003.mp3');
    expect(key).toBe('staging/radio1/i-0abc/2026-11-30T22:40:02Z-20261130T224003.mp3');
    expect(parseStagingKey('radio1', key, 17)).toEqual({ key, node: 'i-0abc', segment: '20261130T224003.mp3', slotStart: start, size: 17 });
    expect(parseStagingKey('radio2', key, 17)).toBeUndefined();
    expect(parseStagingKey('radio1', 'staging/radio1/i-0abc/not-a-slot.mp3', 1)).toBeUndefined();
  });

  it('keys staged copies so that a recorder lists them in slot order', () => {
    const keys = ['2026-11-30T22:40:02Z', '2026-11-30T09:00:00Z', '2026-12-01T00:00:00Z'].map((s) => stagingKey('r', 'n', T(s), '20261130T000000.mp3'));
    expect([...keys].sort()).toEqual([keys[1], keys[0], keys[2]]);
  });

  it('files the final copy by UTC day and slot start', () => {
    expect(finalKey('radio1', T('2026-11-30T22:40:00Z'))).toBe('final/radio1/2026/11/30/radio1-224000.mp3');
    expect(finalKey('radio1', T('2027-01-02T03:04:05Z'))).toBe('final/radio1/2027/01/02/radio1-030405.mp3');
    expect(stateKey('radio1')).toBe('state/radio1.json');
  });
});

describe('the best copy of a slot', () => {
  const copy = (key: string, size: number): StagedCopy => ({ key, node: key.split('/')[2] ?? '', segment: 'x.mp3', slotStart: 0, size });

  it('is the longest non-empty copy', () => {
    expect(bestCopy([copy('staging/r/a/1', 100), copy('staging/r/b/1', 250), copy('staging/r/a/2', 0)])?.key).toBe('staging/r/b/1');
  });

  it('is the first key between equally long copies, whatever the order given', () => {
    const a = copy('staging/r/node-a/1', 250);
    const b = copy('staging/r/node-b/1', 250);
    expect(bestCopy([b, a])?.key).toBe(a.key);
    expect(bestCopy([a, b])?.key).toBe(a.key);
  });

  it('is none when every copy is empty (a killed recorder) or there is none', () => {
    expect(bestCopy([copy('staging/r/a/1', 0), copy('staging/r/b/1', 0)])).toBeUndefined();
    expect(bestCopy([])).toBeUndefined();
  });
});

describe('finished segments of a run', () => {
  const files = ['20261130T224003.mp3', '20261130T224004.mp3', '20261130T224006.mp3', 'segments.list'];

  it('of a live run: listed ones followed by a newer file, never the one being written', () => {
    expect(finishedSegments(files, new Set(['20261130T224003.mp3', '20261130T224004.mp3']), true)).toEqual(['20261130T224003.mp3', '20261130T224004.mp3']);
    // listed, but ffmpeg has not opened the next one yet: it may still be closing it
    expect(finishedSegments(files, new Set(['20261130T224003.mp3', '20261130T224004.mp3', '20261130T224006.mp3']), true)).toEqual(['20261130T224003.mp3', '20261130T224004.mp3']);
    expect(finishedSegments(files, new Set(), true)).toEqual([]);
  });

  it('of an ended run: every segment left, listed or not (the last one of a killed ffmpeg)', () => {
    expect(finishedSegments(files, new Set(['20261130T224003.mp3']), false)).toEqual(['20261130T224003.mp3', '20261130T224004.mp3', '20261130T224006.mp3']);
  });
});

describe('ffmpeg', () => {
  it('copies the stream into clock-aligned segments named by their start, with a list per run', () => {
    const args = ffmpegArgs({ name: 'radio1', url: 'http://icecast:8000/live.mp3', segmentSeconds: 300 }, '/var/lib/a/radio1/run-1');
    const joined = args.join(' ');
    expect(joined).toContain('-reconnect 1 -reconnect_streamed 1 -reconnect_delay_max 5');
    expect(joined).toContain('-i http://icecast:8000/live.mp3');
    expect(joined).toContain('-c copy -f segment -segment_format mp3 -segment_time 300 -segment_atclocktime 1 -strftime 1');
    expect(joined).toContain('-segment_list /var/lib/a/radio1/run-1/segments.list -segment_list_type flat');
    expect(args[args.length - 1]).toBe('/var/lib/a/radio1/run-1/%Y%m%dT%H%M%S.mp3');
    expect(args).not.toContain('-c:a');
  });
});

describe('settings', () => {
  const env = { STACK_NAME: 'demo', REGION: 'eu-west-1', BUCKET: 'eu-west-1-demo', AUDIO_ARCHIVE_STREAMS: '[{"name":"radio1","url":"http://icecast:8000/live.mp3","segmentSeconds":300}]' };

  it('reads the streams, the bucket and the defaults', () => {
    expect(audioArchiveSettings(env)).toEqual({
      cluster: 'demo',
      region: 'eu-west-1',
      bucket: 'eu-west-1-demo',
      streams: [{ name: 'radio1', url: 'http://icecast:8000/live.mp3', segmentSeconds: 300 }],
      dir: '/var/lib/elasticrtc/audio-archive',
      graceSeconds: 60,
    });
    expect(audioArchiveSettings({ ...env, AUDIO_ARCHIVE_NODE_ID: 'node-a', AUDIO_ARCHIVE_DIR: '/tmp/x', AUDIO_ARCHIVE_GRACE_SECONDS: '5' })).toMatchObject({ nodeId: 'node-a', dir: '/tmp/x', graceSeconds: 5 });
    expect(parseStreams('[{"name":"a","url":"https://h/x"}]')).toEqual([{ name: 'a', url: 'https://h/x', segmentSeconds: 300 }]);
  });

  it.each([
    [{ BUCKET: '' }, 'BUCKET is missing'],
    [{ STACK_NAME: '' }, 'STACK_NAME is missing'],
    [{ AUDIO_ARCHIVE_STREAMS: '' }, 'AUDIO_ARCHIVE_STREAMS is missing'],
    [{ AUDIO_ARCHIVE_STREAMS: '{' }, 'AUDIO_ARCHIVE_STREAMS: expected a JSON array'],
    [{ AUDIO_ARCHIVE_STREAMS: '[]' }, 'expected a non-empty JSON array'],
    [{ AUDIO_ARCHIVE_STREAMS: '[{"name":"Radio 1","url":"http://h/"}]' }, 'AUDIO_ARCHIVE_STREAMS[0].name="Radio 1": expected 1 to 64 lower-case'],
    [{ AUDIO_ARCHIVE_STREAMS: '[{"name":"a","url":"rtsp://h/"}]' }, 'AUDIO_ARCHIVE_STREAMS[0].url="rtsp://h/": expected an http:// or https:// URL'],
    [{ AUDIO_ARCHIVE_STREAMS: '[{"name":"a","url":"http://h/","segmentSeconds":7}]' }, 'AUDIO_ARCHIVE_STREAMS[0].segmentSeconds=7: expected whole seconds from 1 to 3600 that divide a day'],
    [{ AUDIO_ARCHIVE_STREAMS: '[{"name":"a","url":"http://h/","length":60}]' }, 'AUDIO_ARCHIVE_STREAMS[0].length: unknown key'],
    [{ AUDIO_ARCHIVE_STREAMS: '[{"name":"a","url":"http://h/"},{"name":"a","url":"http://g/"}]' }, 'AUDIO_ARCHIVE_STREAMS[1].name="a": a stream of that name comes earlier'],
    [{ AUDIO_ARCHIVE_NODE_ID: 'a/b' }, 'AUDIO_ARCHIVE_NODE_ID=a/b'],
    [{ AUDIO_ARCHIVE_GRACE_SECONDS: '-1' }, 'AUDIO_ARCHIVE_GRACE_SECONDS=-1'],
    [{ AUDIO_ARCHIVE_DIR: 'relative' }, 'AUDIO_ARCHIVE_DIR=relative: expected an absolute path'],
  ])('refuses %j naming the key', (change, message) => {
    const run = () => audioArchiveSettings({ ...env, ...change });
    expect(run).toThrow(AudioArchiveSettingsError);
    expect(run).toThrow(NodeSettingsError);
    expect(run).toThrow(message);
  });

  it('never shows the credentials of a stream URL', () => {
    expect(maskUrl('http://source:hackme@icecast:8000/live.mp3')).toBe('http://***@icecast:8000/live.mp3');
    expect(() => parseStreams('[{"name":"a","url":"ftp://source:hackme@icecast/"}]')).toThrow('"ftp://***@icecast/"');
  });
});
