/**
 * The real coturn (Debian's turnserver, installed by .ci/run) run with the configuration `configure`
 * writes, changed only to listen on loopback: it accepts the credential the runtime gives KMS,
 * refuses wrong and expired ones, and denies relays to private, loopback and metadata addresses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFiles } from '../../src/node/config/files.js';
import { kmsTurnCredential } from '../../src/node/config/kurento.js';
import { turnCredential } from '../../src/node/config/turn.js';
import { nodeInputs } from '../support/node-inputs.js';
import { TurnClient } from '../support/turn-client.js';

const inputs = { ...nodeInputs(), privateIp: '127.0.0.1', nowMs: Date.now() };
let turnserver: ChildProcess;
let port = 0;
let log = '';

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

async function answering(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const probe = new TurnClient('127.0.0.1', port, 'probe', 'probe');
    try {
      await probe.allocate();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      probe.close();
    }
  }
  throw new Error(`turnserver did not answer:\n${log}`);
}

beforeAll(async () => {
  const conf = nodeFiles(inputs).find((f) => f.path === 'turnserver.conf')?.content ?? '';
  expect(conf).toContain('use-auth-secret');
  port = await freeUdpPort();
  const dir = mkdtempSync(join(tmpdir(), 'coturn-'));
  // Loopback overrides only: the port, the listening address, and where it keeps its state.
  const local = `${conf.replace(/^listening-port=\d+$/m, `listening-port=${port}`)}listening-ip=127.0.0.1\nrelay-ip=127.0.0.1\npidfile=${dir}/turn.pid\nuserdb=${dir}/turndb\n`;
  writeFileSync(join(dir, 'turnserver.conf'), local);
  turnserver = spawn('turnserver', ['-c', join(dir, 'turnserver.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  turnserver.stdout?.on('data', (d) => (log += String(d)));
  turnserver.stderr?.on('data', (d) => (log += String(d)));
  await answering();
});

afterAll(() => {
  turnserver?.kill('SIGTERM');
});

async function withClient<T>(user: string, password: string, fn: (c: TurnClient) => Promise<T>): Promise<T> {
  const c = new TurnClient('127.0.0.1', port, user, password);
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

describe('coturn with the configuration configure writes', () => {
  it('accepts the credential KMS is given', async () => {
    const cred = kmsTurnCredential(inputs);
    expect(await withClient(cred.username, cred.password, (c) => c.allocate())).toMatchObject({ ok: true });
  });

  it('refuses a wrong password', async () => {
    const cred = kmsTurnCredential(inputs);
    expect(await withClient(cred.username, `${cred.password.slice(0, -2)}x=`, (c) => c.allocate())).toMatchObject({ ok: false, code: 401 });
  });

  it('refuses a credential made with another secret', async () => {
    const cred = turnCredential('not-the-cluster-secret', 'kms', Date.now());
    expect(await withClient(cred.username, cred.password, (c) => c.allocate())).toMatchObject({ ok: false, code: 401 });
  });

  it('refuses an expired credential', async () => {
    const cred = turnCredential(inputs.secret.turnSecret, 'kms', Date.now() - 4 * 86_400_000);
    expect(await withClient(cred.username, cred.password, (c) => c.allocate())).toMatchObject({ ok: false, code: 401 });
  });

  it('relays to public peers only: private, loopback and the metadata service are denied', async () => {
    const cred = kmsTurnCredential(inputs);
    const answers = await withClient(cred.username, cred.password, async (c) => {
      expect(await c.allocate()).toMatchObject({ ok: true });
      const out: Record<string, unknown> = {};
      for (const peer of ['203.0.113.7', '169.254.169.254', '10.1.2.3', '172.16.5.5', '192.168.1.1', '127.0.0.1', '100.64.0.1']) out[peer] = await c.permit(peer);
      return out;
    });
    expect(answers['203.0.113.7'], JSON.stringify(answers)).toMatchObject({ ok: true });
    for (const denied of ['169.254.169.254', '10.1.2.3', '172.16.5.5', '192.168.1.1', '127.0.0.1', '100.64.0.1']) expect(answers[denied], denied).toMatchObject({ ok: false, code: 403 });
  });
});
