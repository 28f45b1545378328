import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { BOOT_EXIT, NODE_PATHS, boot, writeNodeFiles } from './boot.js';
import { describeCheck, checkKms } from './check.js';
import type { NodeContext } from './context.js';
import { nodeFiles } from './config/files.js';
import { Imds } from './imds.js';
import { NodeSettingsError, nodeSettings, parseEnvFile } from './node-settings.js';
import { SecretError, parseClusterSecret } from './secret.js';
import { renewTurn } from './turn-renewal.js';
import { NODE_PORTS, groupNodes, staticNodes } from './controller/discovery.js';
import { runKeeper } from './controller/keeper.js';
import { startController } from './controller/server.js';
import { Agent } from './agent/agent.js';
import { sdkAgentCloud } from './agent/cloud.js';
import { kmsUrl } from './config/kurento.js';
import { roomCommand } from './room/command.js';
import { audioArchiveCommand } from './apps/audio-archive/command.js';
import { kvsRelayCommand } from './apps/kvs-relay/command.js';
import { kvssinkInstallCommand } from './apps/kvs-relay/install-command.js';
import { camerasCommand } from './apps/cameras/command.js';

declare const __ELASTICRTC_VERSION__: string;

const HELP = `elasticrtc-node: the software of an elasticrtc cluster node (docs/node.md)

Usage:
  elasticrtc-node configure --out DIR [--env FILE] [--secret-file FILE] [--public-ip IP] [--private-ip IP] [--instance-id ID]
      Writes every file a node runs with into DIR (units into DIR/systemd). Settings from the env file
      (else create's defaults), the secret from the file (else Secrets Manager, SECRET_ARN), addresses
      from the flags (else instance metadata), the instance id (names log streams) from the flag, else
      metadata, else "local".
  elasticrtc-node check --kms URL
      Exit 0 when Kurento answers a JSON-RPC ping with pong within 5 s; else exit 1 naming what failed.
  elasticrtc-node boot [--env FILE]
      What a node's user data runs: configure, install and start the units, wait for Kurento, and signal
      CloudFormation once (SUCCESS, or FAILURE with the failed step).
  elasticrtc-node renew-turn [--env FILE]
      Renews the TURN credential Kurento was started with, when it nears its end and Kurento is idle
      (restarts Kurento); run hourly by elasticrtc-turn-renew.timer.

  elasticrtc-node controller [--listen HOST:PORT] [--nodes URL,...] [--agents URL,...] [--agent URL] [--secret-file FILE] [--env FILE]
      The cluster's one URL, ws://HOST:PORT/<api-key>: Kurento JSON-RPC for many Kurento servers.
      Nodes from --nodes (Kurento URLs; --agents: their agents' status URLs), else the cluster's
      autoscaling group. --agent: this node's agent (draining closes client sockets with 1001).
      The inspector at http://HOST:PORT/inspector: log in with the secret's inspectorUser and
      inspectorPassword (docs/inspector.md).

  elasticrtc-node agent [--listen HOST:PORT] [--env FILE] [--secret-file FILE] [--once]
      The node's status for the controllers (GET /status), its load as ElasticRTC/Load every 60 s
      (--once: one data point, then exit), and its drain when the group terminates it.

  elasticrtc-node room [--listen HOST:PORT] [--kurento URL] [--env FILE] [--secret-file FILE]
      The ROOM demo (Kurento's group call) at http://HOST:PORT/app/ (default 0.0.0.0:8080), its
      WebSocket at /app/ws, GET /app/healthz. --kurento: the cluster URL ws[s]://host/<api-key>;
      else CLUSTER_URL of the env file with the api key of the cluster secret (docs/apps.md).

  elasticrtc-node kvs-relay [--env FILE]
      RTSP cameras into Kinesis Video streams (docs/apps.md): one supervised gst-launch-1.0 … ! kvssink
      per camera of KVS_RELAY_CAMERAS_FILE, credentials from IMDSv2 kept fresh in kvssink's
      credential file; status in KVS_RELAY_STATUS_FILE.

  elasticrtc-node kvssink-install [--env FILE]
      Puts kvssink into KVS_RELAY_PLUGIN_DIR: the cluster bucket's build (kvssink/, checked by its
      SHA-256), else a build from pinned sources, then kept in the bucket for the next app node.

  elasticrtc-node cameras [--env FILE] [--daily-once]
      The cameras app (docs/apps.md): per camera of CAMERAS_FILE, live HLS and 10-minute segments
      archived to the bucket's cameras/, a daily MP4 per camera, and the page at /app/cameras with its
      live view through the cluster. --daily-once: one daily pass per camera, a JSON line each, then exit.

  elasticrtc-node audio-archive [--env FILE] [--node-id ID] [--reconcile-once]
      Records the live audio streams of AUDIO_ARCHIVE_STREAMS with ffmpeg (segments at the clock's
      slots), uploads finished ones to the bucket's staging/, and keeps one copy per slot in final/
      (docs/apps.md). --reconcile-once: one reconciler pass per stream, a JSON line each, then exit.

Options:
  -h, --help       this help
  -V, --version    the runtime's version
`;

