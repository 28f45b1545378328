import type { NodeSettings } from '../node-settings.js';
import type { ClusterSecret } from '../secret.js';
import { parseStreams } from '../apps/audio-archive/settings.js';
import { CAMERAS_DEFAULTS } from '../apps/cameras/layout.js';
import { KVSSINK_INSTALL_UNIT, kvssinkInstallUnitText } from '../apps/kvs-relay/kvssink-unit.js';
import { KVS_RELAY_DEFAULTS } from '../apps/kvs-relay/settings.js';
import { coturnConfig } from './coturn.js';
import { ES_PASSWORD_VARIABLE, FLUENT_BIT_STATE_DIR, JOURNAL_PATH, type LogSource, fluentBitConfig, fluentBitYaml } from './fluent-bit.js';
import { GST_DEBUG, KURENTO_DIR, MODULES_CONFIG_PATH, kmsImage, kurentoFiles } from './kurento.js';
import { NODE_PORTS } from '../controller/discovery.js';
import { type ServiceUnit, timerText, unitText } from './systemd.js';

/** A file the node runs with: configuration (under /etc/elasticrtc) or a systemd unit. */
export interface NodeFile {
  kind: 'config' | 'unit';
  /** Relative to the configuration directory, or the unit's file name. */
  path: string;
  content: string;
  mode: number;
}

export interface NodeInputs {
  settings: NodeSettings;
  secret: ClusterSecret;
  publicIp: string;
  privateIp: string;
  instanceId: string;
  nowMs: number;
}

export const CONFIG_DIR = '/etc/elasticrtc';
/** Recordings stay on the node's disk across KMS restarts (the image's default location). */
const RECORDINGS_DIR = '/var/lib/kurento';
/** The log shipper's image: fluent-bit, its YAML configuration format. */
export const FLUENT_BIT_IMAGE = 'fluent/fluent-bit:3.2';

export const UNITS = {
  kms: 'elasticrtc-kms.service',
  turn: 'elasticrtc-turn.service',
  logs: 'elasticrtc-logs.service',
  controller: 'elasticrtc-controller.service',
  agent: 'elasticrtc-agent.service',
  turnRenew: 'elasticrtc-turn-renew.service',
  turnRenewTimer: 'elasticrtc-turn-renew.timer',
  /** App nodes only: the ROOM demo. */
  room: 'elasticrtc-room.service',
  /** App nodes with kvs-relay: one pipeline per camera into its Kinesis video stream. */
  kvsRelay: 'elasticrtc-kvs-relay.service',
  /** App nodes with kvs-relay: puts kvssink in place after the boot (started, never waited for). */
  kvssinkInstall: KVSSINK_INSTALL_UNIT,
  /** App nodes with cameras: recording, archive, daily MP4s and the page at /app/cameras. */
  cameras: 'elasticrtc-cameras.service',
  /** Recorder nodes only: audio-archive's recorders, uploader and reconciler. */
  audioArchive: 'elasticrtc-audio-archive.service',
} as const;

/** Where the launcher puts Node.js and the runtime on a node (templates/cluster.yaml). */
export const RUNTIME_COMMAND = ['/opt/elasticrtc/bin/node', '/opt/elasticrtc/elasticrtc-node.cjs'] as const;

const docker = '/usr/bin/docker';

function kmsUnit(s: NodeSettings): ServiceUnit {
  const base = { name: UNITS.kms, description: `Kurento Media Server ${s.kmsVersion} (elasticrtc)` };
  const env = { GST_DEBUG, GST_DEBUG_NO_COLOR: '1', KURENTO_CONF_FILE: `${KURENTO_DIR}/kurento.conf.json`, KURENTO_MODULES_CONFIG_PATH: MODULES_CONFIG_PATH };
  if (s.kmsSource === 'host') return { ...base, after: ['network-online.target'], wants: ['network-online.target'], environment: env, execStart: ['/usr/bin/kurento-media-server'] };
  return {
    ...base,
    after: ['docker.service', 'network-online.target'],
    requires: ['docker.service'],
    wants: ['network-online.target'],
    execStartPre: [['-/usr/bin/docker', 'rm', '--force', 'kms']],
    // No KMS_* variables: the image's entrypoint edits nothing and traces no value. Settings come
    // from our files, read after the image's own module files.
    execStart: [
      docker, 'run', '--rm', '--name', 'kms', '--network', 'host',
      '--log-driver', 'journald', '--log-opt', 'tag=media-server',
      ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]),
      '--volume', `${KURENTO_DIR}:${KURENTO_DIR}:ro`,
      '--volume', `${RECORDINGS_DIR}:${RECORDINGS_DIR}`,
      kmsImage(s),
    ],
    execStop: [docker, 'stop', '--time', '10', 'kms'],
  };
}

