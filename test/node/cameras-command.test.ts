/**
 * `elasticrtc-node cameras`: its settings and cameras file (every refusal names the key, the value
 * and what is expected, never a password), the layout of its keys, and the command running the
 * recorders, the uploader and the web server with the fake camera, Debian's ffmpeg and the fake S3.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type CamerasKit, camerasCommand } from '../../src/node/apps/cameras/command.js';
import { dailyKey, dayOf, liveDir, parseDayName, parseSegmentKey, segmentKey, stateKey } from '../../src/node/apps/cameras/layout.js';
import { CamerasSettingsError, camerasSettings, parseCameras } from '../../src/node/apps/cameras/settings.js';
import type { CamerasServer } from '../../src/node/apps/cameras/web/server.js';
import type { NodeCloud } from '../../src/node/cloud.js';
import type { NodeContext } from '../../src/node/context.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { testSecret } from '../support/node-inputs.js';
import { startRtspCamera } from '../support/rtsp-camera.js';

const BUCKET = 'eu-west-1-demo';
const BASE = { STACK_NAME: 'demo', REGION: 'eu-west-1', BUCKET };

describe('settings', () => {
  it('takes the defaults', () => {
    expect(camerasSettings(BASE)).toEqual({
      cluster: 'demo',
      region: 'eu-west-1',
      bucket: BUCKET,
      camerasFile: '/etc/elasticrtc/cameras/cameras.json',
      dir: '/var/lib/elasticrtc/cameras',
      segmentSeconds: 600,
      port: 8081,
      dailyGraceSeconds: 1800,
    });
  });

  it.each([
    [{ REGION: 'eu-west-1', BUCKET }, 'STACK_NAME is missing: give the cluster\'s stack name'],
    [{ ...BASE, BUCKET: '' }, 'BUCKET is missing: give the cluster bucket to archive into'],
    [{ ...BASE, REGION: 'Europe' }, 'REGION=Europe: expected an AWS region such as eu-west-1'],
    [{ ...BASE, CAMERAS_SEGMENT_SECONDS: '7' }, 'CAMERAS_SEGMENT_SECONDS=7: expected whole seconds from 1 to 3600 that divide a day, e.g. 300 or 600'],
    [{ ...BASE, CAMERAS_SEGMENT_SECONDS: '7200' }, 'CAMERAS_SEGMENT_SECONDS=7200: expected whole seconds from 1 to 3600 that divide a day, e.g. 300 or 600'],
    [{ ...BASE, CAMERAS_PORT: '0' }, 'CAMERAS_PORT=0: expected a TCP port from 1 to 65535'],
    [{ ...BASE, CAMERAS_DAILY_GRACE_SECONDS: '-5' }, 'CAMERAS_DAILY_GRACE_SECONDS=-5: expected whole seconds from 0 to 86400'],
    [{ ...BASE, CAMERAS_DIR: 'cameras' }, 'CAMERAS_DIR=cameras: expected an absolute path'],
    [{ ...BASE, CAMERAS_FILE: '~/cameras.json' }, 'CAMERAS_FILE=~/cameras.json: expected an absolute path'],
  ])('refuses %j', (env, message) => {
    expect(() => camerasSettings(env)).toThrow(new CamerasSettingsError(message));
  });

  it('reads kvs-relay\'s cameras file, stream optional', () => {
    const text = JSON.stringify({ cameras: [{ name: 'lobby', url: 'rtsp://viewer:s3cret@10.0.0.5/s1', stream: 'demo-lobby' }, { name: 'dock', url: 'rtsp://10.0.0.6/s' }] });
    expect(parseCameras(text, 'cameras.json')).toEqual([
      { name: 'lobby', url: 'rtsp://viewer:s3cret@10.0.0.5/s1' },
      { name: 'dock', url: 'rtsp://10.0.0.6/s' },
    ]);
  });

  it.each([
    ['{}', 'cameras.json: expected {"cameras": [{"name", "url"}, …]} with at least one camera'],
    ['{"cameras": [{"name": "a/b", "url": "rtsp://x/y"}]}', 'cameras.json: cameras[0].name "a/b": expected 1 to 64 letters, digits, \'_\', \'.\' or \'-\''],
    ['{"cameras": [{"name": "a", "url": "http://u:s3cret@x/y"}]}', 'cameras.json: cameras[0].url (a): expected rtsp://[user:password@]host[:port]/path'],
    ['{"cameras": [{"name": "a", "url": "rtsp://x/y"}, {"name": "a", "url": "rtsp://x/z"}]}', 'cameras.json: cameras[1].name a: another camera has this name'],
    ['{"cameras": [{"name": "a", "url": "rtsp://x/y", "stream": "s/t"}]}', 'cameras.json: cameras[0].stream "s/t" (a): expected a Kinesis video stream name, 1 to 256 of letters, digits, \'_\', \'.\' or \'-\''],
  ])('refuses the cameras file %s, never showing a password', (text, message) => {
    expect(() => parseCameras(text, 'cameras.json')).toThrow(new CamerasSettingsError(message));
  });
});

describe('layout', () => {
  it('keys segments by their UTC day and start, the MP4s by day, the progress per camera', () => {
    const start = Date.UTC(2026, 4, 4, 23, 50, 7);
    expect(segmentKey('lobby', start)).toBe('cameras/lobby/segments/2026/05/04/lobby-235007.ts');
    expect(parseSegmentKey('lobby', 'cameras/lobby/segments/2026/05/04/lobby-235007.ts')).toBe(start);
    expect(parseSegmentKey('dock', 'cameras/lobby/segments/2026/05/04/lobby-235007.ts')).toBeUndefined();
    expect(parseSegmentKey('lobby', 'cameras/lobby/segments/2026/02/30/lobby-000000.ts')).toBeUndefined();
    expect(dailyKey('lobby', dayOf(start))).toBe('cameras/lobby/daily/2026/05/lobby-2026-05-04.mp4');
    expect(stateKey('lobby')).toBe('cameras/lobby/state.json');
    expect(liveDir('/var/lib/elasticrtc/cameras', 'lobby')).toBe('/var/lib/elasticrtc/cameras/live/lobby');
    expect(parseDayName('2026-05-04')).toBe(Date.UTC(2026, 4, 4));
    expect(parseDayName('2026-13-01')).toBeUndefined();
  });
});

/** A TCP port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('elasticrtc-node cameras', () => {
  let dir: string;
  let fake: FakeAws;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cameras-cmd-'));
    fake = await startFakeAws();
    fake.addBucket({ name: BUCKET });
    vi.stubEnv('AWS_ENDPOINT_URL', fake.url);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'x');
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  function context(secret?: string): { ctx: NodeContext; err: string[] } {
    const err: string[] = [];
    const ctx: NodeContext = {
      out: { write: () => undefined },
      err: { write: (t) => void err.push(t) },
      clock: {
        now: () => Date.now(),
        sleep: (ms, signal) =>
          new Promise((resolve) => {
            const timer = setTimeout(resolve, ms);
            signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
          }),
      },
      env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: fake.url },
      run: () => Promise.reject(new Error('no program runs here')),
      cloud: (): NodeCloud => ({
        secret: (arn) => (secret !== undefined && arn === 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elasticrtc/demo' ? Promise.resolve(secret) : Promise.reject(new Error(`no secret ${arn}`))),
        signal: () => Promise.reject(new Error('no signal here')),
      }),
    };
    return { ctx, err };
  }

  const kit = (started?: CamerasKit['started']): CamerasKit => ({ usage: (m) => new Error(`usage: ${m}`), readText: (_flag, path) => readFile(path, 'utf8'), envFile: join(dir, 'none.env'), ...(started ? { started } : {}) });

  it('says which key is wrong, and which file cannot be read', async () => {
    await writeFile(join(dir, 'bad.env'), `STACK_NAME=demo\nBUCKET=${BUCKET}\nCAMERAS_FILE=${join(dir, 'missing.json')}\n`);
    await expect(camerasCommand(context().ctx, ['--env', join(dir, 'bad.env')], kit())).rejects.toThrow(new CamerasSettingsError(`CAMERAS_FILE=${join(dir, 'missing.json')}: cannot read it (ENOENT)`));
    await writeFile(join(dir, 'cameras.json'), JSON.stringify({ cameras: [{ name: 'lobby', url: 'rtsp://127.0.0.1:1/cam' }] }));
    await writeFile(join(dir, 'nosecret.env'), `STACK_NAME=demo\nBUCKET=${BUCKET}\nCAMERAS_FILE=${join(dir, 'cameras.json')}\nCAMERAS_DIR=${dir}\nCLUSTER_URL=wss://cluster.example.org\n`);
    await expect(camerasCommand(context().ctx, ['--env', join(dir, 'nosecret.env')], kit())).rejects.toThrow('usage: CLUSTER_URL=wss://cluster.example.org in --env, but no SECRET_ARN names the cluster secret that holds its api key');
    await expect(camerasCommand(context().ctx, ['--bogus'], kit())).rejects.toThrow("Unknown option '--bogus'");
  });

  it('records, uploads and serves the live HLS until stopped; the live view gets the cluster URL with the api key', async () => {
    const password = 'Cam3ra!Pa55';
    const camera = await startRtspCamera('viewer', password);
    try {
      const port = await freePort();
      const secret = testSecret();
      await writeFile(join(dir, 'cameras.json'), JSON.stringify({ cameras: [{ name: 'lobby', url: camera.url }] }), { mode: 0o644 });
      await writeFile(
        join(dir, 'node.env'),
        `${Object.entries(BASE).map(([k, v]) => `${k}=${v}`).join('\n')}\nCAMERAS_FILE=${join(dir, 'cameras.json')}\nCAMERAS_DIR=${dir}\nCAMERAS_PORT=${port}\nCAMERAS_SEGMENT_SECONDS=2\n` +
          // Nothing answers there: the live view is configured (not `off`) but down.
          'CLUSTER_URL=ws://127.0.0.1:1\nSECRET_ARN=arn:aws:secretsmanager:eu-west-1:123456789012:secret:elasticrtc/demo\n',
      );
      const { ctx, err } = context(JSON.stringify(secret));
      let app: Parameters<NonNullable<CamerasKit['started']>>[0] | undefined;
      const exited = camerasCommand(ctx, ['--env', join(dir, 'node.env')], kit((a) => (app = a)));
      const deadline = Date.now() + 20_000;
      const playlist = `http://127.0.0.1:${port}/app/cameras/hls/lobby/index.m3u8`;
      for (;;) {
        const res = app ? await fetch(playlist).catch(() => undefined) : undefined;
        if (res?.status === 200 && (await res.text()).startsWith('#EXTM3U')) break;
        if (Date.now() > deadline) throw new Error(`no live playlist served in 20 s:\n${err.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(app!.server.port).toBe(port);
      expect((app!.server as CamerasServer).liveState()).not.toBe('off');
      while (!fake.objects(BUCKET).some((o) => o.key.startsWith('cameras/lobby/segments/'))) {
        if (Date.now() > deadline) throw new Error(`no archived segment in 20 s:\n${err.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      await app!.recording.stop();
      expect(await exited).toBe(0);
      const text = err.join('');
      expect(text).toContain(`elasticrtc-node cameras: ${join(dir, 'cameras.json')} is readable by others: it holds camera passwords, make it 0600`);
      expect(text).toContain(`elasticrtc-node cameras: 1 camera(s): lobby; live HLS in ${dir}/live, segments of 2 s into s3://${BUCKET}/cameras/; page on port ${port}`);
      for (const hidden of [password, encodeURIComponent(password), secret.apiKey]) expect(text).not.toContain(hidden);
    } finally {
      await camera.kill();
    }
  }, 30_000);
});
