import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type CheckResult, checkKms } from './check.js';
import { signalId } from './cloud.js';
import type { NodeContext } from './context.js';
import { type NodeFile, nodeFiles, UNITS, unitsToStart } from './config/files.js';
import { kmsImage, kmsUrl } from './config/kurento.js';
import type { InstanceIdentity } from './imds.js';
import { type NodeSettings, nodeSettings, parseEnvFile } from './node-settings.js';
import { parseClusterSecret } from './secret.js';
import { checkRoom } from './room/health.js';
import { ROOM_PATHS } from './room/server.js';
import { CAMERAS_PATHS } from './apps/cameras/web/server.js';

/** Where things are on a node. */
export const NODE_PATHS = { envFile: '/etc/elasticrtc/node.env', configDir: '/etc/elasticrtc', unitDir: '/etc/systemd/system' } as const;

/**
 * Time budgets of a boot, in ms. Each step that can hang has one under two minutes, so whatever fails
 * (an error, or a hang cut at its budget) reaches CloudFormation in under two minutes from that step's
 * start; the whole boot stays well inside the creation policy's 20 minutes.
 */
export const BOOT_BUDGET = {
  /** From starting the units to KMS answering `ping`. */
  kmsReady: 90_000,
  /** Between two readiness checks. */
  retry: 2_000,
  /** One readiness check. */
  check: 5_000,
  /** Pulling the KMS image (a pull that fails, fails at once). */
  pull: 100_000,
  /** One apt-get run, a wait of up to 60 s for an apt lock included. */
  packages: 100_000,
} as const;

/** GStreamer's tools and plugins kvs-relay's pipeline uses (rtspsrc: good; h264parse: bad); kvssink comes later. */
const RELAY_PACKAGES = ['gstreamer1.0-tools', 'gstreamer1.0-plugins-base', 'gstreamer1.0-plugins-good', 'gstreamer1.0-plugins-bad'];

/**
 * What the node installs from Ubuntu's archive before starting its units: an app node what its apps run
 * (the room: nothing; cameras: ffmpeg; kvs-relay: GStreamer), a recorder ffmpeg.
 */
export const requiredPackages = (s: NodeSettings): string[] => s.role === 'app' ? [
  ...(s.apps.includes('cameras') ? ['ffmpeg'] : []),
  ...(s.apps.includes('kvs-relay') ? RELAY_PACKAGES : []),
] : s.role === 'recorder' ? ['ffmpeg'] : [
  ...(s.kmsSource === 'docker' || s.logStorage !== 'none' ? ['docker.io'] : []),
  ...(s.turn ? ['coturn'] : []),
];

export interface BootOptions {
  envFile: string;
  configDir: string;
  unitDir: string;
  budget?: Partial<typeof BOOT_BUDGET>;
  identity: () => Promise<InstanceIdentity>;
  /** Readiness of Kurento (a ws:// URL) or, on an app node, of the room server (its http:// health URL). */
  check?: (url: string, timeoutMs: number) => Promise<CheckResult>;
}

/** One readiness check of a boot: a health URL (or Kurento's ws://), or a unit that must be active. */
type Readiness = { step: string; what: string; url: string } | { step: string; unit: string };

/** A step that failed: `step` names it in the signal. */
class BootFailure extends Error {
  constructor(readonly step: string, message: string) {
    super(message);
  }
}

async function step<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BootFailure) throw error;
    throw new BootFailure(name, error instanceof Error ? error.message : String(error));
  }
}

/** Writes the files `configure` made: configuration under `configDir`, units under `unitDir`. */
export async function writeNodeFiles(files: readonly NodeFile[], configDir: string, unitDir: string): Promise<string[]> {
  const written: string[] = [];
  for (const f of files) {
    const path = join(f.kind === 'unit' ? unitDir : configDir, f.path);
    await mkdir(dirname(path), { recursive: true, mode: 0o755 });
    await writeFile(path, f.content, { mode: f.mode });
    written.push(path);
  }
  return written;
}

/** Exit codes of `boot`: the launcher signals failure itself only when boot could not. */
export const BOOT_EXIT = { signalledSuccess: 0, signalledFailure: 1, notSignalled: 2 } as const;

/**
 * What user data runs on a node: read the settings, the addresses and the secret, write every file,
 * start the units, wait for KMS to answer `ping`, and send exactly one signal to the stack's creation
 * policy: SUCCESS, or FAILURE at once with the failed step in the signal's id.
 */