/** A usage problem: exit 2 with the message. */
class UsageProblem extends Error {}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

function ipFlag(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && !IPV4.test(value)) throw new UsageProblem(`--${flag} ${value}: expected an IPv4 address such as 203.0.113.10`);
  return value;
}

async function readText(flag: string, path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageProblem(`--${flag} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

const maskKey = (url: string) => url.replace(/^([a-z]+:\/\/[^/]+\/).+$/i, '$1****');

async function configure(ctx: NodeContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { out: { type: 'string' }, env: { type: 'string' }, 'secret-file': { type: 'string' }, 'public-ip': { type: 'string' }, 'private-ip': { type: 'string' }, 'instance-id': { type: 'string' } },
  });
  if (values.out === undefined) throw new UsageProblem('--out is missing: give the directory to write the files into');
  const publicIp = ipFlag('public-ip', values['public-ip']);
  const privateIp = ipFlag('private-ip', values['private-ip']);
  const settings = nodeSettings(values.env !== undefined ? parseEnvFile(await readText('env', values.env)) : {});
  if (values['secret-file'] === undefined && settings.secretArn === '') throw new UsageProblem('--secret-file is missing, and no SECRET_ARN in --env names the cluster secret to read');
  const secretText = values['secret-file'] !== undefined ? await readText('secret-file', values['secret-file']) : await ctx.cloud(settings.region).secret(settings.secretArn);
  const secret = parseClusterSecret(secretText);
  // Offline, with both addresses given, nothing asks the metadata service: the instance id is then `local`.
  const needsMetadata = publicIp === undefined || privateIp === undefined;
  const identity = needsMetadata ? await new Imds({ ...(ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ? { endpoint: ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT } : {}) }).identity() : undefined;
  const files = nodeFiles({
    settings,
    secret,
    publicIp: publicIp ?? identity?.publicIp ?? '',
    privateIp: privateIp ?? identity?.privateIp ?? '',
    instanceId: values['instance-id'] ?? identity?.instanceId ?? 'local',
    nowMs: ctx.clock.now(),
  });
  const written = await writeNodeFiles(files, values.out, `${values.out}/systemd`);
  ctx.out.write(`${written.join('\n')}\n`);
  return 0;
}

async function check(ctx: NodeContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { kms: { type: 'string' } } });
  if (values.kms === undefined) throw new UsageProblem('--kms is missing: give Kurento\'s JSON-RPC URL, e.g. ws://127.0.0.1:8888/<api-key>');
  if (!/^wss?:\/\/[^/]+/.test(values.kms)) throw new UsageProblem(`--kms ${maskKey(values.kms)}: expected a ws:// or wss:// URL`);
  const result = await checkKms(values.kms);
  (result.ok ? ctx.out : ctx.err).write(`${describeCheck(maskKey(values.kms), result)}\n`);
  return result.ok ? 0 : 1;
}

async function bootCommand(ctx: NodeContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { env: { type: 'string' }, 'config-dir': { type: 'string' }, 'unit-dir': { type: 'string' } } });
  const imds = new Imds({ ...(ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ? { endpoint: ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT } : {}), sleep: (ms) => ctx.clock.sleep(ms) });
  return boot(ctx, {
    envFile: values.env ?? NODE_PATHS.envFile,
    configDir: values['config-dir'] ?? NODE_PATHS.configDir,
    unitDir: values['unit-dir'] ?? NODE_PATHS.unitDir,
    identity: () => imds.identity(),
  });
}

