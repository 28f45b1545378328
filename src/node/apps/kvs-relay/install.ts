/**
 * kvssink onto an app node (docs/apps.md, "How kvssink gets onto the node"): already installed →
 * nothing; else the cluster bucket's copy, checked by its SHA-256; else a build from pinned sources,
 * installed here and put in the bucket for the next node. Every step that fails names itself.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { arch as osArch } from 'node:os';
import { dirname, join } from 'node:path';
import type { Clock } from '../../context.js';
import type { KvssinkBucket } from './kvssink-bucket.js';
import { collectLibraries, fileSha256, isFile, KVSSINK_PLUGIN, type KvssinkMarker, moveIntoPlace, readMarker, removeLeftovers, workPrefix, writeMarker } from './kvssink-files.js';
import { pipelineEnv } from './relay.js';
import { describeEnd, type StepRunner } from './step-runner.js';

/**
 * What is built: producer-sdk-cpp at this tag. Its configure step clones producer-c v1.6.2
 * (CMake/Dependencies/libkvscproducer-CMakeLists.txt), which clones PIC v1.3.1 in turn: the tag
 * pins all three.
 */
export const KVSSINK_SOURCE = {
  version: 'v3.6.0',
  repository: 'https://github.com/awslabs/amazon-kinesis-video-streams-producer-sdk-cpp',
  producerC: 'v1.6.2',
  pic: 'v1.3.1',
} as const;

/**
 * Ubuntu 24.04's packages for the build. From producer-sdk-cpp v3.6.0's README and CMake files with
 * BUILD_DEPENDENCIES=OFF: a C/C++ compiler and make, CMake, git (the configure step clones producer-c
 * and PIC; ca-certificates for HTTPS), pkg-config (pkgconf), OpenSSL and libcurl (producer-c),
 * log4cplus (FindLog4cplus.cmake), GStreamer and gstreamer-app-1.0 (from plugins-base). Not m4: the
 * README lists it for the autoconf/automake builds that BUILD_DEPENDENCIES=ON runs.
 */
export const BUILD_PACKAGES = [
  'build-essential', 'cmake', 'git', 'pkgconf', 'ca-certificates',
  'libssl-dev', 'libcurl4-openssl-dev', 'liblog4cplus-dev', 'libgstreamer1.0-dev', 'libgstreamer-plugins-base1.0-dev',
] as const;

/**
 * What kvssink and the relay need at run time on Ubuntu 24.04 (t64 names): gst-launch-1.0 and
 * gst-inspect-1.0, rtspsrc and rtph264depay (good), h264parse (bad), gstreamer-app-1.0 (base), and
 * the libraries the SDK links: log4cplus (not on a stock image), libcurl, OpenSSL; CA certificates
 * for kvssink's HTTPS (it uses the system store unless KVSSINK_CA_CERT_PATH says otherwise).
 */
export const RUNTIME_PACKAGES = [
  'gstreamer1.0-tools', 'gstreamer1.0-plugins-base', 'gstreamer1.0-plugins-good', 'gstreamer1.0-plugins-bad',
  'liblog4cplus-2.0.5t64', 'libcurl4t64', 'libssl3t64', 'ca-certificates',
] as const;

/** The CMake options: the plugin, against Ubuntu's libraries; optimised (the top project sets no build type). */
export const CMAKE_OPTIONS = ['-DBUILD_GSTREAMER_PLUGIN=ON', '-DBUILD_DEPENDENCIES=OFF', '-DCMAKE_BUILD_TYPE=Release'] as const;

/** Each program's time, ms: past it, it is stopped and its step fails (the unit tries again later). */
export const STEP_TIMEOUTS = {
  /** One apt-get run, a wait of up to 5 min for the dpkg lock included (unattended upgrades on a new instance). */
  packages: 15 * 60_000,
  clone: 5 * 60_000,
  /** CMake's configure clones producer-c and PIC. */
  configure: 15 * 60_000,
  compile: 60 * 60_000,
  archive: 5 * 60_000,
  check: 2 * 60_000,
} as const;

/** The bucket key of a platform's copy: `kvssink/v3.6.0/ubuntu-24.04-amd64.tar.gz`. */
export const kvssinkKey = (platform: string): string => `kvssink/${KVSSINK_SOURCE.version}/${platform}.tar.gz`;

/** A step that failed: its name, what happened, and the program's last stderr lines. */
export class KvssinkInstallError extends Error {
  constructor(readonly step: string, message: string, readonly stderrTail: readonly string[] = []) {
    super(`${step}: ${message}`);
  }
}

