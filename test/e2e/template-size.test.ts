import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointEnv, runCli } from '../support/cli.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
});
afterAll(async () => {
  await fake.close();
});

/** The room demo, 24 --control-origin blocks and ten long-named archived streams: a template over 51,200 bytes. */
function oversized(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'size-'));
  const streams = Array.from({ length: 10 }, (_, i) => `  - { name: a-rather-long-stream-name-number-${i + 1}-of-the-archive, url: 'https://radio.example.com/live/${i + 1}.mp3', segment-seconds: 300 }`);
  writeFileSync(join(dir, 'big.yaml'), `enable-app: [room, audio-archive]\nstreams:\n${streams.join('\n')}\n`);
  const blocks = Array.from({ length: 24 }, (_, i) => `10.${i + 1}.0.0/16`).join(',');
  return ['--stack-name', 'demo-with-a-long-name', '--region', 'eu-west-1', '-f', join(dir, 'big.yaml'), '--control-origin', blocks, '--aws-key-name', 'ops'];
}

describe('a template over CloudFormation’s inline limit', () => {
  it('is exit 2 before anything is created: no bucket, no secret, no stack', async () => {
    const before = fake.requests.length;
    const r = await runCli(['create', ...oversized(), '-o', 'json'], endpointEnv(fake.url));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bytes of template: is over CloudFormation's 51200-byte limit/);
    const writes = fake.requests.slice(before).filter((q) => !/^(Get|Describe|List|Head)/.test(q.action));
    expect(writes).toEqual([]);
    expect(fake.stack('demo-with-a-long-name')).toBeUndefined();
  });

  it('is the same exit 2 on a dry run', async () => {
    const r = await runCli(['create', ...oversized(), '--dry-run'], endpointEnv(fake.url));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('over CloudFormation');
  });
});
