import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Imds } from '../../src/node/imds.js';
import { CredentialFormatError, formatKvsCredentials, kvsExpiration } from '../../src/node/apps/kvs-relay/credential-file.js';
import { CredentialSidecar } from '../../src/node/apps/kvs-relay/credential-sidecar.js';
import { imdsCredentialSource } from '../../src/node/apps/kvs-relay/credential-source.js';
import { FakeClock } from '../support/context.js';
import { type FakeImds, startFakeImds } from '../support/fake-imds.js';

const MIN = 60_000;

/**
 * kvssink's reader, transcribed from the producer SDK (producer-c v1.6.2, FileCredentialProvider.c
 * `readFileCredentials` and Util.c `convertTimestampToEpoch`), to judge the file by:
 * `fscanf("%11s %128s %128s %128s %2048s")`, marker `CREDENTIALS`, five fields = with expiration,
 * the expiration exactly `YYYY-MM-DDTHH:mm:SSZ` read at fixed offsets, and not in the past.
 */
function kvssinkRead(text: string, nowMs: number): { accessKeyId: string; secretKey: string; sessionToken: string; expirationS: number } {
  expect(text.length).toBeLessThan(10_000); // MAX_CREDENTIAL_FILE_LEN
  const tokens = text.split(/[ \t\n\r\f\v]+/).filter(Boolean);
  const [marker, accessKeyId, third, fourth, fifth] = tokens;
  expect(marker).toBe('CREDENTIALS');
  expect(tokens).toHaveLength(5); // a fourth token: the form with expiration and session token
  expect(accessKeyId!.length).toBeLessThanOrEqual(128);
  expect(third!.length).toBeLessThanOrEqual(128);
  expect(fourth!.length).toBeLessThanOrEqual(128);
  expect(fifth!.length).toBeLessThanOrEqual(2048);
  const ts = third!;
  expect(ts.length).toBe('YYYY-MM-DDTHH:mm:SSZ'.length);
  const num = (from: number, to: number) => {
    const s = ts.slice(from, to);
    expect(s).toMatch(/^\d+$/);
    return Number(s);
  };
  const [y, mo, d, h, mi, s] = [num(0, 4), num(5, 7), num(8, 10), num(11, 13), num(14, 16), num(17, 19)];
  expect(mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && s < 61).toBe(true);
  const expirationS = Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
  expect(expirationS).toBeGreaterThanOrEqual(Math.floor(nowMs / 1000)); // STATUS_IOT_EXPIRATION_OCCURS_IN_PAST otherwise
  return { accessKeyId: accessKeyId!, secretKey: fourth!, sessionToken: fifth!, expirationS };
}

let imds: FakeImds | undefined;
afterEach(async () => {
  await imds?.close();
  imds = undefined;
});

async function setup(expiresInMs = 6 * 60 * MIN) {
  const clock = new FakeClock(Date.UTC(2026, 2, 1, 8, 0, 0));
  imds = await startFakeImds({ now: () => clock.now(), credentials: { expiration: clock.now() + expiresInMs } });
  const dir = mkdtempSync(join(tmpdir(), 'kvs-cred-'));
  const file = join(dir, 'run', 'credentials');
  const lines: string[] = [];
  const sidecar = new CredentialSidecar({ file, clock, source: imdsCredentialSource(new Imds({ endpoint: imds.url, attempts: 1 })), log: (l) => lines.push(l) });
  return { clock, imds, dir, file, lines, sidecar };
}