export interface KvssinkInstallDeps {
  /** KVS_RELAY_PLUGIN_DIR: where libgstkvssink.so and the SDK's libraries go. */
  pluginDir: string;
  bucket: KvssinkBucket;
  runner: StepRunner;
  /** The programs' environment (PATH finds apt-get, git, cmake, make, tar, gst-inspect-1.0). */
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  log(line: string): void;
  /** make's jobs; default: the CPUs. */
  jobs: number;
  /** Default /etc/os-release (the copy's key names the release). */
  osReleaseFile?: string;
  /** Node's name of the CPU architecture; default: this machine's. */
  arch?: string;
  timeouts?: Partial<typeof STEP_TIMEOUTS>;
}

export interface KvssinkInstallResult {
  outcome: 'present' | 'downloaded' | 'built';
  sha256: string;
  key: string;
  /** After a build: whether this node's copy went into the bucket, or another node's was there first. */
  upload?: 'written' | 'taken';
}

/** `ubuntu-24.04-amd64`: the release and architecture the libraries were built on (Debian's architecture names). */
export async function platformOf(osReleaseFile: string, nodeArch: string): Promise<string> {
  const text = await readFile(osReleaseFile, 'utf8');
  const field = (name: string) => new RegExp(`^${name}="?([^"\\n]*)"?$`, 'm').exec(text)?.[1] ?? '';
  const release = `${field('ID')}-${field('VERSION_ID')}`;
  if (!/^[a-z0-9]+-[0-9][a-z0-9.]*$/.test(release)) throw new Error(`${osReleaseFile}: ID and VERSION_ID give ${JSON.stringify(release)}; expected e.g. ubuntu-24.04`);
  const debianArch = ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[nodeArch];
  if (!debianArch) throw new Error(`CPU architecture ${nodeArch}: expected x64 or arm64`);
  return `${release}-${debianArch}`;
}

