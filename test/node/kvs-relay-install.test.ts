/**
 * kvssink's installer on the real code path: the real AWS SDK against the fake S3, real tar and
 * SHA-256, real files; stand-ins on PATH (test/support/kvssink-build-shims.ts) for apt-get, git,
 * cmake, make and gst-inspect-1.0, which record their arguments and leave what the real ones would.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installKvssink, type KvssinkInstallResult, KvssinkInstallError, platformOf } from '../../src/node/apps/kvs-relay/install.js';
import { kvssinkInstallCommand } from '../../src/node/apps/kvs-relay/install-command.js';
import { sdkKvssinkBucket } from '../../src/node/apps/kvs-relay/kvssink-bucket.js';
import { kvssinkInstallUnitText } from '../../src/node/apps/kvs-relay/kvssink-unit.js';
import { KvsRelaySettingsError } from '../../src/node/apps/kvs-relay/settings.js';
import { childStepRunner } from '../../src/node/apps/kvs-relay/step-runner.js';
import type { NodeContext } from '../../src/node/context.js';
import { startFakeAws, type FakeAws } from '../support/fake-aws/index.js';
import { type BuildShims, buildShims } from '../support/kvssink-build-shims.js';
import { verifyUnitTexts } from '../support/systemd-verify.js';

const BUCKET = 'eu-west-1-demo';
const KEY = 'kvssink/v3.6.0/ubuntu-24.04-amd64.tar.gz';
const KEYS = { AWS_ACCESS_KEY_ID: 'AKIDTEST', AWS_SECRET_ACCESS_KEY: 'x' };
const REPO = 'https://github.com/awslabs/amazon-kinesis-video-streams-producer-sdk-cpp';
const RUNTIME = 'gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad liblog4cplus-2.0.5t64 libcurl4t64 libssl3t64 ca-certificates';
const BUILD = 'build-essential cmake git pkgconf ca-certificates libssl-dev libcurl4-openssl-dev liblog4cplus-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev';
const APT = 'apt-get -q -o DPkg::Lock::Timeout=300';
/** What the build leaves in the plugin directory, the marker aside. */
const LIBRARIES = [
  'libKinesisVideoProducer.so', 'libcproducer.so', 'libcproducer.so.1', 'libcproducer.so.1.6.1', 'libgstkvssink.so',
  'libkvsCommonCurl.so', 'libkvsCommonCurl.so.1', 'libkvsCommonCurl.so.1.6.1', 'libkvspic.so', 'libkvspicClient.so', 'libkvspicState.so', 'libkvspicUtils.so',
];

let root: string;
let fake: FakeAws;
let s3: S3Client;
let time: number;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'kvssink-install-'));
  time = Date.UTC(2026, 4, 4, 9, 0, 0);
  fake = await startFakeAws();
  fake.addBucket({ name: BUCKET });
  s3 = new S3Client({ region: 'eu-west-1', endpoint: fake.url, forcePathStyle: true, credentials: { accessKeyId: KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: KEYS.AWS_SECRET_ACCESS_KEY } });
  writeFileSync(join(root, 'os-release'), 'PRETTY_NAME="Ubuntu 24.04.2 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\n');
});

