import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { checkBucketName } from '../../../cluster/names.js';
import type { NodeContext } from '../../context.js';
import { parseEnvFile } from '../../node-settings.js';
import type { CommandKit } from '../audio-archive/command.js';
import { installKvssink, KvssinkInstallError } from './install.js';
import { KvsRelaySettingsError, kvsRelaySettings } from './settings.js';
import { childStepRunner } from './step-runner.js';

/**
 * `elasticrtc-node kvssink-install [--env FILE]`: kvssink into KVS_RELAY_PLUGIN_DIR, from the
 * bucket's copy or a build (docs/apps.md). Exit 0 once it is installed; 1 naming the step that
 * failed (its unit runs it again a minute later).
 */
export async function kvssinkInstallCommand(ctx: NodeContext, args: string[], kit: CommandKit): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { env: { type: 'string' } } });
  const env = parseEnvFile(await kit.readText('env', values.env ?? kit.envFile));
  const { region, pluginDir } = kvsRelaySettings(env);
  const bucketName = env.BUCKET ?? '';
  const problem = checkBucketName(bucketName, 'BUCKET')[0];
  if (problem) throw new KvsRelaySettingsError(`BUCKET=${bucketName}: ${bucketName === '' ? "expected the cluster bucket's name" : problem.expected}`);
  const log = (line: string) => ctx.err.write(`elasticrtc-node kvssink-install: ${line}\n`);
  if (pluginDir === '') {
    log("KVS_RELAY_PLUGIN_DIR is empty: the relay takes kvssink from GStreamer's own plugin path; nothing to install");
    return 0;
  }
  const [{ sdkClients }, { sdkKvssinkBucket }] = await Promise.all([import('../audio-archive/sdk.js'), import('./kvssink-bucket.js')]);
  const { s3 } = sdkClients(region, Boolean(ctx.env.AWS_ENDPOINT_URL_S3 || ctx.env.AWS_ENDPOINT_URL));
  try {
    await installKvssink({
      pluginDir,
      bucket: sdkKvssinkBucket(s3, bucketName),
      // The programs' own output goes to the journal as it comes, indented under the installer's lines.
      runner: childStepRunner((line) => ctx.err.write(`  ${line}\n`)),
      env: ctx.env,
      clock: ctx.clock,
      log,
      jobs: availableParallelism(),
    });
    return 0;
  } catch (error) {
    if (!(error instanceof KvssinkInstallError)) throw error;
    log(`failed at ${error.message}`);
    if (error.stderrTail.length) log(`its last lines on stderr:\n${error.stderrTail.map((l) => `  | ${l}`).join('\n')}`);
    return 1;
  } finally {
    s3.destroy();
  }
}
