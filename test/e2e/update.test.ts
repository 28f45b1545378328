import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';
import { blockFakeAws } from './block-fake-aws.js';

// The describe blocks of this file run at the same time (`concurrent`), each against a fake AWS of
// its own: they count requests and inject failures, so they cannot share one. The tests of a block
// build on each other and run in order (`it.sequential`). Each command waits on the CLI's real-time
// polling, so running the blocks side by side is what keeps this file short.
const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];

/** The commands and read-outs of this file, against the fake AWS of a describe block. */
function against(aws: FakeAws) {
  const env = () => endpointEnv(aws.url);
  return {
    env,
    create: (name: string, extra: string[]) => runCli(['create', '--stack-name', name, ...extra, ...json], env()),
    update: (name: string, extra: string[]) => runCli(['update', '--stack-name', name, ...extra, '--yes', ...json], env()),
    capacity: (name: string) => {
      const p = aws.stack(name)?.parameters ?? {};
      return { min: p.MinCapacity, max: p.MaxCapacity, desired: p.DesiredCapacity };
    },
    writes: () => aws.requests.filter((q) => /^(Create|Put|Import|Delete|Update|Execute)/.test(q.action)),
    imported: (cluster: string) => aws.certificates().filter((c) => c.tags['elasticrtc:cluster'] === cluster).map((c) => c.arn),
  };
}

describe('update: the cluster’s settings with this update’s flags on top', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const { create, update, capacity, writes } = against(fake);

  it.sequential('the README’s example: new bounds on an autoscaling cluster carry the current desired capacity into them', async () => {
    expect((await create('bounds', ['--min-capacity', '1', '--max-capacity', '4'])).code).toBe(0);
    const r = await update('bounds', ['--max-capacity', '8', '--min-capacity', '2']);
    expect(r.stderr).not.toContain('--desired-capacity');
    expect(r.code).toBe(0);
    expect(capacity('bounds')).toEqual({ min: '2', max: '8', desired: '2' });
    // What changes, and where each value comes from.
    expect(r.stderr).toMatch(/min-capacity +1 → 2 +\(--min-capacity\)/);
    expect(r.stderr).toMatch(/desired-capacity +1 → 2 +\(follows the new bounds\)/);
    // Lower bounds pull it down the same way.
    expect((await update('bounds', ['--min-capacity', '0', '--max-capacity', '1'])).code).toBe(0);
    expect(capacity('bounds')).toEqual({ min: '0', max: '1', desired: '1' });
  });

  it.sequential('a fixed-size cluster given only --desired-capacity stays fixed at that size', async () => {
    expect((await create('fixed', [])).code).toBe(0);
    const r = await update('fixed', ['--desired-capacity', '3']);
    expect(r.stderr).not.toContain('--max-capacity');
    expect(r.code).toBe(0);
    expect(capacity('fixed')).toEqual({ min: '3', max: '3', desired: '3' });
    expect((await update('fixed', ['--desired-capacity', '2'])).code).toBe(0);
    expect(capacity('fixed')).toEqual({ min: '2', max: '2', desired: '2' });
  });

  it.sequential('bounds given to a fixed-size cluster make it autoscaling, its size clamped into them', async () => {
    expect((await create('grows', ['--desired-capacity', '3'])).code).toBe(0);
    expect((await update('grows', ['--min-capacity', '1', '--max-capacity', '2'])).code).toBe(0);
    expect(capacity('grows')).toEqual({ min: '1', max: '2', desired: '2' });
  });

  it.sequential('an explicit --desired-capacity outside the bounds given with it: exit 2 naming the flags, zero requests to AWS', async () => {
    fake.resetRequests();
    const r = await update('bounds', ['--desired-capacity', '9', '--min-capacity', '2', '--max-capacity', '8']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--desired-capacity 9: is above --max-capacity 8');
    expect(fake.requests).toEqual([]);
  });

  it.sequential('an explicit --desired-capacity outside the cluster’s bounds: exit 2 naming them, nothing changed', async () => {
    fake.resetRequests();
    const r = await update('bounds', ['--desired-capacity', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--desired-capacity 5: is above --max-capacity 1');
    expect(writes()).toEqual([]);
  });
});

// Certificates are made here, valid around the real clock the binary reads.
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-update-tls-'));
let n = 0;
function certificateFiles(name: string): string[] {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const priv = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.setRsaPublicKey(priv.n, priv.e);
  n += 1;
  c.serialNumber = `0${n}`;
  c.validity.notBefore = new Date(Date.now() - DAY);
  c.validity.notAfter = new Date(Date.now() + 90 * DAY);
  c.setSubject([]);
  c.setIssuer([]);
  c.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'subjectAltName', altNames: [{ type: 2, value: name }] }]);
  c.sign(priv, forge.md.sha256.create());
  const certPath = join(dir, `c${n}.pem`);
  const keyPath = join(dir, `k${n}.pem`);
  writeFileSync(certPath, forge.pki.certificateToPem(c));
  writeFileSync(keyPath, keyPem);
  return ['--ssl-cert', certPath, '--ssl-key', keyPath];
}

