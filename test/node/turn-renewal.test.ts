import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeNodeFiles } from '../../src/node/boot.js';
import { nodeFiles } from '../../src/node/config/files.js';
import { KMS_TURN_CREDENTIAL_TTL_S } from '../../src/node/config/turn.js';
import type { NodeContext } from '../../src/node/context.js';
import { renewTurn, turnExpiry } from '../../src/node/turn-renewal.js';
import { FakeClock } from '../support/context.js';
import { type KmsStandIn, startKmsStandIn } from '../support/kms-stand-in.js';
import { NOW, nodeInputs, testSecret } from '../support/node-inputs.js';

const secret = testSecret();
let standIn: KmsStandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

async function node(options: { pipelines: string[]; ageS: number; turn?: boolean }) {
  standIn = await startKmsStandIn({ path: secret.apiKey, pipelines: options.pipelines });
  const env = { STACK_NAME: 'demo', REGION: 'eu-west-1', SECRET_ARN: 'arn:secret', KMS_PORT: String(standIn.port), TURN: String(options.turn ?? true) };
  const dir = mkdtempSync(join(tmpdir(), 'renew-'));
  writeFileSync(join(dir, 'node.env'), Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n'));
  await writeNodeFiles(nodeFiles({ ...nodeInputs(env, secret), nowMs: NOW }), join(dir, 'etc'), join(dir, 'units'));
  const clock = new FakeClock(NOW + options.ageS * 1000);
  const runs: string[] = [];
  const ctx: NodeContext = {
    out: { write: () => undefined },
    err: { write: () => undefined },
    clock,
    env: {},
    cloud: () => ({ secret: async () => JSON.stringify(secret), signal: async () => undefined }),
    run: async (c, a) => (runs.push(`${c} ${a.join(' ')}`), { code: 0, stdout: '', stderr: '' }),
  };
  const ini = () => readFileSync(join(dir, 'etc', 'kurento', 'modules', 'kurento', 'WebRtcEndpoint.conf.ini'), 'utf8');
  const before = ini();
  const outcome = await renewTurn(ctx, { envFile: join(dir, 'node.env'), configDir: join(dir, 'etc'), unitDir: join(dir, 'units'), identity: async () => ({ instanceId: 'i-1', region: 'eu-west-1', publicIp: '203.0.113.10', privateIp: '10.0.0.10' }) });
  return { outcome, runs, before, after: ini(), clock };
}

describe('renew-turn', () => {
  it('leaves a credential with time left alone, without asking Kurento', async () => {
    const r = await node({ pipelines: [], ageS: 3600 });
    expect(r.outcome).toBe('not-due');
    expect(r.after).toBe(r.before);
    expect(r.runs).toEqual([]);
    expect(standIn?.requests).toEqual([]);
  });

  it('renews a credential near its end when Kurento is idle, and restarts Kurento', async () => {
    const r = await node({ pipelines: [], ageS: 2 * 86_400 });
    expect(r.outcome).toBe('renewed');
    expect(turnExpiry(r.after)).toBe(Math.floor(r.clock.now() / 1000) + KMS_TURN_CREDENTIAL_TTL_S);
    expect(turnExpiry(r.after)).toBeGreaterThan(turnExpiry(r.before) ?? Infinity);
    expect(r.runs).toEqual(['systemctl restart elasticrtc-kms.service']);
    expect(standIn?.requests.map((q) => q.method).filter(Boolean)).toEqual(['invoke', 'closeSession']);
  });

  it('defers while Kurento holds pipelines: restarting would drop them', async () => {
    const r = await node({ pipelines: ['a8f2c0e4-1b2c-4d5e-8f90-112233445566_kurento.MediaPipeline'], ageS: 2 * 86_400 });
    expect(r.outcome).toBe('deferred-busy');
    expect(r.after).toBe(r.before);
    expect(r.runs).toEqual([]);
  });

  it('has nothing to do without TURN', async () => {
    const r = await node({ pipelines: [], ageS: 10 * 86_400, turn: false });
    expect(r.outcome).toBe('no-turn');
  });
});