afterEach(async () => {
  vi.unstubAllEnvs();
  s3.destroy();
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

/** One app node: its own plugin directory, its own stand-ins (and their log), the shared bucket. */
interface TestNode {
  shims: BuildShims;
  pluginDir: string;
  lines: string[];
  install(): Promise<KvssinkInstallResult>;
}

function node(name: string, barrier?: string): TestNode {
  const shims = buildShims(join(root, name, 'bin'), process.env.PATH ?? '', barrier);
  const pluginDir = join(root, name, 'opt', 'kvssink', 'lib');
  const lines: string[] = [];
  return {
    shims,
    pluginDir,
    lines,
    install: () =>
      installKvssink({
        pluginDir,
        bucket: sdkKvssinkBucket(s3, BUCKET),
        runner: childStepRunner(() => {}),
        // The node's keys in the environment: the check must not hand them to GStreamer.
        env: { PATH: shims.path, HOME: join(root, name), ...KEYS },
        clock: { now: () => time, sleep: async () => {} },
        log: (line) => void lines.push(line),
        jobs: 2,
        osReleaseFile: join(root, 'os-release'),
        arch: 'x64',
      }),
  };
}

/** The calls with the random work directory of the run written WORK. */
const calls = (n: TestNode) => n.shims.calls().map((c) => c.replace(/\S*\/\.lib\.work-[A-Za-z0-9]+/g, 'WORK'));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const objects = () => fake.objects(BUCKET);
const puts = () => fake.requests.filter((r) => r.action === 'PutObject');
const marker = (dir: string) => JSON.parse(readFileSync(join(dir, '.elasticrtc-kvssink.json'), 'utf8')) as Record<string, string>;
const contents = (dir: string) => Object.fromEntries(LIBRARIES.map((n) => [n, lstatSync(join(dir, n)).isSymbolicLink() ? `-> ${readlinkSync(join(dir, n))}` : readFileSync(join(dir, n), 'utf8')]));

const BUILD_CALLS = [
  `${APT} update`,
  `${APT} install -y --no-install-recommends ${BUILD} gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad liblog4cplus-2.0.5t64 libcurl4t64 libssl3t64`,
  `git clone --depth 1 --branch v3.6.0 ${REPO} WORK/src`,
  'cmake -S WORK/src -B WORK/src/build -DBUILD_GSTREAMER_PLUGIN=ON -DBUILD_DEPENDENCIES=OFF -DCMAKE_BUILD_TYPE=Release',
  'make -C WORK/src/build -j2 gstkvssink',
  'gst-inspect-1.0 kvssink',
];
const DOWNLOAD_CALLS = [`${APT} update`, `${APT} install -y --no-install-recommends ${RUNTIME}`, 'gst-inspect-1.0 kvssink'];

describe('kvssink-install', () => {
  it('the first node builds the pinned sources, installs the libraries and puts one archive with its SHA-256 in the bucket', async () => {
    const a = node('a');
    const result = await a.install();
    expect(calls(a)).toEqual(BUILD_CALLS);
    expect(a.lines).toContain(`no copy at s3://${BUCKET}/${KEY}: building kvssink v3.6.0`);

    // Installed: every shared library, flat, version links kept as links; nothing else of the build.
    expect(readdirSync(a.pluginDir).sort()).toEqual(['.elasticrtc-kvssink.json', ...LIBRARIES].sort());
    expect(readlinkSync(join(a.pluginDir, 'libcproducer.so.1'))).toBe('libcproducer.so.1.6.1');
    expect(readlinkSync(join(a.pluginDir, 'libcproducer.so'))).toBe('libcproducer.so.1');
    expect(lstatSync(join(a.pluginDir, 'libkvspicUtils.so')).isFile()).toBe(true);
    expect(lstatSync(a.pluginDir).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(root, 'a', 'opt', 'kvssink'))).toEqual(['lib']); // no work directory left

    // The bucket: one object, its metadata the SHA-256 of its bytes, a tar of exactly those libraries.
    expect(objects().map((o) => o.key)).toEqual([KEY]);
    const [object] = objects();
    expect(object?.metadata).toEqual({ sha256: sha256(object!.body), 'kvssink-version': 'v3.6.0', platform: 'ubuntu-24.04-amd64' });
    expect(puts()).toHaveLength(1);
    writeFileSync(join(root, 'copy.tar.gz'), object!.body);
    const listed = spawnSync('tar', ['-tzvf', join(root, 'copy.tar.gz')], { encoding: 'utf8' });
    expect(listed.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(5).join(' ')).sort()).toEqual([
      ...LIBRARIES.map((n) => (n === 'libcproducer.so' ? 'libcproducer.so -> libcproducer.so.1' : n === 'libcproducer.so.1' ? 'libcproducer.so.1 -> libcproducer.so.1.6.1' : n === 'libkvsCommonCurl.so' ? 'libkvsCommonCurl.so -> libkvsCommonCurl.so.1' : n === 'libkvsCommonCurl.so.1' ? 'libkvsCommonCurl.so.1 -> libkvsCommonCurl.so.1.6.1' : n)),
    ].sort());
    expect(listed.stdout).toMatch(/^\S+ 0\/0 /m); // owned by root, whoever built it

    expect(result).toEqual({ outcome: 'built', sha256: sha256(object!.body), key: KEY, upload: 'written' });
    expect(marker(a.pluginDir)).toEqual({ version: 'v3.6.0', sha256: sha256(object!.body), key: KEY, source: 'build', installedAt: '2026-05-04T09:00:00.000Z' });
  });

  it('a later node downloads the copy, checks its SHA-256 and installs it without building', async () => {
    const a = node('a');
    await a.install();
    const b = node('b');
    const result = await b.install();
    expect(calls(b)).toEqual(DOWNLOAD_CALLS);
    expect(result).toEqual({ outcome: 'downloaded', sha256: sha256(objects()[0]!.body), key: KEY });
    expect(contents(b.pluginDir)).toEqual(contents(a.pluginDir));
    expect(marker(b.pluginDir)).toMatchObject({ sha256: marker(a.pluginDir).sha256, source: 'bucket' });
    expect(puts()).toHaveLength(1);
    expect(b.lines).toContain(`installed kvssink v3.6.0 into ${b.pluginDir} (sha256 ${result.sha256}, from s3://${BUCKET}/${KEY})`);
  });

  it('refuses a copy whose bytes do not match its SHA-256, builds, replaces it; the next node takes the new one', async () => {
    const a = node('a');
    await a.install();
    const good = objects()[0]!;
    const corrupt = Buffer.from(good.body);
    corrupt[corrupt.length - 10]! ^= 0xff;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: corrupt, Metadata: good.metadata }));

    const b = node('b');
    const result = await b.install();
    expect(b.lines).toContain(`refused the copy at s3://${BUCKET}/${KEY}: its SHA-256 is ${sha256(corrupt)}, its metadata says ${good.metadata.sha256}; building kvssink v3.6.0 to replace it`);
    expect(calls(b)).toEqual(BUILD_CALLS);
    expect(result).toMatchObject({ outcome: 'built', upload: 'written' });
    const replaced = objects()[0]!;
    expect(objects()).toHaveLength(1);
    expect(sha256(replaced.body)).toBe(replaced.metadata.sha256);
    expect(replaced.metadata.sha256).toBe(result.sha256);
    expect(replaced.metadata.sha256).not.toBe(good.metadata.sha256); // this build's own archive

    const c = node('c');
    expect(await c.install()).toMatchObject({ outcome: 'downloaded', sha256: result.sha256 });
    expect(calls(c)).toEqual(DOWNLOAD_CALLS);
  });

  it('refuses a copy with no SHA-256 in its metadata', async () => {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: Buffer.from('not what a build uploads') }));
    const a = node('a');
    expect(await a.install()).toMatchObject({ outcome: 'built', upload: 'written' });
    expect(a.lines.some((l) => l.includes('its metadata says nothing'))).toBe(true);
  });

  it('does nothing where kvssink is installed: no program, no request', async () => {
    const a = node('a');
    const first = await a.install();
    const before = contents(a.pluginDir);
    a.shims.clearCalls();
    fake.resetRequests();
    expect(await a.install()).toEqual({ outcome: 'present', sha256: first.sha256, key: KEY });
    expect(a.shims.calls()).toEqual([]);
    expect(fake.requests).toEqual([]);
    expect(contents(a.pluginDir)).toEqual(before);
    expect(a.lines.at(-1)).toBe(`kvssink v3.6.0 is installed in ${a.pluginDir} (sha256 ${first.sha256}, from a build): nothing to do`);
  });

  it('installs again over a directory of another version or without the plugin, and over what an interrupted run left', async () => {
    const a = node('a');
    await a.install();
    const b = node('b');
    mkdirSync(b.pluginDir, { recursive: true });
    writeFileSync(join(b.pluginDir, '.elasticrtc-kvssink.json'), JSON.stringify({ version: 'v3.5.0', sha256: 'x' }));
    writeFileSync(join(b.pluginDir, 'libgstkvssink.so'), 'old');
    mkdirSync(join(b.pluginDir, '..', '.lib.work-stale', 'src'), { recursive: true });
    expect(await b.install()).toMatchObject({ outcome: 'downloaded' });
    expect(contents(b.pluginDir)).toEqual(contents(a.pluginDir));
    expect(readdirSync(join(b.pluginDir, '..'))).toEqual(['lib']);
    expect(b.lines).toContain(`removed what an interrupted run left in ${join(root, 'b', 'opt', 'kvssink')}: .lib.work-stale`);

    rmSync(join(b.pluginDir, 'libgstkvssink.so'));
    b.shims.clearCalls();
    expect(await b.install()).toMatchObject({ outcome: 'downloaded' });
    expect(calls(b)).toEqual(DOWNLOAD_CALLS);
  });

  it.each([
    ['packages', 'apt-get', `${APT} update exited 2`],
    ['clone', 'git', `git clone --depth 1 --branch v3.6.0 ${REPO} WORK/src exited 2`],
    ['configure', 'cmake', 'cmake -S WORK/src -B WORK/src/build -DBUILD_GSTREAMER_PLUGIN=ON -DBUILD_DEPENDENCIES=OFF -DCMAKE_BUILD_TYPE=Release exited 2'],
    ['compile', 'make', 'make -C WORK/src/build -j2 gstkvssink exited 2'],
    ['check', 'gst-inspect-1.0', 'gst-inspect-1.0 kvssink exited 2'],
  ] as const)('a failing %s step (%s) fails naming it, with the last stderr lines; nothing installed or uploaded', async (step, program, message) => {
    const a = node('a');
    a.shims.fail(program);
    const error = await a.install().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(KvssinkInstallError);
    const failure = error as KvssinkInstallError;
    expect(failure.step).toBe(step);
    expect(failure.message.replace(/\S*\/\.lib\.work-[A-Za-z0-9]+/g, 'WORK')).toBe(`${step}: ${message}`);
    expect(failure.stderrTail).toEqual(Array.from({ length: 20 }, (_, i) => `${program}: line ${i + 11} of its errors`));
    expect(calls(a).at(-1)?.startsWith(program)).toBe(true); // nothing ran after it
    expect(readdirSync(join(root, 'a', 'opt', 'kvssink'))).toEqual([]);
    expect(objects()).toEqual([]);
  });

  it('concurrent builders leave one object; the second keeps its own build', async () => {
    const barrier = join(root, 'barrier');
    mkdirSync(barrier);
    const [a, b] = [node('a', barrier), node('b', barrier)];
    // Both find no copy and build at the same time (make waits for the other); both then upload.
    const results = await Promise.all([a.install(), b.install()]);
    expect(calls(a)).toEqual(BUILD_CALLS);
    expect(calls(b)).toEqual(BUILD_CALLS);
    expect(results.map((r) => r.upload).sort()).toEqual(['taken', 'written']);
    expect(puts().map((r) => r.status).sort()).toEqual([200, 412]);
    expect(objects().map((o) => o.key)).toEqual([KEY]);
    const winner = results.find((r) => r.upload === 'written')!;
    expect(objects()[0]!.metadata.sha256).toBe(winner.sha256);
    expect(sha256(objects()[0]!.body)).toBe(winner.sha256);
    for (const n of [a, b]) expect(readdirSync(n.pluginDir)).toContain('libgstkvssink.so');
    const loser = [a, b].find((n) => marker(n.pluginDir).sha256 !== winner.sha256)!;
    expect(loser.lines).toContain(`another node put its copy at s3://${BUCKET}/${KEY} first: it stays`);
  });

  it('an upload the role may not make fails the run after the install: the next run finds kvssink and builds nothing', async () => {
    fake.faults.denyAccess('PutObject');
    const a = node('a');
    const error = (await a.install().then(() => undefined, (e: unknown) => e)) as KvssinkInstallError;
    expect(error).toBeInstanceOf(KvssinkInstallError);
    expect(error.step).toBe('upload');
    expect(error.message).toBe(`upload: s3://${BUCKET}/${KEY}: User: arn:aws:iam::123456789012:user/tester is not authorized to perform: s3:PutObject because no identity-based policy allows the s3:PutObject action`);
    expect(readdirSync(a.pluginDir)).toContain('libgstkvssink.so');
    expect(objects()).toEqual([]);
    a.shims.clearCalls();
    expect(await a.install()).toMatchObject({ outcome: 'present' });
    expect(a.shims.calls()).toEqual([]);
  });
});

