/**
 * A node booting for real on the wire, offline: `boot` reads its addresses and role credentials from
 * a fake IMDSv2, the cluster secret from the fake AWS (Secrets Manager, signed with the role's keys),
 * waits for a KMS stand-in to answer ping, and signals the fake CloudFormation. Only the programs a
 * node runs (apt-get, docker, systemctl) are stand-ins. Ends with exactly one signal per boot.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOOT_EXIT, boot } from '../../src/node/boot.js';
import { Imds } from '../../src/node/imds.js';
import { createNodeProcessContext } from '../../src/node/process-context.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { type FakeImds, startFakeImds } from '../support/fake-imds.js';
import { type KmsStandIn, startKmsStandIn } from '../support/kms-stand-in.js';
import { testSecret } from '../support/node-inputs.js';
import { audioArchiveSettings } from '../../src/node/apps/audio-archive/settings.js';
import { parseEnvFile } from '../../src/node/node-settings.js';
import { startRoomServer } from '../../src/node/room/server.js';
import { camerasSettings, parseCameras as parseCamerasFile } from '../../src/node/apps/cameras/settings.js';
import { startCamerasServer } from '../../src/node/apps/cameras/web/server.js';
import { kvsRelaySettings, parseCameras as parseRelayCameras } from '../../src/node/apps/kvs-relay/settings.js';

const secret = testSecret();
let aws: FakeAws;
let imds: FakeImds;
let standIn: KmsStandIn | undefined;
let stackId = '';
let secretArn = '';
const SDK_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_REGION', 'AWS_DEFAULT_REGION'];

beforeAll(async () => {
  aws = await startFakeAws();
  imds = await startFakeImds({ instanceId: 'i-0a1b2c3d4e5f60718', publicIpv4: '203.0.113.10', localIpv4: '10.0.1.10' });
  stackId = aws.addStack({ name: 'demo', status: 'CREATE_IN_PROGRESS', resources: [{ logicalId: 'NodeGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'demo-nodes' }, { logicalId: 'AppGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'demo-app' }, { logicalId: 'RecorderGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'demo-recorders' }] });
  const sm = new SecretsManagerClient({ region: 'eu-west-1', endpoint: aws.url, credentials: { accessKeyId: 'AKIDDEPLOYER', secretAccessKey: 'x' } });
  secretArn = (await sm.send(new CreateSecretCommand({ Name: 'elasticrtc/demo', SecretString: JSON.stringify(secret) }))).ARN ?? '';
  // The node's SDK finds AWS and its role's credentials as on EC2: only the endpoints differ.
  for (const k of SDK_ENV) delete process.env[k];
  process.env.AWS_ENDPOINT_URL = aws.url;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = imds.url;
});

afterAll(async () => {
  await aws.close();
  await imds.close();
});

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function nodeDir(env: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'node-'));
  const lines = { STACK_NAME: 'demo', STACK_ID: stackId, REGION: 'eu-west-1', SIGNAL_RESOURCE: 'NodeGroup', SECRET_ARN: secretArn, KMS_VERSION: '7.3.0', KMS_SOURCE: 'docker', LOG_STORAGE: 'cloudwatch', TURN: 'true', ...env };
  writeFileSync(join(dir, 'node.env'), Object.entries(lines).map(([k, v]) => `${k}=${v}`).join('\n'));
  return dir;
}

/** `boot` in this process, with the real IMDS client, SDK and check; programs recorded instead of run. */
async function bootHere(dir: string, budget = {}) {
  const programs: string[] = [];
  const ctx = { ...createNodeProcessContext(), err: { write: () => undefined }, run: async (c: string, a: readonly string[]) => (programs.push(`${c} ${a.join(' ')}`), { code: 0, stdout: '', stderr: '' }) };
  const metadata = new Imds({ endpoint: imds.url });
  const before = aws.signals('demo').length;
  const code = await boot(ctx, { envFile: join(dir, 'node.env'), configDir: join(dir, 'etc'), unitDir: join(dir, 'units'), identity: () => metadata.identity(), budget });
  return { code, programs, signals: aws.signals('demo').slice(before) };
}

