import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkProfileName, hasProfile, isProfileName, profileKeyId, upsertProfile } from '../../src/cli/auth/profile-file.js';

const KEYS = { accessKeyId: 'AKIANEWKEY0000000001', secretAccessKey: 'newSecret0000000000000000000000000000000' };

/** The profiles the AWS SDKs read from that credentials file text. */
async function parseIni(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-ini-'));
  writeFileSync(join(dir, 'credentials'), text);
  return (await loadSharedConfigFiles({ filepath: join(dir, 'credentials'), configFilepath: join(dir, 'config'), ignoreCache: true })).credentialsFile;
}

const OTHERS = [
  '# managed by hand; keep this comment',
  '[default]',
  'aws_access_key_id = AKIADEFAULT000000001',
  'aws_secret_access_key=defaultSecret',
  '',
  '; the work account',
  '[work]   # trailing comment',
  'region = eu-west-1',
  'aws_access_key_id   =   AKIAWORK000000000001',
  '',
].join('\n');

describe('upsertProfile', () => {
  it('writes one section into an empty file', () => {
    expect(upsertProfile('', 'elasticrtc', KEYS)).toBe('[elasticrtc]\naws_access_key_id = AKIANEWKEY0000000001\naws_secret_access_key = newSecret0000000000000000000000000000000\n');
  });

  it('appends a section and leaves every other byte as it was', async () => {
    const out = upsertProfile(OTHERS, 'elasticrtc', KEYS);
    expect(out.startsWith(OTHERS)).toBe(true);
    expect(out.slice(OTHERS.length)).toBe('\n[elasticrtc]\naws_access_key_id = AKIANEWKEY0000000001\naws_secret_access_key = newSecret0000000000000000000000000000000\n');
    // What the AWS SDKs read back.
    const parsed = await parseIni(out);
    expect(parsed.elasticrtc).toEqual({ aws_access_key_id: KEYS.accessKeyId, aws_secret_access_key: KEYS.secretAccessKey });
    expect(parsed.default?.aws_access_key_id).toBe('AKIADEFAULT000000001');
    expect(parsed.work?.region).toBe('eu-west-1');
  });

  it('finishes an unterminated last line, and keeps CRLF endings', () => {
    expect(upsertProfile('[a]\nx = 1', 'b', KEYS)).toBe(`[a]\nx = 1\n\n[b]\naws_access_key_id = ${KEYS.accessKeyId}\naws_secret_access_key = ${KEYS.secretAccessKey}\n`);
    const crlf = '[a]\r\nx = 1\r\n';
    expect(upsertProfile(crlf, 'b', KEYS)).toBe(`${crlf}\r\n[b]\r\naws_access_key_id = ${KEYS.accessKeyId}\r\naws_secret_access_key = ${KEYS.secretAccessKey}\r\n`);
  });

  it('replaces the keys of an existing profile in place, keeping its other settings and the other profiles', async () => {
    const out = upsertProfile(OTHERS, 'work', KEYS);
    const expected = OTHERS.replace('[work]   # trailing comment\n', `[work]   # trailing comment\naws_secret_access_key = ${KEYS.secretAccessKey}\n`).replace(
      'aws_access_key_id   =   AKIAWORK000000000001',
      `aws_access_key_id = ${KEYS.accessKeyId}`,
    );
    expect(out).toBe(expected);
    expect((await parseIni(out)).work).toEqual({ region: 'eu-west-1', aws_access_key_id: KEYS.accessKeyId, aws_secret_access_key: KEYS.secretAccessKey });
  });

  it('removes a stale session token, and repeated keys of that profile', async () => {
    const text = '[tmp]\naws_access_key_id = ASIAOLD0000000000001\naws_secret_access_key = old\naws_session_token = oldToken\n[other]\naws_session_token = keep\n[tmp]\naws_access_key_id = ASIAOLD0000000000002\n';
    const out = upsertProfile(text, 'tmp', KEYS);
    expect(out).toBe(`[tmp]\naws_access_key_id = ${KEYS.accessKeyId}\naws_secret_access_key = ${KEYS.secretAccessKey}\n[other]\naws_session_token = keep\n[tmp]\n`);
    expect((await parseIni(out)).tmp).toEqual({ aws_access_key_id: KEYS.accessKeyId, aws_secret_access_key: KEYS.secretAccessKey });
  });

  it('writes a session token when one is given', async () => {
    const out = upsertProfile('[tmp]\naws_session_token = old\n', 'tmp', { ...KEYS, sessionToken: 'newToken' });
    expect((await parseIni(out)).tmp).toEqual({ aws_access_key_id: KEYS.accessKeyId, aws_secret_access_key: KEYS.secretAccessKey, aws_session_token: 'newToken' });
  });

  it('adds keys to a profile header on the last line', () => {
    expect(upsertProfile('[a]\nregion = x\n[b]', 'b', KEYS)).toBe(`[a]\nregion = x\n[b]\naws_access_key_id = ${KEYS.accessKeyId}\naws_secret_access_key = ${KEYS.secretAccessKey}\n`);
  });

  it('refuses bad names and values that would break the file', () => {
    expect(() => upsertProfile('', 'a]b', KEYS)).toThrow(/profile name/);
    expect(() => upsertProfile('', 'ok', { ...KEYS, secretAccessKey: 'x\n[evil]' })).toThrow(/aws_secret_access_key/);
  });
});

describe('profiles', () => {
  it('finds sections and their key ids', () => {
    expect(hasProfile(OTHERS, 'work')).toBe(true);
    expect(hasProfile(OTHERS, 'default')).toBe(true);
    expect(hasProfile(OTHERS, 'elasticrtc')).toBe(false);
    expect(profileKeyId(OTHERS, 'work')).toBe('AKIAWORK000000000001');
    expect(profileKeyId(OTHERS, 'nope')).toBeUndefined();
  });

  it('checks names: letters, digits, "-", "_" and "."', () => {
    for (const ok of ['elasticrtc', 'my-profile_2.prod', 'A']) expect(isProfileName(ok)).toBe(true);
    for (const bad of ['', 'has space', 'a]b', 'ünï', 'x'.repeat(65)]) expect(isProfileName(bad)).toBe(false);
    expect(checkProfileName('a b')).toMatch(/^profile name "a b": use only letters/);
  });
});
