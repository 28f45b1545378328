import { CloudFormationClient, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSigned } from '../fake-aws/certs.js';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';

let fake: FakeAws;
beforeAll(async () => {
  fake = await startFakeAws({ stepMs: 5 });
});
afterAll(() => fake.close());

const region = ['--region', 'eu-west-1', '--non-interactive'];
const json = [...region, '-o', 'json'];
const client = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'x' } };

/** A certificate valid around the real clock the binary reads. */
function certificateFiles(name: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-leftovers-'));
  const day = 86_400_000;
  const tls = selfSigned({ commonName: name, notBefore: new Date(Date.now() - day), notAfter: new Date(Date.now() + 90 * day) });
  writeFileSync(join(dir, 'cert.pem'), tls.certificatePem);
  writeFileSync(join(dir, 'key.pem'), tls.privateKeyPem);
  return ['--ssl-cert', join(dir, 'cert.pem'), '--ssl-key', join(dir, 'key.pem')];
}

/** A deletion nobody followed to its end (Ctrl-C → detach, a killed CI job): the stack goes, the rest stays. */
async function deleteBehindTheToolsBack(name: string): Promise<void> {
  await new CloudFormationClient({ ...client, endpoint: fake.url }).send(new DeleteStackCommand({ StackName: name }));
  for (let i = 0; i < 400 && fake.stack(name)?.status !== 'DELETE_COMPLETE'; i++) await new Promise((r) => setTimeout(r, 10));
  expect(fake.stack(name)?.status).toBe('DELETE_COMPLETE');
}

describe('what a deleted cluster left behind', () => {
  it('show names the secret and the certificate left, and the delete that removes them; list notes the secret', async () => {
    const env = endpointEnv(fake.url);
    expect((await runCli(['create', '--stack-name', 'kept', ...json], env)).code).toBe(0);
    expect((await runCli(['create', '--stack-name', 'gone', ...certificateFiles('gone.example.com'), ...json], env)).code).toBe(0);
    const certificate = fake.certificates().find((c) => c.tags['elasticrtc:cluster'] === 'gone')?.arn;
    expect(certificate).toBeDefined();
    await deleteBehindTheToolsBack('gone');

    const shown = await runCli(['show', '--stack-name', 'gone', ...region], env);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain(`no cluster named gone in eu-west-1: its stack is gone, but it left the secret elasticrtc/gone and 1 certificate imported into ACM for it (${certificate})`);
    expect(shown.stderr).toContain('"elasticrtc delete --stack-name gone --region eu-west-1" removes what is left');
    const shownJson = await runCli(['show', '--stack-name', 'gone', '--events', ...json], env);
    expect(shownJson.code).toBe(2);
    expect(onlyJson(shownJson.stdout).error).toMatchObject({ code: 'ClusterNotFound', exitCode: 2, message: expect.stringContaining('it left the secret elasticrtc/gone') as string, hint: expect.stringContaining('elasticrtc delete --stack-name gone') as string });

    fake.resetRequests();
    const listed = await runCli(['list', ...json], env);
    expect(listed.code).toBe(0);
    const doc = onlyJson(listed.stdout);
    expect((doc.clusters as { name: string }[]).map((c) => c.name)).toEqual(['kept']);
    expect(doc.leftovers).toEqual([{ name: 'gone', region: 'eu-west-1', secret: 'elasticrtc/gone' }]);
    // One page of stacks: the credential check, DescribeStacks, and one ListSecrets.
    expect(fake.requests.map((r) => r.action).sort()).toEqual(['DescribeStacks', 'GetCallerIdentity', 'ListSecrets']);
    const listedText = await runCli(['list', ...region], env);
    expect(listedText.stderr).toContain('note: cluster gone (eu-west-1) is gone but left its secret elasticrtc/gone; remove it with: elasticrtc delete --stack-name gone --region eu-west-1');
    expect(listedText.stdout).not.toContain('gone');

    const deleted = await runCli(['delete', '--stack-name', 'gone', '--yes', ...json], env);
    expect(deleted.code).toBe(0);
    expect(fake.certificates().filter((c) => c.tags['elasticrtc:cluster'] === 'gone')).toEqual([]);
    expect(onlyJson((await runCli(['list', ...json], env)).stdout).leftovers).toEqual([]);
    const after = await runCli(['show', '--stack-name', 'gone', ...region], env);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('no cluster named gone in eu-west-1');
    expect(after.stderr).not.toContain('left');
  });

  it('list leaves out secrets that are not cluster secrets and clusters still there', async () => {
    const sm = new SecretsManagerClient({ ...client, endpoint: fake.url });
    await sm.send(new CreateSecretCommand({ Name: 'elasticrtc/team/shared', SecretString: 'x' })); // not a stack name
    await sm.send(new CreateSecretCommand({ Name: 'ElasticRTC/upper', SecretString: 'x' })); // Secrets Manager's filter ignores case; names do not
    await sm.send(new CreateSecretCommand({ Name: 'elasticrtc/orphan', SecretString: 'x' }));
    const doc = onlyJson((await runCli(['list', ...json], endpointEnv(fake.url))).stdout);
    expect(doc.leftovers).toEqual([{ name: 'orphan', region: 'eu-west-1', secret: 'elasticrtc/orphan' }]);
  });

  it('a list that cannot read Secrets Manager still lists the clusters, with a warning', async () => {
    fake.faults.denyAccess('ListSecrets');
    const r = await runCli(['list', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    const doc = onlyJson(r.stdout);
    expect((doc.clusters as { name: string }[]).map((c) => c.name)).toContain('kept');
    expect(doc.leftovers).toEqual([]);
    expect(r.stderr).toMatch(/warning: could not look for what deleted clusters left in eu-west-1: /);
  });
});