/** Installs kvssink into `deps.pluginDir` unless it is there already; throws {@link KvssinkInstallError}. */
export async function installKvssink(deps: KvssinkInstallDeps): Promise<KvssinkInstallResult> {
  const { pluginDir, bucket, log } = deps;
  const timeouts = { ...STEP_TIMEOUTS, ...deps.timeouts };
  const marker = await readMarker(pluginDir);
  if (marker?.version === KVSSINK_SOURCE.version && (await isFile(join(pluginDir, KVSSINK_PLUGIN)))) {
    log(`kvssink ${marker.version} is installed in ${pluginDir} (sha256 ${marker.sha256}, from ${marker.source === 'build' ? 'a build' : 'the bucket'}): nothing to do`);
    return { outcome: 'present', sha256: marker.sha256, key: marker.key };
  }

  const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof KvssinkInstallError) throw error;
      throw new KvssinkInstallError(name, error instanceof Error ? error.message : String(error));
    }
  };
  const exec = async (name: string, command: string, args: readonly string[], timeoutMs: number, env: Readonly<Record<string, string | undefined>> = deps.env) => {
    const line = [command, ...args].join(' ');
    log(`${name}: ${line}`);
    const end = await deps.runner.run(command, args, { env, timeoutMs });
    if (end.code !== 0) throw new KvssinkInstallError(name, `${line} ${describeEnd(end, timeoutMs)}`, end.stderrTail);
  };
  const apt = ['-q', '-o', 'DPkg::Lock::Timeout=300'];
  const packages = async (list: readonly string[]) => {
    const env = { ...deps.env, DEBIAN_FRONTEND: 'noninteractive' };
    await exec('packages', 'apt-get', [...apt, 'update'], timeouts.packages, env);
    await exec('packages', 'apt-get', [...apt, 'install', '-y', '--no-install-recommends', ...list], timeouts.packages, env);
  };

  const platform = await step('platform', () => platformOf(deps.osReleaseFile ?? '/etc/os-release', deps.arch ?? osArch()));
  const key = kvssinkKey(platform);
  const parent = dirname(pluginDir);
  const left = await step('prepare', async () => {
    await mkdir(parent, { recursive: true, mode: 0o755 });
    return removeLeftovers(pluginDir);
  });
  if (left.length) log(`removed what an interrupted run left in ${parent}: ${left.join(', ')}`);
  const work = await step('prepare', () => mkdtemp(join(parent, workPrefix(pluginDir))));
  const staged = join(work, 'lib');
  const archive = join(work, 'kvssink.tar.gz');
  try {
    await step('prepare', () => mkdir(staged, { mode: 0o755 }));
    // 1. The bucket's copy, when there is one that matches its SHA-256.
    const copy = await step('download', () => named(bucket.where(key), bucket.download(key, archive)));
    let fromBucket: string | undefined;
    if (!copy) log(`no copy at ${bucket.where(key)}: building kvssink ${KVSSINK_SOURCE.version}`);
    else {
      const actual = await step('verify', () => fileSha256(archive));
      if (copy.sha256 !== actual) log(`refused the copy at ${bucket.where(key)}: its SHA-256 is ${actual}, its metadata says ${copy.sha256 ?? 'nothing'}; building kvssink ${KVSSINK_SOURCE.version} to replace it`);
      else {
        await exec('extract', 'tar', ['-xzf', archive, '-C', staged, '--no-same-owner'], timeouts.archive);
        if (await isFile(join(staged, KVSSINK_PLUGIN))) fromBucket = actual;
        else log(`refused the copy at ${bucket.where(key)}: it holds no ${KVSSINK_PLUGIN}; building kvssink ${KVSSINK_SOURCE.version} to replace it`);
      }
    }

    // 2. Otherwise a build from the pinned sources.
    const source = join(work, 'src');
    const build = join(source, 'build');
    let sha256: string;
    if (fromBucket === undefined) {
      await packages([...BUILD_PACKAGES, ...RUNTIME_PACKAGES.filter((p) => !(BUILD_PACKAGES as readonly string[]).includes(p))]);
      // No terminal prompt for credentials: a clone that needs any fails instead of waiting.
      const buildEnv = { ...deps.env, GIT_TERMINAL_PROMPT: '0', HOME: deps.env.HOME ?? '/root' };
      await exec('clone', 'git', ['clone', '--depth', '1', '--branch', KVSSINK_SOURCE.version, KVSSINK_SOURCE.repository, source], timeouts.clone, buildEnv);
      await exec('configure', 'cmake', ['-S', source, '-B', build, ...CMAKE_OPTIONS], timeouts.configure, buildEnv);
      // The plugin's target alone: the SDK's samples are not needed.
      await exec('compile', 'make', ['-C', build, `-j${Math.max(1, deps.jobs)}`, 'gstkvssink'], timeouts.compile, buildEnv);
      // A refused copy may have been extracted here already.
      await step('collect', async () => {
        for (const name of await readdir(staged)) await rm(join(staged, name), { recursive: true, force: true });
      });
      const names = await step('collect', () => collectLibraries(build, staged));
      log(`collect: ${names.join(', ')}`);
      await exec('archive', 'tar', ['-czf', archive, '--owner=0', '--group=0', '--numeric-owner', '-C', staged, '--', ...names], timeouts.archive);
      sha256 = await step('archive', () => fileSha256(archive));
    } else {
      sha256 = fromBucket;
      await packages(RUNTIME_PACKAGES);
    }

    // 3. Checked where it is (GStreamer loads it as the relay will), then moved into place with its marker.
    const newMarker: KvssinkMarker = { version: KVSSINK_SOURCE.version, sha256, key, source: fromBucket === undefined ? 'build' : 'bucket', installedAt: new Date(deps.clock.now()).toISOString() };
    await exec('check', 'gst-inspect-1.0', ['kvssink'], timeouts.check, pipelineEnv(deps.env, staged));
    await step('install', async () => {
      await writeMarker(staged, newMarker);
      await chmod(staged, 0o755);
      await moveIntoPlace(staged, pluginDir);
    });
    log(`installed kvssink ${KVSSINK_SOURCE.version} into ${pluginDir} (sha256 ${sha256}, from ${newMarker.source === 'bucket' ? bucket.where(key) : 'this node’s build'})`);
    if (newMarker.source === 'bucket') return { outcome: 'downloaded', sha256, key };

    // 4. The build into the bucket for the next node: only where no copy is, or over the refused one.
    const meta = { 'kvssink-version': KVSSINK_SOURCE.version, platform };
    const upload = await step('upload', () => named(bucket.where(key), bucket.upload(key, archive, sha256, meta, copy?.etag)));
    log(upload === 'written' ? `uploaded to ${bucket.where(key)} (sha256 ${sha256})` : `another node put its copy at ${bucket.where(key)} first: it stays`);
    return { outcome: 'built', sha256, key, upload };
  } finally {
    // The sources and the build tree (a few hundred MB) go; the installed libraries and the bucket's copy stay.
    await rm(work, { recursive: true, force: true });
  }
}

/** `work`, its error prefixed with what it was about (an S3 error names neither the bucket nor the key). */
async function named<T>(what: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