export async function boot(ctx: NodeContext, o: BootOptions): Promise<number> {
  const budget = { ...BOOT_BUDGET, ...o.budget };
  const check = o.check ?? ((url, ms) => (url.startsWith('http') ? checkRoom(url, ms) : checkKms(url, ms)));
  const log = (line: string) => ctx.err.write(`elasticrtc-node boot: ${line}\n`);
  let settings: NodeSettings | undefined;
  let instanceId = 'unknown-instance';
  let failure: BootFailure | undefined;
  const started = ctx.clock.now();
  try {
    settings = await step('settings', async () => nodeSettings(parseEnvFile(await readFile(o.envFile, 'utf8'))));
    const s = settings;
    const identity = await step('metadata', o.identity);
    instanceId = identity.instanceId;
    log(`instance ${identity.instanceId}, public ${identity.publicIp}, private ${identity.privateIp}`);
    const secret = await step('secret', async () => parseClusterSecret(await ctx.cloud(s.region).secret(s.secretArn)));
    const files = await step('configure', async () => nodeFiles({ settings: s, secret, publicIp: identity.publicIp, privateIp: identity.privateIp, instanceId, nowMs: ctx.clock.now() }));
    await step('configure', () => writeNodeFiles(files, o.configDir, o.unitDir));
    log(`wrote ${files.length} files`);
    await step('packages', async () => {
      const packages = requiredPackages(s);
      if (packages.length === 0) return;
      const apt = ['-q', '-o', 'DPkg::Lock::Timeout=60'];
      const env = { DEBIAN_FRONTEND: 'noninteractive' };
      for (const args of [[...apt, 'update'], [...apt, 'install', '-y', '--no-install-recommends', ...packages]]) {
        const r = await ctx.run('apt-get', args, { timeoutMs: budget.packages, env });
        if (r.code !== 0) throw new Error(`apt-get ${args.slice(3).join(' ')} failed: ${lastLine(r.stderr)}`);
      }
      // The package starts coturn with its own configuration; ours runs as elasticrtc-turn.
      if (packages.includes('coturn')) await ctx.run('systemctl', ['disable', '--now', 'coturn.service'], { timeoutMs: 60_000 });
      log(`installed ${packages.join(', ')}`);
    });
    if (s.kmsSource === 'docker' && s.role === 'media') {
      await step('image', async () => {
        const pull = await ctx.run('docker', ['pull', '--quiet', kmsImage(s)], { timeoutMs: budget.pull });
        if (pull.code !== 0) throw new Error(`docker pull ${kmsImage(s)} failed: ${lastLine(pull.stderr)}`);
      });
    }
    await step('units', async () => {
      const units = unitsToStart(s);
      for (const args of [['daemon-reload'], ['enable', '--now', ...units]]) {
        const r = await ctx.run('systemctl', args, { timeoutMs: 60_000 });
        if (r.code !== 0) throw new Error(`systemctl ${args.join(' ')} failed: ${lastLine(r.stderr)}`);
      }
      log(`started ${units.join(', ')}`);
    });
    // What says the node is ready: Kurento answering ping (a media node), each web app answering its health
    // check (an app node), or a unit being active (a recorder's archive, the relay: no port to ask).
    const ready: Readiness[] = s.role === 'recorder' ? [{ step: 'audio-archive', unit: UNITS.audioArchive }] : s.role === 'app' ? [
      ...(s.apps.includes('room') ? [{ step: 'room', what: 'the room server', url: `http://127.0.0.1:${s.appPort}${ROOM_PATHS.health}` }] : []),
      ...(s.apps.includes('cameras') ? [{ step: 'cameras', what: 'the cameras server', url: `http://127.0.0.1:${s.camerasPort}${CAMERAS_PATHS.health}` }] : []),
      ...(s.apps.includes('kvs-relay') ? [{ step: 'kvs-relay', unit: UNITS.kvsRelay }] : []),
    ] : [{ step: 'kms', what: 'Kurento', url: kmsUrl(s, secret) }];
    for (const r of ready) {
      await step(r.step, async () => {
        const deadline = ctx.clock.now() + budget.kmsReady;
        for (;;) {
          if ('unit' in r) {
            const u = await ctx.run('systemctl', ['is-active', r.unit], { timeoutMs: budget.check });
            if (u.code === 0) return log(`${r.unit} is active`);
            if (ctx.clock.now() + budget.retry >= deadline) throw new Error(`${r.unit} was not active within ${budget.kmsReady / 1000} s: ${u.stdout.trim() || lastLine(u.stderr) || `exit ${u.code}`}`);
          } else {
            const c = await check(r.url, budget.check);
            if (c.ok) return log(`${r.what} answered ${r.step === 'kms' ? 'ping ' : ''}in ${c.ms} ms`);
            if (ctx.clock.now() + budget.retry >= deadline) throw new Error(`${r.what} did not answer within ${budget.kmsReady / 1000} s: ${c.failure}: ${c.detail}`);
          }
          await ctx.clock.sleep(budget.retry);
        }
      });
    }
    if (s.role === 'app' && s.apps.includes('kvs-relay')) {
      // kvssink is built or fetched after the boot, by a unit of its own (minutes on the first app node); the
      // relay retries until it is there. --no-block: the unit runs after user data, which this boot is part of.
      await step('kvs-relay', async () => {
        const r = await ctx.run('systemctl', ['start', '--no-block', UNITS.kvssinkInstall], { timeoutMs: 60_000 });
        if (r.code !== 0) throw new Error(`systemctl start --no-block ${UNITS.kvssinkInstall} failed: ${lastLine(r.stderr)}`);
        log(`queued ${UNITS.kvssinkInstall}`);
      });
    }
  } catch (error) {
    failure = error instanceof BootFailure ? error : new BootFailure('boot', String(error));
    log(`failed at ${failure.step}: ${failure.message}`);
  }
  if (!settings) return BOOT_EXIT.notSignalled; // no stack to signal: the launcher does it
  try {
    const s = settings;
    await ctx.cloud(s.region).signal({
      stack: s.stackId,
      resource: s.signalResource,
      uniqueId: signalId(instanceId, failure ? `${failure.step}: ${failure.message}` : undefined),
      success: failure === undefined,
    });
    log(`signalled ${failure ? 'FAILURE' : 'SUCCESS'} to ${s.signalResource} after ${Math.round((ctx.clock.now() - started) / 1000)} s`);
    return failure ? BOOT_EXIT.signalledFailure : BOOT_EXIT.signalledSuccess;
  } catch (error) {
    log(`could not signal CloudFormation: ${error instanceof Error ? error.message : String(error)}`);
    return BOOT_EXIT.notSignalled;
  }
}

const lastLine = (text: string) => text.trim().split('\n').pop() ?? '';
