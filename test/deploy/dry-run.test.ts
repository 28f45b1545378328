import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialsConfigured } from '../../src/cli/auth/files.js';

/** A home folder with these shared files (none when undefined). */
function home(files: { credentials?: string; config?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-dry-run-'));
  if (files.credentials !== undefined) writeFileSync(join(dir, 'credentials'), files.credentials);
  if (files.config !== undefined) writeFileSync(join(dir, 'config'), files.config);
  return { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') };
}

describe('credentialsConfigured: whether a dry run may make its read-only look-ups, told offline', () => {
  it.each([
    ['nothing at all', {}, {}, false],
    ['--aws-access-key-id', {}, { 'aws-access-key-id': 'AKIA' }, true],
    ['--profile', {}, { profile: 'work' }, true],
    ['AWS_PROFILE', { AWS_PROFILE: 'work' }, {}, true],
    ['environment keys', { AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 'x' }, {}, true],
    ['half of the environment keys (the error then names the other half)', { AWS_ACCESS_KEY_ID: 'AKIA' }, {}, true],
    ['a container role', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials' }, {}, true],
    ['a web identity', { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/token' }, {}, true],
  ] as const)('%s: %s', async (_what, env, flags, expected) => {
    expect(await credentialsConfigured({ ...home(), ...env }, flags)).toBe(expected);
  });

  it.each([
    ['a default profile with keys', { credentials: '[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n' }, true],
    ['only another profile', { credentials: '[work]\naws_access_key_id = AKIA\n' }, false],
    ['a default SSO profile in the config file', { config: '[default]\nsso_session = corp\n' }, true],
    ['a default role profile in the config file', { config: '[profile default]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = base\n' }, true],
    ['a default profile with only a region', { config: '[default]\nregion = eu-west-1\n' }, false],
  ] as const)('shared files with %s: %s', async (_what, files, expected) => {
    expect(await credentialsConfigured(home(files), {})).toBe(expected);
  });
});
