import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BootOptions } from './boot.js';
import { writeNodeFiles } from './boot.js';
import type { NodeContext } from './context.js';
import { UNITS, nodeFiles } from './config/files.js';
import { kmsUrl } from './config/kurento.js';
import { KMS_TURN_RENEW_BEFORE_S } from './config/turn.js';
import { kmsPipelines } from './kms-rpc.js';
import { nodeSettings, parseEnvFile } from './node-settings.js';
import { parseClusterSecret } from './secret.js';

/** The expiry (unix seconds) of the TURN credential in a WebRtcEndpoint.conf.ini text, if any. */
export function turnExpiry(ini: string): number | undefined {
  const m = /^turnURL=(\d+):/m.exec(ini);
  return m?.[1] ? Number(m[1]) : undefined;
}

export type RenewalOutcome = 'not-due' | 'renewed' | 'deferred-busy' | 'no-turn';

/**
 * Renews the TURN credential KMS reads at start. KMS cannot take a new one while it runs, so the node
 * renews only when the credential nears its end (KMS_TURN_RENEW_BEFORE_S) and KMS holds no pipeline:
 * it writes the files again with a fresh credential and restarts KMS. A busy node tries again at the
 * next run (the timer's: hourly).
 */
export async function renewTurn(ctx: NodeContext, o: Pick<BootOptions, 'envFile' | 'configDir' | 'unitDir' | 'identity'>): Promise<RenewalOutcome> {
  const log = (line: string) => ctx.err.write(`elasticrtc-node renew-turn: ${line}\n`);
  const settings = nodeSettings(parseEnvFile(await readFile(o.envFile, 'utf8')));
  if (!settings.turn) return 'no-turn';
  const ini = await readFile(join(o.configDir, 'kurento', 'modules', 'kurento', 'WebRtcEndpoint.conf.ini'), 'utf8');
  const expiry = turnExpiry(ini) ?? 0;
  const left = expiry - ctx.clock.now() / 1000;
  if (left > KMS_TURN_RENEW_BEFORE_S) return 'not-due';
  const secret = parseClusterSecret(await ctx.cloud(settings.region).secret(settings.secretArn));
  const pipelines = await kmsPipelines(kmsUrl(settings, secret));
  if (pipelines.length > 0) {
    log(`credential ${left > 0 ? `ends in ${Math.round(left / 60)} min` : 'has ended'}; renewal deferred: Kurento holds ${pipelines.length} pipeline(s)`);
    return 'deferred-busy';
  }
  const identity = await o.identity();
  const files = nodeFiles({ settings, secret, publicIp: identity.publicIp, privateIp: identity.privateIp, instanceId: identity.instanceId, nowMs: ctx.clock.now() });
  await writeNodeFiles(files, o.configDir, o.unitDir);
  const r = await ctx.run('systemctl', ['restart', UNITS.kms], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`systemctl restart ${UNITS.kms} failed: ${r.stderr.trim()}`);
  log('credential renewed; Kurento restarted while idle');
  return 'renewed';
}
