import { readFile, stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { NodeContext } from '../../context.js';
import { nodeSettings, parseEnvFile } from '../../node-settings.js';
import { parseClusterSecret } from '../../secret.js';
import { DailyJob } from './daily.js';
import { dailyWorkDir } from './layout.js';
import { type RunningCameras, startCamerasRecording } from './recording.js';
import { CamerasSettingsError, camerasSettings, parseCameras } from './settings.js';
import { startCamerasServer } from './web/server.js';

/** What main.ts lends the command: its usage error and its file reader (which names the flag). */
export interface CamerasKit {
  usage(message: string): Error;
  readText(flag: string, path: string): Promise<string>;
  envFile: string;
  /** Called once everything runs (tests stop it); default: runs until the process ends. */
  started?: (app: { recording: RunningCameras; server: { port: number; close(): Promise<void> } }) => void;
}

/**
 * `elasticrtc-node cameras [--env FILE]`: on the app node, records every camera of CAMERAS_FILE
 * (live HLS and archive segments, one ffmpeg each), uploads the segments, builds the daily MP4s and
 * serves the cameras page (docs/apps.md#cameras); runs until the process ends. `--daily-once`: one
 * daily pass per camera, a JSON line each on stdout, then exit (1 if a day failed).
 */
export async function camerasCommand(ctx: NodeContext, args: string[], kit: CamerasKit): Promise<number> {
  const { values } = parseArgs({ args, strict: true, options: { env: { type: 'string' }, 'daily-once': { type: 'boolean' } } });
  const env = parseEnvFile(await kit.readText('env', values.env ?? kit.envFile));
  const settings = camerasSettings(env);
  const camerasText = await readFile(settings.camerasFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CamerasSettingsError(`CAMERAS_FILE=${settings.camerasFile}: cannot read it (${error.code ?? String(error)})`);
  });
  const cameras = parseCameras(camerasText, settings.camerasFile);
  const log = (line: string) => ctx.err.write(`elasticrtc-node cameras: ${line}\n`);
  const { sdkCameraClient, sdkCameraStore } = await import('./store.js');
  const store = sdkCameraStore(sdkCameraClient(settings.region, Boolean(ctx.env.AWS_ENDPOINT_URL_S3 || ctx.env.AWS_ENDPOINT_URL), log), settings.bucket);

  if (values['daily-once']) {
    let failed = false;
    for (const camera of cameras) {
      const job = new DailyJob({ camera: camera.name, cluster: settings.cluster, store, workDir: dailyWorkDir(settings.dir), clock: ctx.clock, log, graceSeconds: settings.dailyGraceSeconds, env: ctx.env });
      const r = await job.runOnce();
      failed ||= r.failed !== undefined;
      const count = (outcome: string) => r.days.filter((d) => d.outcome === outcome).length;
      ctx.out.write(
        `${JSON.stringify({
          camera: camera.name,
          from: r.days[0]?.day ?? null,
          to: r.days[r.days.length - 1]?.day ?? null,
          written: r.days.filter((d) => d.outcome === 'written').map((d) => d.key),
          present: count('present'),
          empty: r.days.filter((d) => d.outcome === 'empty').map((d) => d.day),
          advanced: r.advanced,
          ...(r.failed !== undefined ? { failed: r.failed } : {}),
        })}\n`,
      );
    }
    return failed ? 1 : 0;
  }

  // The camera URLs carry passwords: say so when others can read them.
  if (((await stat(settings.camerasFile)).mode & 0o077) !== 0) log(`${settings.camerasFile} is readable by others: it holds camera passwords, make it 0600`);
  // The live view's Kurento URL, as the ROOM demo computes it: CLUSTER_URL and the api key of the cluster secret.
  const node = nodeSettings(env);
  let kurentoUrl: string | undefined;
  if (node.clusterUrl !== '') {
    if (node.secretArn === '') throw kit.usage(`CLUSTER_URL=${node.clusterUrl} in --env, but no SECRET_ARN names the cluster secret that holds its api key`);
    kurentoUrl = `${node.clusterUrl}/${parseClusterSecret(await ctx.cloud(node.region).secret(node.secretArn)).apiKey}`;
  }
  const recording = startCamerasRecording({
    cameras,
    cluster: settings.cluster,
    dir: settings.dir,
    segmentSeconds: settings.segmentSeconds,
    dailyGraceSeconds: settings.dailyGraceSeconds,
    store,
    clock: ctx.clock,
    env: ctx.env,
    log,
  });
  let server: { port: number; close(): Promise<void> };
  try {
    // hlsDir: the app's directory; the server finds each camera's playlist at liveDir(hlsDir, camera).
    server = await startCamerasServer({ host: '0.0.0.0', port: settings.port, cameras, hlsDir: settings.dir, ...(kurentoUrl !== undefined ? { kurentoUrl } : {}), log, now: () => ctx.clock.now() });
  } catch (error) {
    await recording.stop();
    throw error;
  }
  log(
    `${cameras.length} camera(s): ${cameras.map((c) => c.name).join(', ')}; live HLS in ${settings.dir}/live, segments of ${settings.segmentSeconds} s into s3://${settings.bucket}/cameras/; page on port ${server.port}${kurentoUrl ? '' : ' (no CLUSTER_URL: no live view)'}`,
  );
  kit.started?.({ recording, server });
  // Runs until the process is stopped (systemd's SIGTERM reaches ffmpeg too, which finishes its segment).
  await recording.done;
  await server.close();
  return 0;
}
