import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeContext } from '../../src/node/context.js';
import { main } from '../../src/node/main.js';
import { kvsRelayCommand } from '../../src/node/apps/kvs-relay/command.js';
import { parseKvsCredentials } from '../../src/node/apps/kvs-relay/credential-file.js';
import type { KvsRelay, KvsRelayStatus } from '../../src/node/apps/kvs-relay/relay.js';
import { type FakeImds, startFakeImds } from '../support/fake-imds.js';

let imds: FakeImds | undefined;
let relay: KvsRelay | undefined;
afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  await imds?.close();
  imds = undefined;
});

function context(env: Record<string, string>) {
  const err: string[] = [];
  const ctx: NodeContext = {
    out: { write: () => undefined },
    err: { write: (t) => void err.push(t) },
    clock: {
      now: () => Date.now(),
      sleep: (ms, signal) => new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      }),
    },
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    run: async () => ({ code: 0, stdout: '', stderr: '' }),
    cloud: () => { throw new Error('no AWS here'); },
  };
  return { ctx, err };
}

function files(cameras: unknown, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cmd-'));
  const camerasFile = join(dir, 'cameras.json');
  writeFileSync(camerasFile, JSON.stringify(cameras), { mode: 0o600 });
  const env = { REGION: 'eu-west-1', KVS_RELAY_CAMERAS_FILE: camerasFile, KVS_RELAY_CREDENTIAL_FILE: join(dir, 'run', 'credentials'), KVS_RELAY_STATUS_FILE: join(dir, 'run', 'status.json'), KVS_RELAY_PLUGIN_DIR: dir, ...extra };
  const envFile = join(dir, 'node.env');
  writeFileSync(envFile, `${Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  return { dir, envFile, camerasFile, env };
}

const usage = (m: string) => new Error(m);
const readText = async (_flag: string, path: string) => readFileSync(path, 'utf8');

describe('elasticrtc-node kvs-relay', () => {
  it('writes the credentials from IMDS, runs kvssink per camera, and reports a node without kvssink in its status', async () => {
    imds = await startFakeImds();
    const { envFile, env } = files({ cameras: [{ name: 'lobby', url: 'rtsp://viewer:s3cret!@127.0.0.1:9/cam', stream: 'demo-lobby' }] });
    const { ctx, err } = context({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
    const started = new Promise<KvsRelay>((resolve) => {
      void kvsRelayCommand(ctx, ['--env', envFile], { usage, readText, envFile: '/nonexistent', started: resolve });
    });
    relay = await started;
    const status = async (): Promise<KvsRelayStatus> => {
      for (let i = 0; i < 200; i++) {
        await relay!.flushed();
        const s = JSON.parse(readFileSync(env.KVS_RELAY_STATUS_FILE, 'utf8')) as KvsRelayStatus;
        if (s.cameras[0]?.state === 'retrying') return s;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('the camera never failed');
    };
    const s = await status();
    expect(s.credentials).toMatchObject({ state: 'fresh', writes: 1 });
    expect(s.cameras[0]).toMatchObject({ name: 'lobby', stream: 'demo-lobby', url: 'rtsp://viewer:****@127.0.0.1:9/cam', attempt: 1, lastError: 'erroneous pipeline: no element "kvssink"' });
    expect(parseKvsCredentials(readFileSync(env.KVS_RELAY_CREDENTIAL_FILE, 'utf8'))?.accessKeyId).toBe(imds.credentials().accessKeyId);
    expect(statSync(env.KVS_RELAY_CREDENTIAL_FILE).mode & 0o777).toBe(0o600);
    const log = err.join('');
    expect(log).toContain('elasticrtc-node kvs-relay: 1 camera(s): lobby → demo-lobby; region eu-west-1');
    expect(log).toContain('lobby: pipeline ended (erroneous pipeline: no element "kvssink"); attempt 1, starting again in 1 s');
    for (const secret of ['s3cret', imds.credentials().secretAccessKey, imds.credentials().token]) expect(log + JSON.stringify(s)).not.toContain(secret);
  });

  it('warns when others can read the cameras file (it holds camera passwords)', async () => {
    imds = await startFakeImds();
    const { envFile, camerasFile } = files({ cameras: [{ name: 'lobby', url: 'rtsp://127.0.0.1:9/cam', stream: 'demo-lobby' }] });
    chmodSync(camerasFile, 0o644);
    const { ctx, err } = context({ AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url });
    relay = await new Promise<KvsRelay>((resolve) => void kvsRelayCommand(ctx, ['--env', envFile], { usage, readText, envFile: '/nonexistent', started: resolve }));
    expect(err.join('')).toContain(`${camerasFile} is readable by others: it holds camera passwords, make it 0600`);
  });

  it('names the setting it cannot use, through main: exit 1; a bad flag: exit 2', async () => {
    const { envFile, dir } = files({ cameras: [] });
    const { ctx, err } = context({});
    expect(await main(['kvs-relay', '--env', envFile], ctx)).toBe(1);
    expect(err.join('')).toContain(`elasticrtc-node kvs-relay: ${join(dir, 'cameras.json')}: expected {"cameras": [{"name", "url", "stream"}, …]} with at least one camera`);
    const missing = files({ cameras: [] }, { KVS_RELAY_CAMERAS_FILE: '/nonexistent/cameras.json' });
    expect(await main(['kvs-relay', '--env', missing.envFile], ctx)).toBe(1);
    expect(err.join('')).toContain('elasticrtc-node kvs-relay: KVS_RELAY_CAMERAS_FILE=/nonexistent/cameras.json: cannot read it (ENOENT)');
    expect(await main(['kvs-relay', '--cameras', 'x'], ctx)).toBe(2);
  });
});