const turnUnit = (): ServiceUnit => ({
  name: UNITS.turn,
  description: 'coturn TURN server (elasticrtc)',
  after: ['network-online.target'],
  wants: ['network-online.target'],
  execStart: ['/usr/bin/turnserver', '-c', `${CONFIG_DIR}/turnserver.conf`, '--pidfile', '/run/elasticrtc-turn.pid'],
});

const logsUnit = (s: NodeSettings): ServiceUnit => ({
  name: UNITS.logs,
  description: `fluent-bit log shipper to ${s.logStorage} (elasticrtc)`,
  after: ['docker.service', 'network-online.target'],
  requires: ['docker.service'],
  wants: ['network-online.target'],
  execStartPre: [['-/usr/bin/docker', 'rm', '--force', 'logs'], ['/usr/bin/mkdir', '-p', FLUENT_BIT_STATE_DIR]],
  execStart: [
    docker, 'run', '--rm', '--name', 'logs', '--network', 'host',
    '--env-file', `${CONFIG_DIR}/logs.env`,
    '--volume', `${CONFIG_DIR}/fluent-bit:/fluent-bit/etc/elasticrtc:ro`,
    '--volume', `${JOURNAL_PATH}:${JOURNAL_PATH}:ro`,
    '--volume', '/etc/machine-id:/etc/machine-id:ro',
    '--volume', `${FLUENT_BIT_STATE_DIR}:${FLUENT_BIT_STATE_DIR}`,
    FLUENT_BIT_IMAGE, '-c', '/fluent-bit/etc/elasticrtc/fluent-bit.yaml',
  ],
  execStop: [docker, 'stop', '--time', '10', 'logs'],
});

const runtimeUnit = (name: string, description: string, args: readonly string[]): ServiceUnit => ({
  name,
  description,
  after: [UNITS.kms, 'network-online.target'],
  wants: ['network-online.target'],
  execStart: [...RUNTIME_COMMAND, ...args],
});

/** The ROOM demo on an app node: the cluster URL and key from the env file and the secret (docs/apps.md). */
const roomUnit = (): ServiceUnit => ({
  name: UNITS.room,
  description: 'elasticrtc ROOM demo: the group call page at /app',
  after: ['network-online.target'],
  wants: ['network-online.target'],
  execStart: [...RUNTIME_COMMAND, 'room'],
});

/** An app node's units: its apps'; systemd stops gst-launch and ffmpeg with the runtime (KillMode=control-group). */
const appUnit = (name: string, description: string, command: string): ServiceUnit => ({
  name,
  description,
  after: ['network-online.target'],
  wants: ['network-online.target'],
  execStart: [...RUNTIME_COMMAND, command],
  killMode: 'control-group',
});

/** The cameras of the cluster secret: a list of `{name, url}`; checked again by the app that reads them. */
function secretCameras(i: NodeInputs): { name: string; url: string }[] {
  const list = i.secret.cameras ?? [];
  if (list.length === 0) throw new Error('the cluster secret has no cameras: kvs-relay and cameras have nothing to use');
  return list.map((c, n) => {
    const { name, url } = (c ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || typeof url !== 'string') throw new Error(`the cluster secret's cameras[${n}] needs a name and a url`);
    return { name, url };
  });
}

