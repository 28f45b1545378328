import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { NodeContext } from '../../context.js';
import { Imds } from '../../imds.js';
import { parseEnvFile } from '../../node-settings.js';
import { imdsCredentialSource } from './credential-source.js';
import { type KvsRelay, startKvsRelay } from './relay.js';
import { KvsRelaySettingsError, kvsRelaySettings, parseCameras } from './settings.js';

/** What main.ts lends the command: its usage error and its file reader (which names the flag). */
export interface KvsRelayKit {
  usage(message: string): Error;
  readText(flag: string, path: string): Promise<string>;
  envFile: string;
  /** Called with the running relay (tests stop it); default: runs until the process ends. */
  started?: (relay: KvsRelay) => void;
}

/**
 * `elasticrtc-node kvs-relay [--env FILE]`: the credential sidecar and one supervised
 * `gst-launch-1.0 … ! kvssink` per camera of the cameras file (docs/apps.md). Runs until the
 * process is stopped; its status is in KVS_RELAY_STATUS_FILE.
 */
export async function kvsRelayCommand(ctx: NodeContext, args: string[], kit: KvsRelayKit): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { env: { type: 'string' } } });
  const settings = kvsRelaySettings(parseEnvFile(await kit.readText('env', values.env ?? kit.envFile)));
  const camerasText = await readFile(settings.camerasFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new KvsRelaySettingsError(`KVS_RELAY_CAMERAS_FILE=${settings.camerasFile}: cannot read it (${error.code ?? String(error)})`);
  });
  const cameras = parseCameras(camerasText, settings.camerasFile);
  const log = (line: string) => ctx.err.write(`elasticrtc-node kvs-relay: ${line}\n`);
  // The URLs carry the cameras' credentials: say so when others can read them.
  if (((await stat(settings.camerasFile)).mode & 0o077) !== 0) log(`${settings.camerasFile} is readable by others: it holds camera passwords, make it 0600`);
  const imds = new Imds({ ...(ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT ? { endpoint: ctx.env.AWS_EC2_METADATA_SERVICE_ENDPOINT } : {}), attempts: 1 });
  const relay = startKvsRelay({ settings, cameras, source: imdsCredentialSource(imds), clock: ctx.clock, env: ctx.env, log });
  log(`${cameras.length} camera(s): ${cameras.map((c) => `${c.name} → ${c.stream}`).join(', ')}; region ${settings.region}; status in ${settings.statusFile}`);
  kit.started?.(relay);
  await relay.done;
  return 0;
}
