import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkKms, describeCheck } from '../../src/node/check.js';
import { type KmsStandIn, startKmsStandIn } from '../support/kms-stand-in.js';

const KEY = 'Abc123xyz789';
let standIn: KmsStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

describe('checkKms', () => {
  it('passes when KMS answers ping with pong', async () => {
    standIn = await startKmsStandIn({ path: KEY });
    const r = await checkKms(standIn.url);
    expect(r.ok).toBe(true);
    expect(standIn.requests.map((q) => q.method).filter(Boolean)).toEqual(['ping']);
  });

  it('fails as wrong-answer when the path is not the api key (KMS upgrades, then closes 1002)', async () => {
    standIn = await startKmsStandIn({ path: KEY });
    const r = await checkKms(standIn.url.replace(KEY, 'kurento'));
    expect(r).toMatchObject({ ok: false, failure: 'wrong-answer' });
    if (!r.ok) expect(r.detail).toContain('1002');
  });

  it('fails as no-answer when the socket stays open and silent, within its timeout', async () => {
    standIn = await startKmsStandIn({ path: KEY, mode: 'silent' });
    const r = await checkKms(standIn.url, 300);
    expect(r).toMatchObject({ ok: false, failure: 'no-answer' });
  });

  it('fails as upgrade-refused when the server is not a WebSocket server', async () => {
    standIn = await startKmsStandIn({ path: KEY, mode: 'http-404' });
    const r = await checkKms(standIn.url);
    expect(r).toMatchObject({ ok: false, failure: 'upgrade-refused' });
    if (!r.ok) expect(r.detail).toContain('404');
  });

  it('fails as wrong-answer when ping gets an error', async () => {
    standIn = await startKmsStandIn({ path: KEY, mode: 'error' });
    const r = await checkKms(standIn.url);
    expect(r).toMatchObject({ ok: false, failure: 'wrong-answer' });
  });

  it('fails as refused when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await checkKms(`ws://127.0.0.1:${port}/${KEY}`);
    expect(r).toMatchObject({ ok: false, failure: 'refused' });
  });

  it('fails as no-answer when the TCP connection is accepted but never upgraded', async () => {
    const server = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const r = await checkKms(`ws://127.0.0.1:${port}/${KEY}`, 300);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(['no-answer', 'upgrade-refused']).toContain(r.failure);
    } finally {
      server.close();
    }
  });

  it('describes a result without needing the key', () => {
    expect(describeCheck('ws://h/****', { ok: false, failure: 'refused', detail: 'connection refused (ECONNREFUSED)' })).toBe('kms ws://h/****: refused: connection refused (ECONNREFUSED)');
  });
});

describe('elasticrtc-node check', () => {
  const run = (url: string) =>
    new Promise<{ code: number | null; out: string; err: string; ms: number }>((resolve) => {
      const started = performance.now();
      const child = spawn(process.execPath, ['bin/elasticrtc-node.js', 'check', '--kms', url]);
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += String(d)));
      child.stderr.on('data', (d) => (err += String(d)));
      child.on('close', (code) => resolve({ code, out, err, ms: performance.now() - started }));
    });

  it('exits 0 on pong, and 1 within 10 s naming what failed, the key masked', async () => {
    standIn = await startKmsStandIn({ path: KEY });
    const ok = await run(standIn.url);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^kms ws:\/\/127\.0\.0\.1:\d+\/\*\*\*\*: pong in \d+ ms\n$/);
    standIn.mode = 'silent';
    const silent = await run(standIn.url);
    expect(silent.code).toBe(1);
    expect(silent.err).toContain('no-answer: no answer to ping within 5 s');
    expect(silent.ms).toBeLessThan(10_000);
    expect(`${ok.out}${silent.err}`).not.toContain(KEY);
    await standIn.close();
    const refused = await run(standIn.url);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('refused');
    standIn = undefined;
  });

  it('exits 2 on a URL that is not ws:// or wss://', async () => {
    const r = await run('http://127.0.0.1:1/x');
    expect(r.code).toBe(2);
    expect(r.err).toContain('--kms http://127.0.0.1:1/****: expected a ws:// or wss:// URL');
  });
});