/** kvs-relay's cameras file: each camera with the stream CloudFormation named for it (KVS_RELAY_STREAMS). */
function relayCameras(i: NodeInputs): string {
  const cameras = secretCameras(i).map((c) => {
    const stream = i.settings.kvsRelayStreams[c.name];
    if (stream === undefined) throw new Error(`KVS_RELAY_STREAMS names no stream for camera ${c.name}`);
    return { ...c, stream };
  });
  return `${JSON.stringify({ cameras }, null, 2)}\n`;
}

/** The files of an app node: each app's unit, and the cameras files (URLs with passwords: root only). */
function appFiles(i: NodeInputs): NodeFile[] {
  const apps = i.settings.apps;
  const files: NodeFile[] = [];
  const under = (path: string) => path.slice(CONFIG_DIR.length + 1);
  if (apps.includes('room')) files.push({ kind: 'unit', path: UNITS.room, content: unitText(roomUnit()), mode: 0o644 });
  if (apps.includes('kvs-relay')) {
    files.push({ kind: 'config', path: under(KVS_RELAY_DEFAULTS.camerasFile), content: relayCameras(i), mode: 0o600 });
    files.push({ kind: 'unit', path: UNITS.kvsRelay, content: unitText(appUnit(UNITS.kvsRelay, 'elasticrtc kvs-relay: RTSP cameras into Kinesis Video Streams', 'kvs-relay')), mode: 0o644 });
    files.push({ kind: 'unit', path: UNITS.kvssinkInstall, content: kvssinkInstallUnitText(), mode: 0o644 });
  }
  if (apps.includes('cameras')) {
    files.push({ kind: 'config', path: under(CAMERAS_DEFAULTS.camerasFile), content: `${JSON.stringify({ cameras: secretCameras(i) }, null, 2)}\n`, mode: 0o600 });
    files.push({ kind: 'unit', path: UNITS.cameras, content: unitText(appUnit(UNITS.cameras, 'elasticrtc cameras: live HLS, archive, daily MP4 and the page at /app/cameras', 'cameras')), mode: 0o644 });
  }
  return files;
}

/** The audio archive's env file, under the configuration directory: it holds the stream URLs (root only). */
export const AUDIO_ARCHIVE_ENV = 'audio-archive.env';

/**
 * audio-archive on a recorder node (docs/apps.md#audio-archive). systemd stops ffmpeg with the runtime
 * (KillMode=control-group): an ffmpeg left running would keep writing into a run the next start takes as ended.
 */
const audioArchiveUnit = (): ServiceUnit => ({
  name: UNITS.audioArchive,
  description: 'elasticrtc audio archive: two-recorder HA recording of live audio streams',
  after: ['network-online.target'],
  wants: ['network-online.target'],
  execStart: [...RUNTIME_COMMAND, 'audio-archive', '--env', `${CONFIG_DIR}/${AUDIO_ARCHIVE_ENV}`],
  killMode: 'control-group',
});

/** The audio archive's env: the cluster, its bucket, and the streams of the cluster secret (checked here). */
function audioArchiveEnv(i: NodeInputs): string {
  if (!i.secret.audioArchiveStreams?.length) throw new Error('the cluster secret has no audioArchiveStreams: a recorder has nothing to record');
  const streams = parseStreams(JSON.stringify(i.secret.audioArchiveStreams));
  const lines = { STACK_NAME: i.settings.stackName, REGION: i.settings.region, BUCKET: i.settings.bucket, AUDIO_ARCHIVE_STREAMS: JSON.stringify(streams), AUDIO_ARCHIVE_NODE_ID: i.instanceId };
  return Object.entries(lines).map(([k, v]) => `${k}=${v}\n`).join('');
}

/** The journal entries of each log stream. */
export function logSources(s: NodeSettings): LogSource[] {
  return [
    { stream: 'media-server', match: s.kmsSource === 'docker' ? 'CONTAINER_NAME=kms' : `_SYSTEMD_UNIT=${UNITS.kms}` },
    ...(s.turn ? [{ stream: 'turn' as const, match: `_SYSTEMD_UNIT=${UNITS.turn}` }] : []),
    { stream: 'controller', match: `_SYSTEMD_UNIT=${UNITS.controller}` },
    { stream: 'agent', match: `_SYSTEMD_UNIT=${UNITS.agent}` },
  ];
}