describe('a simulated node boot', () => {
  it('ends in exactly one SUCCESS signal, made with the role credentials from IMDSv2', async () => {
    standIn = await startKmsStandIn({ path: secret.apiKey });
    const dir = nodeDir({ KMS_PORT: String(standIn.port) });
    const r = await bootHere(dir);
    expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
    expect(r.signals).toEqual([expect.objectContaining({ logicalResourceId: 'NodeGroup', uniqueId: 'i-0a1b2c3d4e5f60718', status: 'SUCCESS' })]);
    const role = imds.credentials().accessKeyId;
    const calls = aws.requests.filter((q) => q.action === 'SignalResource' || q.action === 'GetSecretValue');
    expect(calls.map((q) => q.accessKeyId)).toEqual([role, role]);
    expect(readFileSync(join(dir, 'etc', 'kurento', 'modules', 'kurento', 'WebRtcEndpoint.conf.ini'), 'utf8')).toContain('externalIPv4=203.0.113.10');
    expect(readFileSync(join(dir, 'etc', 'kurento', 'modules', 'kurento', 'WebRtcEndpoint.conf.ini'), 'utf8')).toMatch(/@10\.0\.1\.10:3478$/m);
    expect(standIn.requests.some((q) => q.method === 'ping')).toBe(true);
    expect(imds.requests.filter((q) => q.path.startsWith('/latest/meta-data/') && !q.withToken)).toEqual([]);
  });

  it('signals FAILURE once when the secret is missing', async () => {
    standIn = await startKmsStandIn({ path: secret.apiKey });
    const r = await bootHere(nodeDir({ KMS_PORT: String(standIn.port), SECRET_ARN: 'elasticrtc/gone' }));
    expect(r.code).toBe(BOOT_EXIT.signalledFailure);
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', uniqueId: expect.stringMatching(/^i-0a1b2c3d4e5f60718 secret: /) })]);
    expect(r.programs).toEqual([]);
  });

  it('signals FAILURE once when KMS never answers, after the readiness budget', async () => {
    standIn = await startKmsStandIn({ path: secret.apiKey, mode: 'silent' });
    const r = await bootHere(nodeDir({ KMS_PORT: String(standIn.port) }), { kmsReady: 1_500, check: 300, retry: 100 });
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', uniqueId: expect.stringMatching(/kms: Kurento did not answer/) })]);
  });

  it('signals FAILURE once when KMS answers 101 on any path but closes ours (the api key is not its path)', async () => {
    standIn = await startKmsStandIn({ path: 'kurento' });
    const r = await bootHere(nodeDir({ KMS_PORT: String(standIn.port) }), { kmsReady: 1_500, retry: 100 });
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE' })]);
    expect(standIn.requests.every((q) => q.path === secret.apiKey)).toBe(true);
  });

  it('signals FAILURE once when the metadata service fails', async () => {
    standIn = await startKmsStandIn({ path: secret.apiKey });
    imds.failPath('public-ipv4', 500);
    try {
      const r = await bootHere(nodeDir({ KMS_PORT: String(standIn.port) }));
      expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', uniqueId: expect.stringMatching(/^unknown-instance metadata: /) })]);
    } finally {
      imds.clearFailures();
    }
  });

  it('boots an app node: the room server (what its unit starts) answers /app/healthz, one SUCCESS signal', async () => {
    // systemd would start it; here it runs in the test, pointing at a cluster that is not there
    const room = await startRoomServer({ host: '127.0.0.1', port: 0, kurentoUrl: 'ws://127.0.0.1:9/key', kurento: { retryMs: [60_000] } });
    try {
      const r = await bootHere(nodeDir({ ROLE: 'app', SIGNAL_RESOURCE: 'AppGroup', CLUSTER_URL: 'wss://demo.example.com', APP_PORT: String(room.port) }));
      expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
      expect(r.programs).toEqual(['systemctl daemon-reload', 'systemctl enable --now elasticrtc-room.service']);
      expect(r.signals).toEqual([expect.objectContaining({ logicalResourceId: 'AppGroup', uniqueId: 'i-0a1b2c3d4e5f60718', status: 'SUCCESS' })]);
    } finally {
      await room.close();
    }
  });

  it('boots a recorder: the streams from the secret into an env the audio archive reads, one SUCCESS once its service is active', async () => {
    const streams = [{ name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org/live.mp3', segmentSeconds: 60 }];
    const sm = new SecretsManagerClient({ region: 'eu-west-1', endpoint: aws.url, credentials: { accessKeyId: 'AKIDDEPLOYER', secretAccessKey: 'x' } });
    const arn = (await sm.send(new CreateSecretCommand({ Name: 'elasticrtc/demo-recorder', SecretString: JSON.stringify({ ...secret, audioArchiveStreams: streams }) }))).ARN ?? '';
    const dir = nodeDir({ ROLE: 'recorder', SIGNAL_RESOURCE: 'RecorderGroup', SECRET_ARN: arn, BUCKET: 'eu-west-1-demo' });
    const r = await bootHere(dir);
    expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
    expect(r.programs).toEqual([
      'apt-get -q -o DPkg::Lock::Timeout=60 update',
      'apt-get -q -o DPkg::Lock::Timeout=60 install -y --no-install-recommends ffmpeg',
      'systemctl daemon-reload',
      'systemctl enable --now elasticrtc-audio-archive.service',
      'systemctl is-active elasticrtc-audio-archive.service',
    ]);
    expect(r.signals).toEqual([expect.objectContaining({ logicalResourceId: 'RecorderGroup', uniqueId: 'i-0a1b2c3d4e5f60718', status: 'SUCCESS' })]);
    // What the unit starts reads exactly this file.
    const settings = audioArchiveSettings(parseEnvFile(readFileSync(join(dir, 'etc', 'audio-archive.env'), 'utf8')));
    expect(settings).toMatchObject({ cluster: 'demo', region: 'eu-west-1', bucket: 'eu-west-1-demo', streams, nodeId: 'i-0a1b2c3d4e5f60718' });
  });

  it('boots an app node with kvs-relay and cameras: the files the relay and the cameras app read, one SUCCESS once the cameras page answers and the relay is active', async () => {
    const cameras = [{ name: 'lobby', url: 'rtsp://viewer:s3cr%40t@10.0.0.5:554/stream1' }, { name: 'dock', url: 'rtsp://10.0.0.6/stream1' }];
    const sm = new SecretsManagerClient({ region: 'eu-west-1', endpoint: aws.url, credentials: { accessKeyId: 'AKIDDEPLOYER', secretAccessKey: 'x' } });
    const arn = (await sm.send(new CreateSecretCommand({ Name: 'elasticrtc/demo-cameras', SecretString: JSON.stringify({ ...secret, cameras }) }))).ARN ?? '';
    // systemd would start it; here it runs in the test
    const page = await startCamerasServer({ host: '127.0.0.1', port: 0, cameras, hlsDir: mkdtempSync(join(tmpdir(), 'hls-')), log: () => undefined });
    try {
      const dir = nodeDir({ ROLE: 'app', SIGNAL_RESOURCE: 'AppGroup', SECRET_ARN: arn, BUCKET: 'eu-west-1-demo', APPS: 'kvs-relay,cameras', KVS_RELAY_STREAMS: 'lobby=demo-CameraStream1-AB12,dock=demo-CameraStream2-CD34', CAMERAS_PORT: String(page.port) });
      const r = await bootHere(dir);
      expect(r.code).toBe(BOOT_EXIT.signalledSuccess);
      expect(r.programs.slice(2)).toEqual([
        'systemctl daemon-reload',
        'systemctl enable --now elasticrtc-kvs-relay.service elasticrtc-cameras.service',
        'systemctl is-active elasticrtc-kvs-relay.service',
        'systemctl start --no-block elasticrtc-kvssink-install.service',
      ]);
      expect(r.signals).toEqual([expect.objectContaining({ logicalResourceId: 'AppGroup', status: 'SUCCESS' })]);
      // What the units start read exactly these files: the node env and the cameras files.
      const env = parseEnvFile(readFileSync(join(dir, 'node.env'), 'utf8'));
      expect(kvsRelaySettings(env)).toMatchObject({ region: 'eu-west-1', camerasFile: '/etc/elasticrtc/kvs-relay/cameras.json' });
      expect(parseRelayCameras(readFileSync(join(dir, 'etc', 'kvs-relay', 'cameras.json'), 'utf8'), 'cameras.json')).toEqual([
        { ...cameras[0], stream: 'demo-CameraStream1-AB12' },
        { ...cameras[1], stream: 'demo-CameraStream2-CD34' },
      ]);
      expect(camerasSettings(env)).toMatchObject({ region: 'eu-west-1', bucket: 'eu-west-1-demo', camerasFile: '/etc/elasticrtc/cameras/cameras.json', port: page.port });
      expect(parseCamerasFile(readFileSync(join(dir, 'etc', 'cameras', 'cameras.json'), 'utf8'), 'cameras.json')).toEqual(cameras);
    } finally {
      await page.close();
    }
  });

  it('signals FAILURE once when an app node’s room server never answers', async () => {
    const r = await bootHere(nodeDir({ ROLE: 'app', SIGNAL_RESOURCE: 'AppGroup', CLUSTER_URL: 'wss://demo.example.com', APP_PORT: '9' }), { kmsReady: 1_000, check: 300, retry: 100 });
    expect(r.code).toBe(BOOT_EXIT.signalledFailure);
    expect(r.signals).toEqual([expect.objectContaining({ logicalResourceId: 'AppGroup', status: 'FAILURE', uniqueId: expect.stringMatching(/ room: the room server did not answer/) })]);
  });

  it('boots with the built binary and only stand-in programs on PATH', async () => {
    standIn = await startKmsStandIn({ path: secret.apiKey });
    const dir = nodeDir({ KMS_PORT: String(standIn.port) });
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const program of ['apt-get', 'docker', 'systemctl']) {
      writeFileSync(join(bin, program), `#!/bin/sh\necho "${program} $*" >> ${join(dir, 'programs.log')}\n`);
      chmodSync(join(bin, program), 0o755);
    }
    const child = spawn(process.execPath, ['bin/elasticrtc-node.js', 'boot', '--env', join(dir, 'node.env'), '--config-dir', join(dir, 'etc'), '--unit-dir', join(dir, 'units')], {
      env: { PATH: `${bin}:${process.env.PATH ?? ''}`, AWS_ENDPOINT_URL: aws.url, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const before = aws.signals('demo').length;
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('signalled SUCCESS to NodeGroup');
    expect(code).toBe(0);
    expect(aws.signals('demo').slice(before)).toEqual([expect.objectContaining({ status: 'SUCCESS', uniqueId: 'i-0a1b2c3d4e5f60718' })]);
    const programs = readFileSync(join(dir, 'programs.log'), 'utf8');
    expect(programs).toContain('systemctl enable --now elasticrtc-kms.service');
    expect(programs).toContain('docker pull --quiet kurento/kurento-media-server:7.3.0');
    for (const value of [secret.apiKey, secret.turnSecret, secret.inspectorPassword]) expect(stderr).not.toContain(value);
  });
});