describe('the kvs-relay credential file', () => {
  it('is what kvssink reads: CREDENTIALS <key id> <YYYY-MM-DDTHH:mm:SSZ> <secret> <token>, 0600', async () => {
    const { clock, imds, file, sidecar } = await setup();
    await sidecar.refresh();
    const served = imds.credentials();
    const text = readFileSync(file, 'utf8');
    expect(text).toBe(`CREDENTIALS ${served.accessKeyId} ${kvsExpiration(served.expiration)} ${served.secretAccessKey} ${served.token}\n`);
    const read = kvssinkRead(text, clock.now());
    expect(read).toEqual({ accessKeyId: served.accessKeyId, secretKey: served.secretAccessKey, sessionToken: served.token, expirationS: Math.floor(served.expiration / 1000) });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    expect(sidecar.status()).toMatchObject({ state: 'fresh', expiration: kvsExpiration(served.expiration), writes: 1, failures: 0 });
  });

  it('formats the expiration to the second, never later than the real one', () => {
    expect(kvsExpiration(Date.UTC(2026, 0, 2, 3, 4, 5, 999))).toBe('2026-01-02T03:04:05Z');
    expect(kvsExpiration(Date.UTC(2026, 11, 31, 23, 59, 59, 0))).toBe('2026-12-31T23:59:59Z');
  });

  it('refuses what kvssink would cut or split, without printing the secret', () => {
    const base = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'c2VjcmV0', sessionToken: 'dG9rZW4=', expiration: Date.UTC(2026, 0, 1) };
    const tooLong = 'T'.repeat(2049);
    expect(() => formatKvsCredentials({ ...base, sessionToken: tooLong })).toThrow(new CredentialFormatError('the session token has 2049 characters: kvssink reads at most 2048'));
    expect(() => formatKvsCredentials({ ...base, secretAccessKey: 'has space' })).toThrow(/secret access key is empty or holds white space/);
    try {
      formatKvsCredentials({ ...base, secretAccessKey: 'has space' });
    } catch (error) {
      expect(String(error)).not.toContain('has space');
    }
  });

  it('is rewritten when IMDS serves new credentials, before the old ones end, asking every minute in the last 15', async () => {
    const { clock, imds, file, lines, sidecar } = await setup(20 * MIN);
    const first = imds.credentials();
    expect(await sidecar.refresh()).toBe(5 * MIN); // 20 min left: next look when 15 are left
    clock.time += 5 * MIN;
    expect(await sidecar.refresh()).toBe(1 * MIN); // IMDS has not rotated yet: ask every minute
    expect(sidecar.status()).toMatchObject({ state: 'expiring', writes: 1 });
    expect(lines.some((l) => l.includes('still serves credentials'))).toBe(true);
    clock.time += 1 * MIN;
    expect(await sidecar.refresh()).toBe(1 * MIN);
    // EC2 rotates the role's credentials (at least 5 min before the end): the next look picks them up.
    clock.time += 1 * MIN;
    const second = imds.setCredentials();
    expect(await sidecar.refresh()).toBe(5 * MIN);
    const read = kvssinkRead(readFileSync(file, 'utf8'), clock.now());
    expect(read.accessKeyId).toBe(second.accessKeyId);
    expect(read.expirationS).toBe(Math.floor(second.expiration / 1000));
    expect(first.expiration - clock.now()).toBeGreaterThan(10 * MIN); // replaced well before the old ones ended
    expect(sidecar.status()).toMatchObject({ state: 'fresh', writes: 2 });
    // Same credentials again: the file is left alone.
    clock.time += 5 * MIN;
    const ino = statSync(file).ino;
    await sidecar.refresh();
    expect(statSync(file).ino).toBe(ino);
    expect(sidecar.status().writes).toBe(2);
  });

  it('replaces the file atomically: a reader sees the old or the new file whole, never a part, and no temporary file stays', async () => {
    const { clock, imds, dir, file, sidecar } = await setup();
    await sidecar.refresh();
    let reads = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        kvssinkRead(await readFile(file, 'utf8'), clock.now());
        reads++;
      }
    })();
    const inodes = new Set<number>();
    for (let i = 0; i < 40; i++) {
      imds.setCredentials();
      await sidecar.refresh();
      inodes.add(statSync(file).ino);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    stop = true;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect(inodes.size).toBeGreaterThan(1); // renamed over, not written in place
    expect(kvssinkRead(readFileSync(file, 'utf8'), clock.now()).accessKeyId).toBe(imds.credentials().accessKeyId);
    expect(readdirSync(join(dir, 'run'))).toEqual(['credentials']);
  });

  it('backs off while IMDS fails, keeps the last good file, and never logs a secret', async () => {
    const { clock, imds, file, lines, sidecar } = await setup();
    await sidecar.refresh();
    const before = readFileSync(file, 'utf8');
    imds.failPath('iam/security-credentials/elasticrtc-node', 500, 4);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      delays.push(await sidecar.refresh());
      clock.time += delays.at(-1)!;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000]);
    expect(sidecar.status()).toMatchObject({ state: 'fresh', failures: 4, lastError: 'instance metadata /latest/meta-data/iam/security-credentials/elasticrtc-node: HTTP 500' });
    expect(readFileSync(file, 'utf8')).toBe(before);
    const rotated = imds.setCredentials();
    expect(await sidecar.refresh()).toBe(5 * MIN);
    expect(sidecar.status()).toMatchObject({ failures: 0, writes: 2 });
    expect(sidecar.status().lastError).toBeUndefined();
    // An expired IMDS token (401) is one failed round; the next takes a new token.
    imds.expireTokens();
    expect(await sidecar.refresh()).toBe(1000);
    expect(await sidecar.refresh()).toBe(5 * MIN);
    for (const secret of [imds.credentials().secretAccessKey, imds.credentials().token, rotated.secretAccessKey]) {
      expect(lines.join('\n')).not.toContain(secret);
      expect(JSON.stringify(sidecar.status())).not.toContain(secret);
    }
  });

  it('caps the back-off at a minute, so credentials IMDS rotates are never missed for long', async () => {
    const { clock, imds, sidecar } = await setup();
    imds.failPath('iam/security-credentials/', 'drop');
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      delays.push(await sidecar.refresh());
      clock.time += delays.at(-1)!;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(sidecar.status().state).toBe('pending');
  });

  it('does not write credentials too close to their end for kvssink (38 s)', async () => {
    const { file, sidecar } = await setup(30_000);
    expect(await sidecar.refresh()).toBe(1000);
    expect(sidecar.status()).toMatchObject({ state: 'pending', failures: 1 });
    expect(sidecar.status().lastError).toMatch(/too close for kvssink/);
    expect(() => statSync(file)).toThrow();
  });
});
