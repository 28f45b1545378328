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
