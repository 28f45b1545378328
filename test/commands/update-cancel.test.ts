import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { selfSigned } from '../fake-aws/certs.js';
import { FakeClock, testContext } from '../support/context.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';

// The CLI (in process) and the fake AWS share one virtual clock: minutes of stack operation take no time.
const clock = new FakeClock(Date.now());
let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5000, now: () => clock.now() });
});
afterAll(() => fake.close());

const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-cancel-'));
let n = 0;
function certificateFiles(name: string): string[] {
  const pair = selfSigned({ commonName: name, notBefore: new Date(clock.now() - 86_400_000), notAfter: new Date(clock.now() + 90 * 86_400_000) });
  n += 1;
  writeFileSync(join(dir, `c${n}.pem`), pair.certificatePem);
  writeFileSync(join(dir, `k${n}.pem`), pair.privateKeyPem);
  return ['--ssl-cert', join(dir, `c${n}.pem`), '--ssl-key', join(dir, `k${n}.pem`)];
}
const env = () => ({ AWS_ENDPOINT_URL: fake.url, AWS_REGION: 'eu-west-1', HOME: dir });
// As flags: the SDK's default chain would read the test process's environment, not the context's.
const keys = ['--aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE', '--aws-secret-access-key', 'secret'];
const imported = (cluster: string) => fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === cluster).map((c) => c.arn);

describe('update, Ctrl-C at a terminal, "cancel"', () => {
  it('rolls the cluster back, follows the rollback, and deletes the certificate the update imported (exit 130)', async () => {
    const created = testContext({ env: env(), clock });
    expect(await main(['create', '--stack-name', 'cancelled', ...certificateFiles('cancelled.example.com'), ...keys, '--non-interactive'], created.ctx)).toBe(0);
    const [first] = imported('cancelled');

    const t = testContext({ env: env(), clock, tty: true, answers: [{ kind: 'select', match: /Ctrl-C: what now with the update of cancelled/, value: 'cancel' }] });
    // The change set is ready after 5 s and executed by ~7 s; the update takes minutes of virtual time.
    clock.at(clock.now() + 20_000, () => t.signals.emit('SIGINT'));
    fake.resetRequests();
    const code = await main(['update', '--stack-name', 'cancelled', ...certificateFiles('cancelled.example.com'), ...keys, '--yes'], t.ctx);
    expect(t.err()).toContain('update of cancelled cancelled: the cluster was rolled back (UPDATE_ROLLBACK_COMPLETE)');
    expect(code).toBe(130);
    expect(fake.count({ action: 'CancelUpdateStack' })).toBe(1);
    expect(fake.stack('cancelled')?.parameters.CertificateArn).toBe(first);
    expect(imported('cancelled')).toEqual([first]);
  });
});