async function renewTurnCommand(ctx: NodeContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { env: { type: 'string' }, 'config-dir': { type: 'string' }, 'unit-dir': { type: 'string' } } });
  const imds = new Imds({ ...(ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ? { endpoint: ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT } : {}) });
  const outcome = await renewTurn(ctx, {
    envFile: values.env ?? NODE_PATHS.envFile,
    configDir: values['config-dir'] ?? NODE_PATHS.configDir,
    unitDir: values['unit-dir'] ?? NODE_PATHS.unitDir,
    identity: () => imds.identity(),
  });
  ctx.out.write(`${outcome}\n`);
  return 0;
}

const LISTEN = /^(.+):(\d{1,5})$/;

async function controllerCommand(ctx: NodeContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { listen: { type: 'string' }, nodes: { type: 'string' }, agents: { type: 'string' }, 'secret-file': { type: 'string' }, env: { type: 'string' }, agent: { type: 'string' } },
  });
  const listen = LISTEN.exec(values.listen ?? `0.0.0.0:${NODE_PORTS.controller}`);
  if (!listen?.[1] || Number(listen[2]) > 65535) throw new UsageProblem(`--listen ${values.listen ?? ''}: expected HOST:PORT, e.g. 127.0.0.1:8888`);
  const onNode = values.env === undefined && values.nodes === undefined;
  const settings = nodeSettings(values.env !== undefined || onNode ? parseEnvFile(await readText('env', values.env ?? NODE_PATHS.envFile)) : {});
  if (values['secret-file'] === undefined && settings.secretArn === '') throw new UsageProblem('--secret-file is missing, and no SECRET_ARN in --env names the cluster secret to read');
  const secret = parseClusterSecret(values['secret-file'] !== undefined ? await readText('secret-file', values['secret-file']) : await ctx.cloud(settings.region).secret(settings.secretArn));
  if (values.nodes !== undefined && staticNodes(values.nodes).length === 0) throw new UsageProblem(`--nodes ${values.nodes}: expected Kurento URLs separated by commas, e.g. ws://10.0.0.5:8888/kurento`);
  const log = (line: string) => ctx.err.write(`elasticrtc-node controller: ${line}\n`);
  const controller = await startController({ host: listen[1], port: Number(listen[2]), apiKey: secret.apiKey, costMap: settings.costMap, clusterId: settings.stackName, now: () => ctx.clock.now(), ...(settings.turn && values.nodes === undefined ? { turnSecret: secret.turnSecret } : {}), log,
    // Sessions are signed with secrets every node shares (never sent to clients), so any controller takes
    // any login; behind the load balancer (the group's nodes), the client is the address it adds to X-Forwarded-For.
    inspector: {
      user: secret.inspectorUser, password: secret.inspectorPassword, sessionSecret: `${secret.turnSecret}\n${secret.dtlsCertificate}`,
      thresholds: { scaleOut: settings.scaleOutThreshold, scaleIn: settings.scaleInThreshold }, trustForwardedFor: values.nodes === undefined,
    },
  });
  log(`listening on ${listen[1]}:${controller.port} (inspector: http://${listen[1]}:${controller.port}/inspector)`);
  await runKeeper(
    {
      controller,
      nodes: async () => (values.nodes !== undefined ? staticNodes(values.nodes, values.agents) : await groupNodes(settings.region, settings.groupName, secret.apiKey)),
      ...(values.agent ? { ownStatusUrl: values.agent } : {}),
      log,
    },
    ctx.clock,
  );
  return 0;
}