describe('update: a new certificate replaces the cluster’s TLS source', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const { create, update, writes, imported } = against(fake);

  it.sequential('new files on a cluster made from files: imported, served, the previous import deleted; again after another update', async () => {
    expect((await create('renewed', certificateFiles('renewed.example.com'))).code).toBe(0);
    const [first] = imported('renewed');
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(first);

    const renewal = await update('renewed', certificateFiles('renewed.example.com'));
    expect(renewal.stderr).not.toContain('cannot be combined');
    expect(renewal.code).toBe(0);
    const [second] = imported('renewed');
    expect(imported('renewed')).toHaveLength(1);
    expect(second).not.toBe(first);
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(second);
    expect(String(onlyJson(renewal.stdout).clusterUrl)).toMatch(/^wss:\/\/renewed\.example\.com\//);

    // An update of something else keeps the certificate; the next renewal still replaces it.
    expect((await update('renewed', ['--max-capacity', '3', '--min-capacity', '1'])).code).toBe(0);
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(second);
    const again = await update('renewed', certificateFiles('renewed.example.com'));
    expect(again.stderr).not.toContain('cannot be combined');
    expect(again.code).toBe(0);
    const [third] = imported('renewed');
    expect(imported('renewed')).toHaveLength(1);
    expect(third).not.toBe(second);
    expect(fake.stack('renewed')?.parameters.CertificateArn).toBe(third);
  });

  it.sequential('new files on a cluster made with --certificate-arn: imported and served; the user’s own certificate stays in ACM', async () => {
    const own = fake.addCertificate({ domainName: 'own.example.com' });
    expect((await create('owncert', ['--certificate-arn', own])).code).toBe(0);
    const r = await update('owncert', certificateFiles('own.example.com'));
    expect(r.stderr).not.toContain('cannot be combined');
    expect(r.code).toBe(0);
    const [arn] = imported('owncert');
    expect(fake.stack('owncert')?.parameters.CertificateArn).toBe(arn);
    expect(fake.certificates().some((c) => c.arn === own)).toBe(true);
  });

  it.sequential('--certificate-arn on a cluster made from files: served, the imported certificate deleted', async () => {
    expect((await create('toacm', certificateFiles('toacm.example.com'))).code).toBe(0);
    expect(imported('toacm')).toHaveLength(1);
    const own = fake.addCertificate({ domainName: 'toacm.example.com' });
    const r = await update('toacm', ['--certificate-arn', own]);
    expect(r.code).toBe(0);
    expect(fake.stack('toacm')?.parameters.CertificateArn).toBe(own);
    expect(imported('toacm')).toEqual([]);
  });

  it.sequential('a renewal that rolls back: the new import deleted, the previous certificate served and kept', async () => {
    expect((await create('renewfails', certificateFiles('renewfails.example.com'))).code).toBe(0);
    const [before] = imported('renewfails');
    fake.scenario.failNextUpdate('HttpsListener', 'listener refused');
    const r = await update('renewfails', certificateFiles('renewfails.example.com'));
    expect(r.code).toBe(5);
    expect(imported('renewfails')).toEqual([before]);
    expect(fake.stack('renewfails')?.parameters.CertificateArn).toBe(before);
  });

  it.sequential('new files and --certificate-arn together: exit 2 naming both, nothing imported', async () => {
    const own = fake.addCertificate({ domainName: 'both.example.com' });
    fake.resetRequests();
    const r = await update('renewed', [...certificateFiles('renewed.example.com'), '--certificate-arn', own]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--certificate-arn ${own}: cannot be combined with --ssl-cert/--ssl-key`);
    expect(writes()).toEqual([]);
  });
});

describe('update --dry-run: the change set created, shown and deleted; nothing else written', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const { env, create, writes } = against(fake);

  it.sequential('in CI without --yes: exit 0, the changes as JSON; the stack, the bucket, the secret and ACM unchanged', async () => {
    expect((await create('preview', ['--min-capacity', '1', '--max-capacity', '4', ...certificateFiles('preview.example.com')])).code).toBe(0);
    const before = fake.stack('preview');
    const certificates = fake.certificates().map((c) => c.arn);
    const objects = fake.objects('eu-west-1-preview').map((o) => o.key);
    fake.resetRequests();
    const r = await runCli(['update', '--stack-name', 'preview', '--max-capacity', '8', '--min-capacity', '2', '--aws-instance-type', 'c7i.xlarge', ...certificateFiles('preview.example.com'), '--dry-run', ...json], env());
    expect(r.stderr).not.toContain('--yes');
    expect(r.code).toBe(0);
    const doc = onlyJson(r.stdout);
    expect(doc).toMatchObject({ name: 'preview', region: 'eu-west-1', status: 'CREATE_COMPLETE', dryRun: true });
    const changed = (doc.changes as { logicalId: string }[]).map((c) => c.logicalId);
    expect(changed).toEqual(expect.arrayContaining(['NodeGroup', 'NodeLaunchTemplate', 'HttpsListener']));
    expect(r.stderr).toContain('the change set was deleted');
    // The change set was made, then deleted; nothing else was written anywhere.
    expect(writes().map((q) => q.action)).toEqual(['CreateChangeSet', 'DeleteChangeSet']);
    expect(fake.changeSets('preview')).toEqual([]);
    expect(fake.stack('preview')).toEqual(before);
    expect(fake.certificates().map((c) => c.arn)).toEqual(certificates);
    expect(fake.objects('eu-west-1-preview').map((o) => o.key)).toEqual(objects);
  });

  it.sequential('as text: the change table on stdout, and an update without --dry-run still needs --yes in CI', async () => {
    const r = await runCli(['update', '--stack-name', 'preview', '--desired-capacity', '3', '--dry-run', '--region', 'eu-west-1'], env());
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ACTION\tRESOURCE\tREPLACED\tNOTE\nmodify\t.*\(NodeGroup\)/);
    expect(fake.changeSets('preview')).toEqual([]);
    expect(fake.stack('preview')?.parameters.DesiredCapacity).toBe('1');
    const refused = await runCli(['update', '--stack-name', 'preview', '--desired-capacity', '3', ...json], env());
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--dry-run');
  });

  it.sequential('nothing to change: "up to date", exit 0, the change set deleted', async () => {
    const r = await runCli(['update', '--stack-name', 'preview', '--dry-run', ...json], env());
    expect(r.code).toBe(0);
    expect(onlyJson(r.stdout)).toMatchObject({ name: 'preview', changes: [], dryRun: true });
    expect(r.stderr).toContain('up to date');
    expect(fake.changeSets('preview')).toEqual([]);
  });
});

describe('update --no-wait with a new certificate: the previous import goes with the next update', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const { env, create, update, imported } = against(fake);

  it.sequential('kept while the listener may still use it, then deleted by the next update', async () => {
    expect((await create('detached', certificateFiles('detached.example.com'))).code).toBe(0);
    const [first] = imported('detached');
    const started = await runCli(['update', '--stack-name', 'detached', ...certificateFiles('detached.example.com'), '--no-wait', '--yes', ...json], env());
    expect(started.code).toBe(0);
    expect(onlyJson(started.stdout)).toMatchObject({ status: 'UPDATE_IN_PROGRESS' });
    expect(imported('detached')).toHaveLength(2);
    expect((await runCli(['show', '--stack-name', 'detached', '--wait', ...json], env())).code).toBe(0);
    const second = fake.stack('detached')?.parameters.CertificateArn;
    expect(second).not.toBe(first);
    expect((await update('detached', ['--desired-capacity', '2'])).code).toBe(0);
    expect(imported('detached')).toEqual([second]);
  });
});

/** Every kind of update on one cluster, followed to its end, on an endpoint that stamps event tokens or not. */
describe.each([true, false])('update end to end, events stamped with ClientRequestToken: %s', { concurrent: true }, (eventTokens) => {
  let aws: FakeAws;
  beforeAll(async () => {
    aws = await startFakeAws({ stepMs: 5, eventTokens });
  });
  afterAll(() => aws.close());
  const run = (args: string[]) => runCli([...args, ...json], endpointEnv(aws.url));
  const upd = async (args: string[]) => {
    const r = await run(['update', '--stack-name', 'every', ...args, '--yes']);
    expect(r.stderr).toMatch(/cluster every \(every\) updated/);
    expect(r.code).toBe(0);
    return onlyJson(r.stdout);
  };
  const template = () => JSON.parse(aws.stack('every')?.templateBody ?? '{}') as { Resources: Record<string, { Properties: Record<string, unknown> }> };

  it.sequential('capacity, instance type, scaling policies and certificate', async () => {
    const created = await run(['create', '--stack-name', 'every', '--min-capacity', '1', '--max-capacity', '3', ...certificateFiles('every.example.com')]);
    expect(created.code).toBe(0);
    const [first] = aws.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'every').map((c) => c.arn);

    expect(await upd(['--min-capacity', '2', '--max-capacity', '6'])).toMatchObject({ capacity: { min: 2, max: 6, desired: 2 } });
    expect(aws.stack('every')?.parameters).toMatchObject({ MinCapacity: '2', MaxCapacity: '6', DesiredCapacity: '2' });

    await upd(['--aws-instance-type', 'c7i.xlarge']);
    expect(aws.stack('every')?.parameters.InstanceType).toBe('c7i.xlarge');

    await upd(['--scale-out-policy', '80=20,90=50', '--scale-in-policy', '20=10']);
    expect(template().Resources.LoadHighAlarm?.Properties.Threshold).toBe(80);
    expect(template().Resources.LoadLowAlarm?.Properties.Threshold).toBe(20);

    const renewed = await upd(certificateFiles('every.example.com'));
    expect(String(renewed.clusterUrl)).toMatch(/^wss:\/\/every\.example\.com\//);
    const served = aws.stack('every')?.parameters.CertificateArn;
    expect(served).not.toBe(first);
    expect(aws.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'every').map((c) => c.arn)).toEqual([served]);
  }, 60_000);
});
