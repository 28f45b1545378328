import { delimiter } from 'node:path';
import type { Clock } from '../../context.js';
import { writeFileAtomic } from './atomic-file.js';
import { type CredentialStatus, CredentialSidecar, type SidecarTiming } from './credential-sidecar.js';
import type { CredentialSource } from './credential-source.js';
import { type Launcher, childProcessLauncher } from './launcher.js';
import { type RelayCamera, kvsSink, relayPipeline } from './pipeline.js';
import type { KvsRelaySettings } from './settings.js';
import { type CameraStatus, PipelineSupervisor, type RestartTiming } from './supervisor.js';

/** The status file's content (`KVS_RELAY_STATUS_FILE`); fields are added, never renamed. */
export interface KvsRelayStatus {
  updatedAt: string;
  credentials: CredentialStatus;
  cameras: CameraStatus[];
}

export interface KvsRelayOptions {
  settings: KvsRelaySettings;
  cameras: readonly RelayCamera[];
  source: CredentialSource;
  clock: Clock;
  /** The runtime's environment, passed on to gst-launch (less what would override the credential file). */
  env: Readonly<Record<string, string | undefined>>;
  log: (line: string) => void;
  launcher?: Launcher;
  /** The end of each camera's pipeline; default kvssink into the camera's stream. */
  sink?: (camera: RelayCamera) => string[];
  /** Default `gst-launch-1.0` (on PATH). */
  gstLaunch?: string;
  sidecarTiming?: Partial<SidecarTiming>;
  restartTiming?: Partial<RestartTiming>;
}

/**
 * What kvssink would take instead of the credential file and the region property (static keys and
 * AWS_DEFAULT_REGION come first in gstkvssink.cpp), removed; kvssink's plugin directory added.
 */
export function pipelineEnv(base: Readonly<Record<string, string | undefined>>, pluginDir: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...base };
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_DEFAULT_REGION']) delete env[key];
  if (pluginDir !== '') {
    env.GST_PLUGIN_PATH = [pluginDir, base.GST_PLUGIN_PATH].filter(Boolean).join(delimiter);
    env.LD_LIBRARY_PATH = [pluginDir, base.LD_LIBRARY_PATH].filter(Boolean).join(delimiter);
  }
  return env;
}

/** A running relay: the credential sidecar and one supervised pipeline per camera. */
export interface KvsRelay {
  status(): KvsRelayStatus;
  /** Stops every pipeline (a clean end of stream, SIGKILL after the grace) and the sidecar. */
  stop(): Promise<void>;
  /** Resolves when everything has stopped. */
  done: Promise<void>;
  /** Resolves when the status file holds the latest status. */
  flushed(): Promise<void>;
}

/**
 * Starts the relay: the sidecar writes the credential file, then (kvssink needs the file to start)
 * each camera's pipeline starts under its supervisor. The status file is rewritten on every change.
 */
export function startKvsRelay(options: KvsRelayOptions): KvsRelay {
  const { settings, clock, log } = options;
  const abort = new AbortController();
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  let warned = false;
  const status = (): KvsRelayStatus => ({ updatedAt: new Date(clock.now()).toISOString(), credentials: sidecar.status(), cameras: supervisors.map((s) => s.status()) });
  const changed = () => {
    if (dirty) return;
    dirty = true;
    writing = writing.then(async () => {
      dirty = false;
      try {
        await writeFileAtomic(settings.statusFile, `${JSON.stringify(status(), null, 2)}\n`, 0o644);
      } catch (error) {
        if (!warned) log(`status file ${settings.statusFile} not written: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
        warned = true;
      }
    });
  };
  const sidecar = new CredentialSidecar({ file: settings.credentialFile, source: options.source, clock, log: (l) => log(`credentials: ${l}`), timing: options.sidecarTiming ?? {}, onChange: changed });
  const env = pipelineEnv(options.env, settings.pluginDir);
  const supervisors = options.cameras.map(
    (camera) =>
      new PipelineSupervisor({
        camera,
        command: options.gstLaunch ?? 'gst-launch-1.0',
        args: relayPipeline(camera, (options.sink ?? ((c) => kvsSink({ stream: c.stream, region: settings.region, credentialFile: settings.credentialFile })))(camera), { latencyMs: settings.latencyMs }),
        env,
        launcher: options.launcher ?? childProcessLauncher,
        clock,
        log,
        timing: options.restartTiming ?? {},
        onChange: changed,
      }),
  );
  changed();
  const sidecarDone = sidecar.run(abort.signal);
  const ready = new Promise<boolean>((resolve) => {
    void sidecar.ready().then(() => resolve(true));
    abort.signal.addEventListener('abort', () => resolve(false), { once: true });
  });
  const camerasDone = ready.then((ok) => (ok ? Promise.all(supervisors.map((s) => s.run(abort.signal))).then(() => undefined) : undefined));
  const done = Promise.all([sidecarDone, camerasDone]).then(() => writing);
  return {
    status,
    stop: async () => {
      abort.abort();
      await done;
    },
    done,
    flushed: () => writing,
  };
}