describe('elasticrtc-node kvssink-install (the command)', () => {
  function context(shims: BuildShims): { ctx: NodeContext; err: string[] } {
    const err: string[] = [];
    const ctx: NodeContext = {
      out: { write: () => {} },
      err: { write: (t) => void err.push(t) },
      clock: { now: () => time, sleep: async () => {} },
      env: { PATH: shims.path, HOME: root, AWS_ENDPOINT_URL: fake.url },
      run: () => Promise.reject(new Error('no program runs through ctx.run here')),
      cloud: () => {
        throw new Error('no NodeCloud here');
      },
    };
    return { ctx, err };
  }
  const kit = (envFile: string) => ({ usage: (m: string) => new Error(m), readText: (_flag: string, path: string) => Promise.resolve(readFileSync(path, 'utf8')), envFile });

  beforeEach(() => {
    vi.stubEnv('AWS_ENDPOINT_URL', fake.url);
    for (const [k, v] of Object.entries(KEYS)) vi.stubEnv(k, v);
  });

  it('installs from the env file’s bucket into KVS_RELAY_PLUGIN_DIR; a failed step exits 1 with the step and its stderr', async () => {
    const shims = buildShims(join(root, 'bin'), process.env.PATH ?? '');
    const pluginDir = join(root, 'opt', 'kvssink', 'lib');
    writeFileSync(join(root, 'node.env'), `REGION=eu-west-1\nBUCKET=${BUCKET}\nKVS_RELAY_PLUGIN_DIR=${pluginDir}\n`);
    shims.fail('make');
    const failed = context(shims);
    expect(await kvssinkInstallCommand(failed.ctx, ['--env', join(root, 'node.env')], kit('/nonexistent'))).toBe(1);
    const text = failed.err.join('');
    expect(text).toMatch(new RegExp(`elasticrtc-node kvssink-install: failed at compile: make -C \\S+/src/build -j${availableParallelism()} gstkvssink exited 2\n`));
    expect(text).toContain('elasticrtc-node kvssink-install: its last lines on stderr:\n  | make: line 11 of its errors\n');
    expect(text).toContain('  | make: line 30 of its errors\n');

    rmSync(join(shims.dir, 'fail-make'));
    const ok = context(shims);
    expect(await kvssinkInstallCommand(ok.ctx, [], kit(join(root, 'node.env')))).toBe(0);
    const key = `kvssink/v3.6.0/${await platformOf('/etc/os-release', process.arch)}.tar.gz`;
    expect(ok.err.join('')).toContain(`elasticrtc-node kvssink-install: uploaded to s3://${BUCKET}/${key}`);
    expect(readdirSync(pluginDir)).toContain('libgstkvssink.so');
    expect(objects().map((o) => o.key)).toEqual([key]);
  });

  it('names a missing BUCKET; an empty KVS_RELAY_PLUGIN_DIR installs nothing', async () => {
    const shims = buildShims(join(root, 'bin'), process.env.PATH ?? '');
    writeFileSync(join(root, 'node.env'), 'REGION=eu-west-1\n');
    await expect(kvssinkInstallCommand(context(shims).ctx, ['--env', join(root, 'node.env')], kit('/x'))).rejects.toThrow(new KvsRelaySettingsError("BUCKET=: expected the cluster bucket's name"));
    writeFileSync(join(root, 'node.env'), 'REGION=eu-west-1\nBUCKET=Bad_Bucket\n');
    await expect(kvssinkInstallCommand(context(shims).ctx, ['--env', join(root, 'node.env')], kit('/x'))).rejects.toThrow(/^BUCKET=Bad_Bucket: has uppercase letters/);
    writeFileSync(join(root, 'node.env'), `REGION=eu-west-1\nBUCKET=${BUCKET}\nKVS_RELAY_PLUGIN_DIR=\n`);
    const { ctx, err } = context(shims);
    expect(await kvssinkInstallCommand(ctx, ['--env', join(root, 'node.env')], kit('/x'))).toBe(0);
    expect(err.join('')).toContain("KVS_RELAY_PLUGIN_DIR is empty: the relay takes kvssink from GStreamer's own plugin path; nothing to install");
    expect(shims.calls()).toEqual([]);
  });
});