/** The units a node starts, in order: an app node its apps' (kvssink's install is started apart, never waited for), a recorder the audio archive. */
export const unitsToStart = (s: NodeSettings): string[] => s.role === 'app' ? [
  ...(s.apps.includes('room') ? [UNITS.room] : []),
  ...(s.apps.includes('kvs-relay') ? [UNITS.kvsRelay] : []),
  ...(s.apps.includes('cameras') ? [UNITS.cameras] : []),
] : s.role === 'recorder' ? [UNITS.audioArchive] : [
  UNITS.kms,
  UNITS.agent,
  UNITS.controller,
  ...(s.turn ? [UNITS.turn, UNITS.turnRenewTimer] : []),
  ...(s.logStorage !== 'none' ? [UNITS.logs] : []),
];

/**
 * Every file a node runs with, from its settings, its secret and its addresses. Pure: the same
 * inputs give the same files. Files holding a secret are readable by root only.
 */
export function nodeFiles(i: NodeInputs): NodeFile[] {
  const s = i.settings;
  if (s.role === 'app') return appFiles(i);
  if (s.role === 'recorder') {
    return [
      { kind: 'config', path: AUDIO_ARCHIVE_ENV, content: audioArchiveEnv(i), mode: 0o600 },
      { kind: 'unit', path: UNITS.audioArchive, content: unitText(audioArchiveUnit()), mode: 0o644 },
    ];
  }
  const files: NodeFile[] = kurentoFiles(i).map((f) => ({ kind: 'config', path: `kurento/${f.path}`, content: f.content, mode: 0o600 }));
  files.push({ kind: 'unit', path: UNITS.kms, content: unitText(kmsUnit(s)), mode: 0o644 });
  files.push({ kind: 'unit', path: UNITS.agent, content: unitText(runtimeUnit(UNITS.agent, 'elasticrtc node agent: status, load metric, drain', ['agent'])), mode: 0o644 });
  files.push({
    kind: 'unit',
    path: UNITS.controller,
    content: unitText(runtimeUnit(UNITS.controller, 'elasticrtc controller: the cluster URL', ['controller', '--agent', `http://127.0.0.1:${NODE_PORTS.agent}/status`])),
    mode: 0o644,
  });
  if (s.turn) {
    files.push({ kind: 'config', path: 'turnserver.conf', content: coturnConfig({ realm: s.stackName, secret: i.secret.turnSecret, publicIp: i.publicIp, privateIp: i.privateIp }), mode: 0o600 });
    files.push({ kind: 'unit', path: UNITS.turn, content: unitText(turnUnit()), mode: 0o644 });
    files.push({ kind: 'unit', path: UNITS.turnRenew, content: unitText({ name: UNITS.turnRenew, description: 'Renew the TURN credential of Kurento when idle (elasticrtc)', type: 'oneshot', execStart: [...RUNTIME_COMMAND, 'renew-turn'] }), mode: 0o644 });
    files.push({ kind: 'unit', path: UNITS.turnRenewTimer, content: timerText({ name: UNITS.turnRenewTimer, description: 'Hourly TURN credential renewal (elasticrtc)', onCalendar: 'hourly', randomizedDelaySec: 300 }), mode: 0o644 });
  }
  const logs = fluentBitConfig(s, i.instanceId, logSources(s));
  if (logs) {
    files.push({ kind: 'config', path: 'fluent-bit/fluent-bit.yaml', content: fluentBitYaml(logs), mode: 0o644 });
    const password = s.elasticsearch?.user !== undefined ? i.secret.elasticsearchPassword : undefined;
    files.push({ kind: 'config', path: 'logs.env', content: password !== undefined ? `${ES_PASSWORD_VARIABLE}=${password}\n` : '', mode: 0o600 });
    files.push({ kind: 'unit', path: UNITS.logs, content: unitText(logsUnit(s)), mode: 0o644 });
  }
  return files;
}
