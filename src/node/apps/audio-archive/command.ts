import { parseArgs } from 'node:util';
import type { NodeContext } from '../../context.js';
import { Imds } from '../../imds.js';
import { parseEnvFile } from '../../node-settings.js';
import { startAudioArchive } from './archive.js';
import { Reconciler } from './reconciler.js';
import { audioArchiveSettings, NODE_ID } from './settings.js';

/** What main.ts lends the command: its usage error and its file reader (which names the flag). */
export interface CommandKit {
  usage(message: string): Error;
  readText(flag: string, path: string): Promise<string>;
  envFile: string;
}

/**
 * `elasticrtc-node audio-archive`: records the env file's streams on this node, uploads finished
 * segments and reconciles them into `final/` (docs/apps.md#audio-archive); runs until the process
 * ends. `--reconcile-once`: one reconciler pass per stream, a JSON line each on stdout, then exit.
 */
export async function audioArchiveCommand(ctx: NodeContext, args: string[], kit: CommandKit): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { env: { type: 'string' }, 'node-id': { type: 'string' }, 'reconcile-once': { type: 'boolean' } } });
  if (values['node-id'] !== undefined && !NODE_ID.test(values['node-id'])) throw kit.usage(`--node-id ${values['node-id']}: expected 1 to 64 letters, digits, '.', '-' or '_'`);
  const settings = audioArchiveSettings(parseEnvFile(await kit.readText('env', values.env ?? kit.envFile)));
  const log = (line: string) => ctx.err.write(`elasticrtc-node audio-archive: ${line}\n`);
  const { sdkArchiveStore, sdkClients, sdkMissingSlotsMetric } = await import('./sdk.js');
  const clients = sdkClients(settings.region, Boolean(ctx.env.AWS_ENDPOINT_URL_S3 || ctx.env.AWS_ENDPOINT_URL));
  const store = sdkArchiveStore(clients.s3, settings.bucket);
  const metric = sdkMissingSlotsMetric(clients.cloudwatch);

  if (values['reconcile-once']) {
    for (const stream of settings.streams) {
      const r = await new Reconciler({ stream, cluster: settings.cluster, store, metric, clock: ctx.clock, log, graceSeconds: settings.graceSeconds }).runOnce();
      ctx.out.write(`${JSON.stringify({ stream: stream.name, from: r.slots[0] ?? null, to: r.slots[r.slots.length - 1] ?? null, written: r.written.length, present: r.present, missing: r.missing, advanced: r.advanced })}\n`);
    }
    return 0;
  }

  const nodeId =
    values['node-id'] ?? settings.nodeId ?? (await new Imds({ ...(ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ? { endpoint: ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT } : {}) }).get('instance-id'));
  if (!NODE_ID.test(nodeId)) throw kit.usage(`the instance id ${nodeId} cannot name this recorder: give --node-id`);
  const archive = startAudioArchive({ streams: settings.streams, cluster: settings.cluster, nodeId, dir: settings.dir, graceSeconds: settings.graceSeconds, store, metric, clock: ctx.clock, env: ctx.env, log });
  log(`node ${nodeId}: recording ${settings.streams.map((s) => s.name).join(', ')} into ${settings.dir}, archiving into s3://${settings.bucket}/final/`);
  // Runs until the process is stopped (systemd's SIGTERM reaches ffmpeg too, which finishes its segment).
  await archive.done;
  return 0;
}