describe('elasticrtc-kvssink-install.service', () => {
  const unit = kvssinkInstallUnitText();

  it('is a oneshot restarted a minute after a failure, without end, after user data, not holding up boot', () => {
    expect(unit).toMatch(/^Type=oneshot$/m);
    expect(unit).toMatch(/^RemainAfterExit=yes$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartSec=60$/m);
    expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
    expect(unit).toMatch(/^After=sysinit\.target basic\.target network-online\.target cloud-final\.service$/m);
    expect(unit).toMatch(/^DefaultDependencies=no$/m);
    expect(unit).toMatch(/^ExecStart=\/opt\/elasticrtc\/bin\/node \/opt\/elasticrtc\/elasticrtc-node\.cjs kvssink-install$/m);
    expect(unit).toMatch(/^WantedBy=multi-user\.target$/m);
    expect(kvssinkInstallUnitText('/etc/elasticrtc/node.env')).toMatch(/ kvssink-install --env \/etc\/elasticrtc\/node\.env$/m);
  });

  it('is accepted by systemd', () => {
    const verdict = verifyUnitTexts({ 'elasticrtc-kvssink-install.service': unit });
    expect(verdict.output).toBe('');
    expect(verdict.status).toBe(0);
  });

  it('enabled beside Ubuntu 24.04’s cloud-final.service (ordered after multi-user.target), makes no ordering cycle at boot', () => {
    const cloudFinal = '[Unit]\nDescription=cloud-final as on Ubuntu 24.04\nAfter=network-online.target multi-user.target\n\n[Service]\nType=oneshot\nExecStart=/bin/true\nRemainAfterExit=yes\n';
    const boot = (text: string) =>
      verifyUnitTexts({ 'elasticrtc-kvssink-install.service': text, 'cloud-final.service': cloudFinal }, { wants: { 'multi-user.target': ['elasticrtc-kvssink-install.service', 'cloud-final.service'] }, verify: ['multi-user.target'] });
    expect(boot(unit)).toEqual({ status: 0, output: '' });
    // Why DefaultDependencies=no: with the defaults, multi-user.target would wait for the install, which waits for cloud-final.
    // (Where systemd starts reporting the cycle, and which job it drops, varies from run to run.)
    const withDefaults = boot(unit.replace('DefaultDependencies=no\n', '')).output;
    expect(withDefaults).toContain('Found ordering cycle on');
    expect(withDefaults).toMatch(/Found dependency on elasticrtc-kvssink-install\.service\/start|Found ordering cycle on elasticrtc-kvssink-install\.service\/start/);
  });
});
