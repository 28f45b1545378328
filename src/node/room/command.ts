import { parseArgs } from 'node:util';
import type { NodeContext } from '../context.js';
import { nodeSettings, parseEnvFile } from '../node-settings.js';
import { parseClusterSecret } from '../secret.js';
import { maskedUrl } from './kurento.js';
import { startRoomServer } from './server.js';

/** What main.ts lends the command: its usage error and its file reader (which names the flag). */
export interface CommandKit {
  usage(message: string): Error;
  readText(flag: string, path: string): Promise<string>;
  envFile: string;
}

const LISTEN = /^(.+):(\d{1,5})$/;

/**
 * `elasticrtc-node room`: the ROOM demo. The Kurento URL is `--kurento`, else (on an app node) the
 * env file's CLUSTER_URL with the api key of the cluster secret appended. Runs until the process ends.
 */
export async function roomCommand(ctx: NodeContext, args: string[], kit: CommandKit): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { listen: { type: 'string' }, kurento: { type: 'string' }, env: { type: 'string' }, 'secret-file': { type: 'string' } } });
  let kurentoUrl = values.kurento;
  let port = 8080;
  if (kurentoUrl !== undefined) {
    if (!/^wss?:\/\/[^/]+\/.+/.test(kurentoUrl)) throw kit.usage(`--kurento ${maskedUrl(kurentoUrl)}: expected ws[s]://host[:port]/<api-key>, the cluster URL`);
  } else {
    const settings = nodeSettings(parseEnvFile(await kit.readText('env', values.env ?? kit.envFile)));
    port = settings.appPort;
    if (settings.clusterUrl === '') throw kit.usage('--kurento is missing, and no CLUSTER_URL in --env names the cluster to use');
    if (values['secret-file'] === undefined && settings.secretArn === '') throw kit.usage('--secret-file is missing, and no SECRET_ARN in --env names the cluster secret to read');
    const secret = parseClusterSecret(values['secret-file'] !== undefined ? await kit.readText('secret-file', values['secret-file']) : await ctx.cloud(settings.region).secret(settings.secretArn));
    kurentoUrl = `${settings.clusterUrl}/${secret.apiKey}`;
  }
  const listen = LISTEN.exec(values.listen ?? `0.0.0.0:${port}`);
  if (!listen?.[1] || Number(listen[2]) > 65535) throw kit.usage(`--listen ${values.listen ?? ''}: expected HOST:PORT, e.g. 0.0.0.0:8080`);
  const log = (line: string) => ctx.err.write(`elasticrtc-node room: ${line}\n`);
  await startRoomServer({ host: listen[1], port: Number(listen[2]), kurentoUrl, log });
  // Serves until the process is stopped (systemd's SIGTERM).
  await new Promise<never>(() => undefined);
  return 0;
}