async function agentCommand(ctx: NodeContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { listen: { type: 'string' }, env: { type: 'string' }, 'secret-file': { type: 'string' }, once: { type: 'boolean' } } });
  const listen = LISTEN.exec(values.listen ?? `0.0.0.0:${NODE_PORTS.agent}`);
  if (!listen?.[1] || Number(listen[2]) > 65535) throw new UsageProblem(`--listen ${values.listen ?? ''}: expected HOST:PORT, e.g. 0.0.0.0:8890`);
  const settings = nodeSettings(parseEnvFile(await readText('env', values.env ?? NODE_PATHS.envFile)));
  if (values['secret-file'] === undefined && settings.secretArn === '') throw new UsageProblem('--secret-file is missing, and no SECRET_ARN in --env names the cluster secret to read');
  const secret = parseClusterSecret(values['secret-file'] !== undefined ? await readText('secret-file', values['secret-file']) : await ctx.cloud(settings.region).secret(settings.secretArn));
  const imds = new Imds({ ...(ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ? { endpoint: ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT } : {}) });
  const log = (line: string) => ctx.err.write(`elasticrtc-node agent: ${line}\n`);
  const agent = new Agent({
    host: listen[1],
    port: Number(listen[2]),
    kmsUrl: kmsUrl(settings, secret),
    cluster: settings.stackName,
    group: settings.groupName,
    hook: settings.drainHookName,
    instanceId: await imds.get('instance-id'),
    heartbeatTimeoutS: settings.heartbeatTimeout,
    costMap: settings.costMap,
    ...(settings.drainQueueUrl ? { queueUrl: settings.drainQueueUrl } : {}),
    cloud: sdkAgentCloud(settings.region),
    clock: ctx.clock,
    lifecycleState: () => imds.get('autoscaling/target-lifecycle-state'),
    log,
  });
  if (values.once) {
    await agent.start();
    await ctx.clock.sleep(500); // the node's objects, from its events, before the one data point
    const load = await agent.publish();
    ctx.out.write(`ElasticRTC/Load Cluster=${settings.stackName}: ${load}\n`);
    await agent.stop();
    return 0;
  }
  await agent.start();
  log(`listening on ${listen[1]}:${agent.port}`);
  await agent.run();
  return 0;
}

const COMMANDS: Record<string, (ctx: NodeContext, args: string[]) => Promise<number>> = {
  agent: agentCommand, configure, check, boot: bootCommand, 'renew-turn': renewTurnCommand, controller: controllerCommand,
  room: (ctx, args) => roomCommand(ctx, args, { usage: (m) => new UsageProblem(m), readText, envFile: NODE_PATHS.envFile }),
  'audio-archive': (ctx, args) => audioArchiveCommand(ctx, args, { usage: (m) => new UsageProblem(m), readText, envFile: NODE_PATHS.envFile }),
  'kvs-relay': (ctx, args) => kvsRelayCommand(ctx, args, { usage: (m) => new UsageProblem(m), readText, envFile: NODE_PATHS.envFile }),
  'kvssink-install': (ctx, args) => kvssinkInstallCommand(ctx, args, { usage: (m) => new UsageProblem(m), readText, envFile: NODE_PATHS.envFile }),
  cameras: (ctx, args) => camerasCommand(ctx, args, { usage: (m) => new UsageProblem(m), readText, envFile: NODE_PATHS.envFile }) };

/** Runs `elasticrtc-node` and returns its exit code: 0 done, 1 failed, 2 usage. */
export async function main(argv: readonly string[], ctx: NodeContext): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || rest.includes('--help') || rest.includes('-h')) {
    ctx.out.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '-V' || command === '--version') {
    ctx.out.write(`${__ELASTICRTC_VERSION__}\n`);
    return 0;
  }
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageProblem(`unknown command ${command}: expected configure, check, boot, renew-turn, controller, agent, room, kvs-relay, kvssink-install, cameras or audio-archive`);
    return await run(ctx, rest);
  } catch (error) {
    const usage = error instanceof UsageProblem || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'));
    const known = usage || error instanceof NodeSettingsError || error instanceof SecretError;
    ctx.err.write(`elasticrtc-node ${command}: ${known ? (error as Error).message : String(error instanceof Error ? error.message : error)}\n`);
    return usage ? 2 : command === 'boot' ? BOOT_EXIT.notSignalled : 1;
  }
}
