/**
 * `boot` step by step, with an injected clock, cloud and programs: exactly one signal, SUCCESS only
 * when Kurento answers, FAILURE at once with the failed step, and every failure signalled in under
 * two minutes of (virtual) time, hangs included.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyUnitTexts } from '../support/systemd-verify.js';
import { describe, expect, it } from 'vitest';
import { BOOT_EXIT, boot } from '../../src/node/boot.js';
import type { CheckResult } from '../../src/node/check.js';
import type { NodeCloud } from '../../src/node/cloud.js';
import type { NodeContext, RunResult } from '../../src/node/context.js';
import { FakeClock } from '../support/context.js';
import { testSecret } from '../support/node-inputs.js';

const SECRET = JSON.stringify(testSecret());
const IDENTITY = { instanceId: 'i-0123456789abcdef0', region: 'eu-west-1', publicIp: '203.0.113.10', privateIp: '10.0.0.10' };

interface Signal {
  stack: string;
  resource: string;
  uniqueId: string;
  success: boolean;
  at: number;
}

interface Setup {
  env?: string;
  secret?: () => Promise<string>;
  run?: (command: string, args: readonly string[]) => RunResult | 'hang';
  check?: (clock: FakeClock) => CheckResult | 'hang';
  identity?: () => Promise<typeof IDENTITY>;
}

const ENV = 'STACK_NAME=demo\nSTACK_ID=arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1\nREGION=eu-west-1\nSECRET_ARN=arn:secret\n';

async function runBoot(setup: Setup = {}) {
  const clock = new FakeClock(0);
  const dir = mkdtempSync(join(tmpdir(), 'boot-'));
  writeFileSync(join(dir, 'node.env'), setup.env ?? ENV);
  const signals: Signal[] = [];
  const runs: string[] = [];
  const checked: string[] = [];
  let err = '';
  const cloud: NodeCloud = {
    secret: setup.secret ?? (async () => SECRET),
    signal: async (s) => void signals.push({ ...s, at: clock.now() }),
  };
  const ctx: NodeContext = {
    out: { write: () => undefined },
    err: { write: (t) => void (err += t) },
    clock,
    env: {},
    cloud: () => cloud,
    run: async (command, args, options) => {
      runs.push(`${command} ${args.join(' ')}`);
      const r = setup.run?.(command, args) ?? { code: 0, stdout: '', stderr: '' };
      if (r === 'hang') {
        await clock.sleep(options?.timeoutMs ?? 3_600_000); // a program killed at its timeout
        return { code: 124, stdout: '', stderr: `${command} timed out` };
      }
      return r;
    },
  };
  const code = await boot(ctx, {
    envFile: join(dir, 'node.env'),
    configDir: join(dir, 'etc'),
    unitDir: join(dir, 'units'),
    identity: setup.identity ?? (async () => IDENTITY),
    check: async (url, timeoutMs) => {
      checked.push(url);
      const r = setup.check?.(clock) ?? { ok: true, ms: 3 };
      if (r === 'hang') {
        await clock.sleep(timeoutMs);
        return { ok: false, failure: 'no-answer', detail: 'no answer to ping within 5 s' };
      }
      return r;
    },
  });
  return { code, signals, runs, err, dir, checked };
}

const TWO_MINUTES = 120_000;

describe('boot', () => {
  it('configures, installs, starts the units, waits for Kurento and signals SUCCESS once', async () => {
    let checks = 0;
    const r = await runBoot({ check: () => (++checks < 3 ? { ok: false, failure: 'refused', detail: 'connection refused' } : { ok: true, ms: 4 }) });
    expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
    expect(r.signals).toEqual([{ stack: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1', resource: 'NodeGroup', uniqueId: 'i-0123456789abcdef0', success: true, at: 4_000 }]);
    expect(r.runs).toEqual([
      'apt-get -q -o DPkg::Lock::Timeout=60 update',
      'apt-get -q -o DPkg::Lock::Timeout=60 install -y --no-install-recommends docker.io coturn',
      'systemctl disable --now coturn.service',
      'docker pull --quiet kurento/kurento-media-server:7.3.0',
      'systemctl daemon-reload',
      'systemctl enable --now elasticrtc-kms.service elasticrtc-agent.service elasticrtc-controller.service elasticrtc-turn.service elasticrtc-turn-renew.timer elasticrtc-logs.service',
    ]);
    expect(readFileSync(join(r.dir, 'units', 'elasticrtc-kms.service'), 'utf8')).toContain('kurento/kurento-media-server:7.3.0');
    expect(readFileSync(join(r.dir, 'etc', 'kurento', 'kurento.conf.json'), 'utf8')).toContain(testSecret().apiKey);
  });

  it('runs the KMS of an own image without Docker or the official image', async () => {
    const r = await runBoot({ env: `${ENV}KMS_SOURCE=host\nLOG_STORAGE=none\nTURN=false\n` });
    expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
    expect(r.runs).toEqual(['systemctl daemon-reload', 'systemctl enable --now elasticrtc-kms.service elasticrtc-agent.service elasticrtc-controller.service']);
    const unit = readFileSync(join(r.dir, 'units', 'elasticrtc-kms.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/kurento-media-server$/m);
    expect(unit).not.toContain('docker');
  });

  const APP_ENV = `${ENV}ROLE=app\nSIGNAL_RESOURCE=AppGroup\nCLUSTER_URL=wss://demo.example.com\n`;

  it('runs the room server alone on an app node: no package, no image, ready when /app/healthz answers', async () => {
    let checks = 0;
    const r = await runBoot({ env: APP_ENV, check: () => (++checks < 2 ? { ok: false, failure: 'refused', detail: 'connection refused (ECONNREFUSED)' } : { ok: true, ms: 2 }) });
    expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
    expect(r.runs).toEqual(['systemctl daemon-reload', 'systemctl enable --now elasticrtc-room.service']);
    expect(r.checked).toEqual(['http://127.0.0.1:8080/app/healthz', 'http://127.0.0.1:8080/app/healthz']);
    expect(r.signals).toEqual([expect.objectContaining({ resource: 'AppGroup', uniqueId: 'i-0123456789abcdef0', success: true })]);
    expect(readdirSync(join(r.dir, 'units'))).toEqual(['elasticrtc-room.service']);
    expect(existsSync(join(r.dir, 'etc'))).toBe(false);
    expect(readFileSync(join(r.dir, 'units', 'elasticrtc-room.service'), 'utf8')).toMatch(/^ExecStart=\/opt\/elasticrtc\/bin\/node \/opt\/elasticrtc\/elasticrtc-node.cjs room$/m);
    expect(r.err).toContain('the room server answered in 2 ms');
  });

  const CAMERAS = [{ name: 'lobby', url: 'rtsp://viewer:s3cr%40t-pass@10.0.0.5/stream1' }, { name: 'dock', url: 'rtsp://10.0.0.6/stream1' }];

  it('runs kvs-relay and cameras on an app node: GStreamer and ffmpeg from apt, the cameras files root-only with each camera’s stream, kvssink’s install queued after SUCCESS-ready checks', async () => {
    const r = await runBoot({
      env: `${APP_ENV}APPS=room,kvs-relay,cameras\nKVS_RELAY_STREAMS=lobby=demo-CameraStream1-AB12,dock=demo-CameraStream2-CD34\n`,
      secret: async () => JSON.stringify({ ...testSecret(), cameras: CAMERAS }),
      check: () => ({ ok: true, ms: 3 }),
    });
    expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
    expect(r.runs).toEqual([
      'apt-get -q -o DPkg::Lock::Timeout=60 update',
      'apt-get -q -o DPkg::Lock::Timeout=60 install -y --no-install-recommends ffmpeg gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad',
      'systemctl daemon-reload',
      'systemctl enable --now elasticrtc-room.service elasticrtc-kvs-relay.service elasticrtc-cameras.service',
      'systemctl is-active elasticrtc-kvs-relay.service',
      'systemctl start --no-block elasticrtc-kvssink-install.service',
    ]);
    expect(r.checked).toEqual(['http://127.0.0.1:8080/app/healthz', 'http://127.0.0.1:8081/app/cameras/healthz']);
    expect(readdirSync(join(r.dir, 'units')).sort()).toEqual(['elasticrtc-cameras.service', 'elasticrtc-kvs-relay.service', 'elasticrtc-kvssink-install.service', 'elasticrtc-room.service']);
    const relay = join(r.dir, 'etc', 'kvs-relay', 'cameras.json');
    expect(statSync(relay).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(relay, 'utf8'))).toEqual({ cameras: [{ ...CAMERAS[0], stream: 'demo-CameraStream1-AB12' }, { ...CAMERAS[1], stream: 'demo-CameraStream2-CD34' }] });
    const cams = join(r.dir, 'etc', 'cameras', 'cameras.json');
    expect(statSync(cams).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(cams, 'utf8'))).toEqual({ cameras: CAMERAS });
    for (const unit of ['elasticrtc-kvs-relay.service', 'elasticrtc-cameras.service']) expect(readFileSync(join(r.dir, 'units', unit), 'utf8')).toMatch(/^KillMode=control-group$/m);
    // systemd reads every unit the app node gets.
    const units = Object.fromEntries(readdirSync(join(r.dir, 'units')).map((u) => [u, readFileSync(join(r.dir, 'units', u), 'utf8')]));
    expect(verifyUnitTexts(units)).toEqual({ status: 0, output: '' });
    expect(r.err + JSON.stringify(r.signals)).not.toContain('s3cr');
  });

  it('signals FAILURE at configure when kvs-relay has a camera without a stream', async () => {
    const r = await runBoot({ env: `${APP_ENV}APPS=kvs-relay\nKVS_RELAY_STREAMS=lobby=demo-CameraStream1-AB12\n`, secret: async () => JSON.stringify({ ...testSecret(), cameras: CAMERAS }) });
    expect(r.code).toBe(BOOT_EXIT.signalledFailure);
    expect(r.err).toContain('failed at configure: KVS_RELAY_STREAMS names no stream for camera dock');
  });

  const RECORDER_ENV = `${ENV}ROLE=recorder\nSIGNAL_RESOURCE=RecorderGroup\nBUCKET=eu-west-1-demo\n`;
  const STREAMS = [{ name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org/live.mp3', segmentSeconds: 300 }];
  const RECORDER_SECRET = JSON.stringify({ ...testSecret(), audioArchiveStreams: STREAMS });

  it('runs the audio archive on a recorder: ffmpeg from apt, its env root-only, SUCCESS once the service is active', async () => {
    let polls = 0;
    const r = await runBoot({
      env: RECORDER_ENV,
      secret: async () => RECORDER_SECRET,
      run: (c, a) => (c === 'systemctl' && a[0] === 'is-active' ? (++polls < 3 ? { code: 3, stdout: 'activating\n', stderr: '' } : { code: 0, stdout: 'active\n', stderr: '' }) : { code: 0, stdout: '', stderr: '' }),
    });
    expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
    expect(r.runs).toEqual([
      'apt-get -q -o DPkg::Lock::Timeout=60 update',
      'apt-get -q -o DPkg::Lock::Timeout=60 install -y --no-install-recommends ffmpeg',
      'systemctl daemon-reload',
      'systemctl enable --now elasticrtc-audio-archive.service',
      'systemctl is-active elasticrtc-audio-archive.service',
      'systemctl is-active elasticrtc-audio-archive.service',
      'systemctl is-active elasticrtc-audio-archive.service',
    ]);
    expect(r.checked).toEqual([]);
    expect(r.signals).toEqual([expect.objectContaining({ resource: 'RecorderGroup', uniqueId: 'i-0123456789abcdef0', success: true })]);
    expect(readdirSync(join(r.dir, 'units'))).toEqual(['elasticrtc-audio-archive.service']);
    const unit = readFileSync(join(r.dir, 'units', 'elasticrtc-audio-archive.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/opt\/elasticrtc\/bin\/node \/opt\/elasticrtc\/elasticrtc-node.cjs audio-archive --env \/etc\/elasticrtc\/audio-archive.env$/m);
    expect(unit).toMatch(/^KillMode=control-group$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).not.toContain('s3cr3t');
    const envPath = join(r.dir, 'etc', 'audio-archive.env');
    expect(statSync(envPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(envPath, 'utf8')).toBe(
      `STACK_NAME=demo\nREGION=eu-west-1\nBUCKET=eu-west-1-demo\nAUDIO_ARCHIVE_STREAMS=${JSON.stringify(STREAMS)}\nAUDIO_ARCHIVE_NODE_ID=i-0123456789abcdef0\n`,
    );
    expect(r.err).toContain('elasticrtc-audio-archive.service is active');
    expect(r.err).not.toContain('s3cr3t');
  });

  it('signals FAILURE at the audio-archive step when the service never becomes active', async () => {
    const r = await runBoot({ env: RECORDER_ENV, secret: async () => RECORDER_SECRET, run: (c, a) => (c === 'systemctl' && a[0] === 'is-active' ? { code: 3, stdout: 'failed\n', stderr: '' } : { code: 0, stdout: '', stderr: '' }) });
    expect(r.code).toBe(BOOT_EXIT.signalledFailure);
    expect(r.signals).toEqual([expect.objectContaining({ resource: 'RecorderGroup', success: false, uniqueId: expect.stringMatching(/^i-0123456789abcdef0 audio-archive: elasticrtc-audio-archive/) })]);
    expect(r.err).toContain('failed at audio-archive: elasticrtc-audio-archive.service was not active within 90 s: failed');
    expect(r.signals[0]?.at).toBeLessThan(TWO_MINUTES);
  });

  it('signals FAILURE at configure when the secret has no streams, or a bad one, never showing a URL', async () => {
    const none = await runBoot({ env: RECORDER_ENV });
    expect(none.signals).toEqual([expect.objectContaining({ success: false, uniqueId: expect.stringMatching(/^i-0123456789abcdef0 configure: the cluster secret has no/) })]);
    expect(none.err).toContain('failed at configure: the cluster secret has no audioArchiveStreams');
    const bad = await runBoot({ env: RECORDER_ENV, secret: async () => JSON.stringify({ ...testSecret(), audioArchiveStreams: [{ name: 'r', url: 'ftp://u:s3cr3t-pass@x/y' }] }) });
    expect(bad.signals).toEqual([expect.objectContaining({ success: false, uniqueId: expect.stringMatching(/^i-0123456789abcdef0 configure: AUDIO_ARCHIVE_STREAMS\[0\]/) })]);
    expect(bad.err).toContain('failed at configure: AUDIO_ARCHIVE_STREAMS[0].url="ftp://***@x/y"');
    expect(JSON.stringify(bad.signals) + bad.err).not.toContain('s3cr3t');
  });

  it('signals FAILURE at the room step when the room server never answers on an app node', async () => {
    const r = await runBoot({ env: `${APP_ENV}APP_PORT=8081\n`, check: () => 'hang' });
    expect(r.code).toBe(BOOT_EXIT.signalledFailure);
    expect(r.checked[0]).toBe('http://127.0.0.1:8081/app/healthz');
    expect(r.signals).toEqual([expect.objectContaining({ success: false, uniqueId: expect.stringMatching(/^i-0123456789abcdef0 room: the room server did not answer/) })]);
    expect(r.signals[0]?.at).toBeLessThan(TWO_MINUTES);
  });

  const failures: [string, Setup, RegExp][] = [
    ['an unreadable env file', { env: 'not an env line\n' }, /^$/],
    ['no instance metadata', { identity: async () => Promise.reject(new Error('instance metadata /latest/api/token: HTTP 500')) }, /metadata: instance metadata/],
    ['a missing secret', { secret: async () => Promise.reject(new Error('cannot read the cluster secret arn:secret: ResourceNotFoundException')) }, /secret: cannot read/],
    ['a secret without an api key', { secret: async () => JSON.stringify({ ...testSecret(), apiKey: '' }) }, /secret: the cluster secret has no apiKey/],
    ['apt-get failing', { run: (c) => (c === 'apt-get' ? { code: 100, stdout: '', stderr: 'E: Unable to locate package coturn' } : { code: 0, stdout: '', stderr: '' }) }, /packages: apt-get/],
    ['apt-get hanging on its lock', { run: (c) => (c === 'apt-get' ? 'hang' : { code: 0, stdout: '', stderr: '' }) }, /packages: apt-get/],
    ['the image pull failing', { run: (c) => (c === 'docker' ? { code: 1, stdout: '', stderr: 'toomanyrequests: rate limit' } : { code: 0, stdout: '', stderr: '' }) }, /image: docker pull/],
    ['the image pull hanging', { run: (c) => (c === 'docker' ? 'hang' : { code: 0, stdout: '', stderr: '' }) }, /image: docker pull/],
    ['a unit failing to start', { run: (c, a) => (c === 'systemctl' && a[0] === 'enable' ? { code: 1, stdout: '', stderr: 'Job failed' } : { code: 0, stdout: '', stderr: '' }) }, /units: systemctl enable/],
    ['Kurento refusing', { check: () => ({ ok: false, failure: 'refused', detail: 'connection refused (ECONNREFUSED)' }) }, /kms: Kurento did not answer within 90 s: refused/],
    ['Kurento never answering', { check: () => 'hang' }, /kms: Kurento did not answer within 90 s: no-answer/],
    ['Kurento answering 101 on any path, then closing', { check: () => ({ ok: false, failure: 'wrong-answer', detail: 'socket closed before pong (code 1002)' }) }, /kms: .*wrong-answer.*1002/],
  ];

  it.each(failures)('signals FAILURE once, in under two minutes, on %s', async (_name, setup, reason) => {
    const r = await runBoot(setup);
    if (_name === 'an unreadable env file') {
      // Without its settings the node cannot name its stack: the launcher signals instead.
      expect(r.code).toBe(BOOT_EXIT.notSignalled);
      expect(r.signals).toEqual([]);
      expect(r.err).toMatch(/failed at settings: env file line 1/);
      return;
    }
    expect(r.code).toBe(BOOT_EXIT.signalledFailure);
    expect(r.signals).toHaveLength(1);
    const [signal] = r.signals;
    expect(signal?.success).toBe(false);
    expect(signal?.uniqueId.startsWith('i-0123456789abcdef0 ') || signal?.uniqueId.startsWith('unknown-instance ')).toBe(true);
    expect(signal?.uniqueId.length).toBeLessThanOrEqual(64);
    expect(r.err).toMatch(reason);
    expect(signal?.at).toBeLessThan(TWO_MINUTES);
  });

  it('never puts a secret in what it logs or signals', async () => {
    const r = await runBoot({ check: () => ({ ok: false, failure: 'wrong-answer', detail: 'socket closed before pong (code 1002)' }) });
    const s = testSecret();
    for (const value of [s.apiKey, s.turnSecret, s.inspectorPassword]) {
      expect(r.err).not.toContain(value);
      expect(JSON.stringify(r.signals)).not.toContain(value);
    }
  });

  it('reports when the signal itself cannot be sent, so the launcher signals', async () => {
    const clock = new FakeClock(0);
    const dir = mkdtempSync(join(tmpdir(), 'boot-'));
    writeFileSync(join(dir, 'node.env'), ENV);
    const ctx: NodeContext = {
      out: { write: () => undefined },
      err: { write: () => undefined },
      clock,
      env: {},
      cloud: () => ({ secret: async () => SECRET, signal: async () => Promise.reject(new Error('connect ETIMEDOUT')) }),
      run: async () => ({ code: 0, stdout: '', stderr: '' }),
    };
    const code = await boot(ctx, { envFile: join(dir, 'node.env'), configDir: join(dir, 'etc'), unitDir: join(dir, 'u'), identity: async () => IDENTITY, check: async () => ({ ok: true, ms: 1 }) });
    expect(code).toBe(BOOT_EXIT.notSignalled);
  });
});
