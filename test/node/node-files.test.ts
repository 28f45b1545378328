/**
 * Every file `configure` writes, as a whole: systemd reads the units (systemd-analyze verify), the
 * KMS container gets no single-file mount and no KMS_* variable for the image's entrypoint to edit or
 * trace, and secrets sit only in root-only files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFiles } from '../../src/node/config/files.js';
import { nodeInputs, testSecret } from '../support/node-inputs.js';

const BIN = join(process.cwd(), 'bin', 'elasticrtc-node.js');

function configureOffline(args: string[] = [], env?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'configure-'));
  const secretFile = join(dir, 'secret.json');
  writeFileSync(secretFile, JSON.stringify(testSecret()));
  if (env !== undefined) writeFileSync(join(dir, 'node.env'), env);
  const out = join(dir, 'out');
  const r = spawnSync(process.execPath, [BIN, 'configure', '--out', out, '--secret-file', secretFile, '--public-ip', '203.0.113.10', '--private-ip', '10.0.0.10', ...(env !== undefined ? ['--env', join(dir, 'node.env')] : []), ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' },
  });
  return { ...r, out };
}

/** `systemd-analyze verify` on the units, with stand-ins for programs and units the node has and this machine lacks. */
function verifyUnits(unitDir: string): { status: number | null; output: string } {
  const scratch = mkdtempSync(join(tmpdir(), 'units-'));
  for (const d of ['upper', 'work', 'units', 'opt-upper/elasticrtc/bin', 'opt-work']) mkdirSync(join(scratch, d), { recursive: true });
  writeFileSync(join(scratch, 'opt-upper', 'elasticrtc', 'bin', 'node'), '#!/bin/sh\n');
  chmodSync(join(scratch, 'opt-upper', 'elasticrtc', 'bin', 'node'), 0o755);
  for (const program of ['docker', 'turnserver', 'kurento-media-server']) {
    writeFileSync(join(scratch, 'upper', program), '#!/bin/sh\n');
    chmodSync(join(scratch, 'upper', program), 0o755);
  }
  writeFileSync(join(scratch, 'units', 'docker.service'), '[Unit]\nDescription=Docker stand-in\n[Service]\nExecStart=/usr/bin/docker\n');
  const units = readdirSync(unitDir).map((f) => join(unitDir, f));
  // A private mount namespace: /usr/bin gains the stand-ins for this command only.
  const script = `mount -t overlay overlay -o lowerdir=/usr/bin,upperdir=${scratch}/upper,workdir=${scratch}/work /usr/bin && mount -t overlay overlay -o lowerdir=/opt,upperdir=${scratch}/opt-upper,workdir=${scratch}/opt-work /opt && SYSTEMD_UNIT_PATH=${scratch}/units: systemd-analyze verify ${units.join(' ')}`;
  const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('configure, offline', () => {
  it('writes every file with the flags of docs/node.md and no network', () => {
    const r = configureOffline();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const written = r.stdout.trim().split('\n').map((p) => p.slice(r.out.length + 1)).sort();
    expect(written).toEqual([
      'fluent-bit/fluent-bit.yaml',
      'kurento/dtls.pem',
      'kurento/kurento.conf.json',
      'kurento/modules/kurento/BaseRtpEndpoint.conf.ini',
      'kurento/modules/kurento/WebRtcEndpoint.conf.ini',
      'logs.env',
      'systemd/elasticrtc-agent.service',
      'systemd/elasticrtc-controller.service',
      'systemd/elasticrtc-kms.service',
      'systemd/elasticrtc-logs.service',
      'systemd/elasticrtc-turn-renew.service',
      'systemd/elasticrtc-turn-renew.timer',
      'systemd/elasticrtc-turn.service',
      'turnserver.conf',
    ]);
    expect(readFileSync(join(r.out, 'fluent-bit', 'fluent-bit.yaml'), 'utf8')).toContain('media-server/local');
  });

  it('writes only the room server’s unit on an app node, restarted like every piece', () => {
    const r = configureOffline([], 'ROLE=app\nCLUSTER_URL=wss://demo.example.com\nAPP_PORT=8080\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((p) => p.slice(r.out.length + 1))).toEqual(['systemd/elasticrtc-room.service']);
    const unit = readFileSync(join(r.out, 'systemd', 'elasticrtc-room.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/opt\/elasticrtc\/bin\/node \/opt\/elasticrtc\/elasticrtc-node.cjs room$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
    expect(unit).toMatch(/^WantedBy=multi-user.target$/m);
    expect(unit).not.toMatch(/kms|docker/i);
    const bad = configureOffline([], 'ROLE=app\nCLUSTER_URL=https://demo.example.com/key\n');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("CLUSTER_URL=https://demo.example.com/key: expected ws[s]://host[:port], the cluster's URL without its key");
  });

  it('names the flag and value of bad input, exit 2', () => {
    const r = configureOffline(['--public-ip', '203.0.113.999']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--public-ip 203.0.113.999: expected an IPv4 address');
    const unknown = configureOffline(['--public', 'x']);
    expect(unknown.status).toBe(2);
    const env = configureOffline([], 'LOG_STORAGE=disk\n');
    expect(env.status).toBe(1);
    expect(env.stderr).toContain('LOG_STORAGE=disk: expected one of cloudwatch, s3, elasticsearch, none');
  });

  it('writes units systemd accepts, for every shape of node', () => {
    for (const env of ['', 'TURN=false\nLOG_STORAGE=none\n', 'KMS_SOURCE=host\nLOG_STORAGE=s3\n', 'ROLE=app\nCLUSTER_URL=wss://demo.example.com\n']) {
      const r = configureOffline([], env);
      expect(r.status).toBe(0);
      const verdict = verifyUnits(join(r.out, 'systemd'));
      expect(verdict.output).toBe('');
      expect(verdict.status).toBe(0);
    }
  });

  it('writes a recorder’s audio archive: its unit (verified by systemd) and its env, root-only, streams from the secret', () => {
    const streams = [{ name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org/live.mp3', segmentSeconds: 300 }];
    const files = nodeFiles(nodeInputs({ ROLE: 'recorder' }, testSecret({ audioArchiveStreams: streams })));
    expect(files.map((f) => [f.kind, f.path, f.mode])).toEqual([
      ['config', 'audio-archive.env', 0o600],
      ['unit', 'elasticrtc-audio-archive.service', 0o644],
    ]);
    const unit = files[1]?.content ?? '';
    expect(unit).toMatch(/^KillMode=control-group$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).not.toContain('s3cr3t');
    expect(files[0]?.content).toContain(`AUDIO_ARCHIVE_STREAMS=${JSON.stringify(streams)}\n`);
    const dir = mkdtempSync(join(tmpdir(), 'recorder-unit-'));
    writeFileSync(join(dir, 'elasticrtc-audio-archive.service'), unit);
    const verdict = verifyUnits(dir);
    expect(verdict.output).toBe('');
    expect(verdict.status).toBe(0);
  });

  it('would catch a unit systemd cannot use', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-unit-'));
    writeFileSync(join(dir, 'bad.service'), '[Service]\nRestartt=always\nExecStart=missing-program\n');
    expect(verifyUnits(dir).status).not.toBe(0);
  });
});

describe('node files', () => {
  const secret = testSecret({ elasticsearchPassword: 'EsPassword-0123' });
  const files = nodeFiles(nodeInputs({ LOG_STORAGE: 'elasticsearch', ES_HOST: 'es.example.com', ES_USER: 'elastic' }, secret));
  const secretValues = [secret.apiKey, secret.turnSecret, secret.inspectorPassword, 'EsPassword-0123', secret.dtlsCertificate.split('-----BEGIN RSA PRIVATE KEY-----')[1]?.slice(0, 60) ?? ''];

  it('keeps every secret in root-only files', () => {
    for (const f of files) {
      const holds = secretValues.some((v) => f.content.includes(v));
      if (holds) expect(f.mode, f.path).toBe(0o600);
    }
    for (const f of files.filter((x) => x.kind === 'unit')) for (const v of secretValues) expect(f.content, f.path).not.toContain(v);
  });

  it('mounts only directories into the KMS container and passes it no KMS_* variable', () => {
    const unit = files.find((f) => f.path === 'elasticrtc-kms.service')?.content ?? '';
    const exec = unit.split('\n').find((l) => l.startsWith('ExecStart=')) ?? '';
    const words = exec.slice('ExecStart='.length).split(' ');
    const volumes = words.flatMap((w, i) => (w === '--volume' ? [words[i + 1] ?? ''] : []));
    expect(volumes.length).toBeGreaterThan(0);
    const configFiles = files.filter((f) => f.kind === 'config').map((f) => `/etc/elasticrtc/${f.path}`);
    for (const v of volumes) expect(configFiles, v).not.toContain(v.split(':')[0]);
    expect(words.filter((w) => w.startsWith('KMS_'))).toEqual([]);
    expect(unit).not.toMatch(/KMS_(MIN_PORT|EXTERNAL|TURN_URL)/);
  });

  it('restarts every piece after a failure and at boot, without a start limit', () => {
    for (const f of files.filter((x) => x.kind === 'unit' && !x.path.startsWith('elasticrtc-turn-renew'))) {
      expect(f.content, f.path).toMatch(/^Restart=always$/m);
      expect(f.content, f.path).toMatch(/^StartLimitIntervalSec=0$/m);
      expect(f.content, f.path).toMatch(/^WantedBy=multi-user.target$/m);
    }
  });

  it('never writes files that the runtime itself did not make from typed values', () => {
    expect(() => execFileSync('grep', ['-rnE', '^\\s*(sed|printf|cat) .*(\\.conf|\\.ini|\\.yaml)', 'templates/'], { encoding: 'utf8' })).toThrow();
    expect(statSync('templates/cluster.yaml').isFile()).toBe(true);
  });
});
