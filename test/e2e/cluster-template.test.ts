import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allows, deployerPolicy } from '../../src/cluster/iam-policy.js';
import type { FakeAws } from '../support/fake-aws/index.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';
import { blockFakeAws } from './block-fake-aws.js';

// The describe blocks of this file run at the same time (`concurrent`), each against a fake AWS of
// its own: they count requests and inject failures, so they cannot share one. The tests of a block
// run in order (`it.sequential`). The last block is not concurrent: it runs after the others, and
// checks the calls they recorded.
const calls = new Set<string>();
const recordFrom = (fake: FakeAws) => {
  for (const r of fake.requests) calls.add(`${r.service}:${r.action}`);
};

const json = ['--region', 'eu-west-1', '--non-interactive', '-o', 'json'];
const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-config-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('bad input: exit 2, the flag and value named, zero requests to AWS', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });

  const cases: [string[], string][] = [
    [['--stack-name', 'x', '--min-capacity', '5', '--max-capacity', '3'], '--min-capacity 5'],
    [['--stack-name', 'x', '--max-capacity', '3'], '--max-capacity 3'],
    [['--stack-name', 'x', '--desired-capacity', '0'], '--desired-capacity 0'],
    [['--stack-name', 'x', '--min-capacity', '1', '--max-capacity', '101'], '--max-capacity 101'],
    [['--stack-name', 'x', '--min-capacity', '2', '--max-capacity', '4', '--desired-capacity', '9'], '--desired-capacity 9'],
    [['--stack-name', 'x', '--scale-out-policy', '75'], '--scale-out-policy 75'],
    [['--stack-name', 'x', '--scale-out-policy', '101=10'], '--scale-out-policy 101=10'],
    [['--stack-name', 'x', '--scale-in-policy', '90=10'], '--scale-in-policy 90'],
    [['--stack-name', 'x', '--scale-in-policy', '10=0'], '--scale-in-policy 10=0'],
    [['--stack-name', 'x', '--cost-map', 'Foo=1'], '--cost-map Foo'],
    [['--stack-name', 'x', '--cost-map', 'WebRtcEndpoint=abc'], '--cost-map WebRtcEndpoint=abc'],
    [['--stack-name', 'x', '--api-origin', '10.0.0.0/33'], '--api-origin 10.0.0.0/33'],
    [['--stack-name', 'x', '--control-origin', 'everyone'], '--control-origin everyone'],
    [['--stack-name', 'x', '--api-key', 'has-dash-not-allowed'], '--api-key'],
    [['--stack-name', 'x', '--aws-s3-bucket-name', 'Bad_Name'], '--aws-s3-bucket-name Bad_Name: has uppercase letters'],
    [['--stack-name', 'x', '--aws-s3-bucket-name', 'MyBucket'], '--aws-s3-bucket-name MyBucket: has uppercase letters: S3 bucket names are lowercase (give mybucket)'],
    [['--stack-name', 'a', '--stack-name', 'b'], '--stack-name is given twice with different values, a and b'],
    [['--stack-name', 'x', '--max-capacity', '4', '--min-capacity', '1', '--max-capacity', '8'], '--max-capacity is given twice with different values, 4 and 8'],
    [['--stack-name', 'x', '--elasticsearch-ssl', 'maybe'], '--elasticsearch-ssl maybe: expected true or false'],
    [['--stack-name', 'x', '--timeout', '-5m'], '--timeout -5m: invalid: expected a positive duration such as 30m, 1h'],
    [['--stack-name', 'x', '--hosted-zone-id', '/hostedzone/z-1'], '--hosted-zone-id /hostedzone/z-1: expected a Route 53 hosted zone id'],
    [['--stack-name', 'x', '--config', file('ssl.yaml', 'log-storage: elasticsearch\nelasticsearch-transport: es\nelasticsearch-ssl: maybe\n')], '--elasticsearch-ssl maybe: expected true or false'],
    [['--stack-name', 'x', '--aws-s3-bucket-name', 'ab'], '--aws-s3-bucket-name ab'],
    [['--stack-name', 'x', '--aws-instance-tenancy', 'host'], '--aws-instance-tenancy host'],
    [['--stack-name', 'x', '--aws-instance-tenancy', 'shared'], '--aws-instance-tenancy shared'],
    [['--stack-name', 'x', '--aws-instance-type', 'c7i'], '--aws-instance-type c7i'],
    [['--stack-name', 'x', '--aws-app-instance-type', 'large'], '--aws-app-instance-type large'],
    [['--stack-name', 'x', '--version', 'latest'], '--version latest'],
    [['--stack-name', 'x', '--log-storage', 'syslog'], '--log-storage syslog'],
    [['--stack-name', 'x', '--log-storage', 'elasticsearch', '--elasticsearch-transport', 'a b'], '--elasticsearch-transport a b'],
    [['--stack-name', 'x', '--elasticsearch-transport', 'es:0'], '--elasticsearch-transport es:0'],
    [['--stack-name', 'x', '--elasticsearch-password', 'longpassword'], '--elasticsearch-password needs --elasticsearch-user'],
    [['--stack-name', 'x', '--inspector-user', 'a b'], '--inspector-user a b'],
    [['--stack-name', 'x', '--inspector-pass', 'short'], '--inspector-pass'],
    [['--stack-name', 'x', '--enable-turn', 'yes'], '--enable-turn yes'],
    [['--stack-name', 'x', '--enable-app', 'chat'], '--enable-app chat'],
    [['--stack-name', 'x', '--enable-app', 'room', '--api-origin', '203.0.113.0/24'], '--enable-app room: needs --api-origin 0.0.0.0/0'],
    [['--stack-name', 'x', '--health-check-grace-period', 'soon'], '--health-check-grace-period soon'],
    [['--stack-name', 'x', '--autoscaling-heartbeat-timeout', '5'], '--autoscaling-heartbeat-timeout 5'],
    [['--stack-name', 'x', '--session-reconnection-time', '99999'], '--session-reconnection-time 99999'],
    [['--stack-name', 'x', '--ssl-cert', 'c.pem'], '--ssl-cert c.pem: needs --ssl-key'],
    [['--stack-name', 'x', '--ssl-key', 'k.pem'], '--ssl-key k.pem: needs --ssl-cert'],
    [['--stack-name', 'x', '--ssl-cert', '/nonexistent/c.pem', '--ssl-key', '/nonexistent/k.pem'], '--ssl-cert /nonexistent/c.pem: no such file'],
    [['--stack-name', 'x', '--certificate-arn', 'arn:aws:acm:eu-west-1:1:certificate/x'], '--certificate-arn arn:aws:acm:eu-west-1:1:certificate/x'],
    [['--stack-name', 'x', '--hosted-zone-id', 'example.com'], '--hosted-zone-id example.com'],
    [['--stack-name', 'x', '--tags', 'novalue'], '--tags novalue'],
    [['--stack-name', 'x', '--timeout', '0'], '--timeout 0'],
    [['--stack-name', '-x'], '--stack-name needs a value'],
    [['--stack-name', 'x', '--config', '/nonexistent.yaml'], '--config /nonexistent.yaml: no such file'],
    [['--stack-name', 'x', '--config', file('bad.yaml', 'min-capacity: [1\n')], 'not valid YAML'],
    [['--stack-name', 'x', '--config', file('unknown.yaml', 'min-capacty: 2\n')], 'min-capacty: is not a setting; did you mean min-capacity?'],
    [['--stack-name', 'x', '--config', file('nested.yaml', 'api-origin: { a: 1 }\n')], 'api-origin: expected a single value'],
    [['--config', file('capacity.yaml', 'stack-name: fromfile\nmin-capacity: 4\nmax-capacity: 2\n')], '--min-capacity 4: is above --max-capacity 2'],
    [['--config', file('policy.yaml', 'stack-name: fromfile\nscale-in-policy: 80=10\n')], '--scale-in-policy 80'],
    [['--config', file('tenancy.yaml', 'stack-name: fromfile\naws-instance-tenancy: host\n')], '--aws-instance-tenancy host'],
    [['--stack-name', 'x', '--config', file('zone.yaml', 'hosted-zone-id: nope\n')], '--hosted-zone-id nope'],
    [['--stack-name', 'x', '--enable-app', 'audio-archive'], '--enable-app audio-archive: needs streams: in the config file'],
    [['--stack-name', 'x', '--config', file('streams-alone.yaml', 'streams:\n  - { name: radio1, url: "http://a/x" }\n')], '--streams radio1: are recorded only with --enable-app audio-archive'],
    [['--stack-name', 'x', '--config', file('streams-url.yaml', 'enable-app: audio-archive\nstreams:\n  - { name: radio1, url: "http://a/x" }\n  - { name: radio2, url: "ftp://x" }\n')], 'streams[1].url ftp://x: expected an http(s) URL'],
    [['--stack-name', 'x', '--config', file('streams-seconds.yaml', 'enable-app: [room, audio-archive]\nstreams:\n  - { name: radio1, url: "http://a/x", segment-seconds: 7 }\n')], 'streams[0].segment-seconds 7: expected whole seconds from 10 to 3600 that divide a day'],
  ];

  it.sequential.each(cases)('create %j', async (args, message) => {
    fake.resetRequests();
    const r = await runCli(['create', ...args, ...json], endpointEnv(fake.url));
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
    expect(onlyJson(r.stdout).error).toMatchObject({ exitCode: 2 });
    expect(fake.count()).toBe(0);
  });

  it.sequential('delete with --stack-name given twice names both values (it kept the last before)', async () => {
    fake.resetRequests();
    const r = await runCli(['delete', '--stack-name', 'a', '--stack-name', 'b', '--yes', ...json], endpointEnv(fake.url));
    expect(r.stderr).toContain('--stack-name is given twice with different values, a and b');
    expect(r.code).toBe(2);
    expect(onlyJson(r.stdout).error).toMatchObject({ exitCode: 2 });
    expect(fake.count()).toBe(0);
  });

  it.sequential('counts at least 40 distinct bad inputs', () => {
    expect(new Set(cases.map(([args]) => args.join(' '))).size).toBeGreaterThanOrEqual(40);
  });
});

describe('create against the fake AWS', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const record = () => recordFrom(fake);

  const secrets = { apiKey: 'k3yOfTheCluster0123456789', inspector: 'Insp3ctor-P4ss', es: 'El4stic-P4ssw0rd' };

  it.sequential('sends exactly the rendered template, and no secret given or generated appears anywhere', async () => {
    const env = endpointEnv(fake.url);
    const flags = ['--stack-name', 'secretive', '--api-key', secrets.apiKey, '--inspector-pass', secrets.inspector, '--log-storage', 'elasticsearch', '--elasticsearch-transport', 'es.example.com:9243', '--elasticsearch-user', 'kms', '--elasticsearch-password', secrets.es, '--tags', 'team=media'];
    const dry = await runCli(['create', ...flags, '--dry-run', ...json], env);
    expect(dry.code).toBe(0);
    fake.resetRequests();
    const r = await runCli(['create', ...flags, '--debug', ...json], env);
    record();
    expect(r.code).toBe(0);
    const stack = fake.stack('secretive')!;
    expect(JSON.parse(stack.templateBody)).toEqual(onlyJson(dry.stdout).template);
    const sentParameters = fake.requests.find((q) => q.action === 'CreateStack')!.params;

    const stored = fake.secrets().find((s) => s.name === 'elasticrtc/secretive')!;
    const value = JSON.parse(stored.value ?? '{}') as Record<string, string>;
    expect(value).toMatchObject({ apiKey: secrets.apiKey, inspectorPassword: secrets.inspector, elasticsearchPassword: secrets.es });
    const generatedKey = (value.dtlsCertificate ?? '').split('-----BEGIN RSA PRIVATE KEY-----')[1]?.split('\n')[1] ?? '';
    expect(generatedKey.length).toBeGreaterThan(20);
    const captured = [r.stdout, r.stderr, stack.templateBody, JSON.stringify(stack.parameters), JSON.stringify(stack.tags), JSON.stringify(stack.outputs), JSON.stringify(sentParameters)].join('\n');
    for (const secret of [secrets.apiKey, secrets.inspector, secrets.es, value.turnSecret ?? 'x', generatedKey, env.AWS_SECRET_ACCESS_KEY ?? 'x']) {
      expect(captured).not.toContain(secret);
    }
    expect(stack.parameters.ClusterSecretArn).toBe(stored.arn);
  });

  it.sequential('a generated api key and inspector password stay in the secret only', async () => {
    const r = await runCli(['create', '--stack-name', 'generated', ...json], endpointEnv(fake.url));
    record();
    expect(r.code).toBe(0);
    const value = JSON.parse(fake.secrets().find((s) => s.name === 'elasticrtc/generated')!.value ?? '{}') as Record<string, string>;
    expect(value.apiKey).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(value.inspectorPassword).toHaveLength(24);
    expect(value.inspectorUser).toBe('admin');
    for (const secret of [value.apiKey!, value.inspectorPassword!]) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(r.stderr).toContain('aws secretsmanager get-secret-value --secret-id elasticrtc/generated');
  });

  it.sequential('reuses a bucket of its own in the region and never deletes it', async () => {
    fake.addBucket({ name: 'eu-west-1-reuse' });
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'reuse', ...json], endpointEnv(fake.url));
    record();
    expect(r.code).toBe(0);
    expect(fake.count({ action: 'CreateBucket' })).toBe(0);
    expect(fake.stack('reuse')?.parameters.BucketName).toBe('eu-west-1-reuse');
    const d = await runCli(['delete', '--stack-name', 'reuse', '--yes', ...json], endpointEnv(fake.url));
    record();
    expect(d.code).toBe(0);
    expect(fake.secrets().some((s) => s.name === 'elasticrtc/reuse' && !s.deleted)).toBe(false);
  });

  const refusals: [string, () => unknown, string, string[], string][] = [
    ['a bucket of another account', () => fake.addBucket({ name: 'eu-west-1-foreign', otherAccount: true }), 'foreign', [], '--aws-s3-bucket-name eu-west-1-foreign: belongs to another AWS account'],
    ['a bucket in another region', () => fake.addBucket({ name: 'eu-west-1-faraway', region: 'us-east-2' }), 'faraway', [], 'is in us-east-2, not in the cluster'],
    ['a missing key pair', () => undefined, 'nokey', ['--aws-key-name', 'missing'], '--aws-key-name missing: is not an EC2 key pair in eu-west-1'],
    ['an instance type not offered', () => fake.withholdInstanceType('c7i.metal-48xl'), 'metal', ['--aws-instance-type', 'c7i.metal-48xl'], '--aws-instance-type c7i.metal-48xl: is not offered in eu-west-1'],
    ['a missing hosted zone', () => undefined, 'nozone', ['--hosted-zone-id', 'Z0000000000NOSUCHZONE'], '--hosted-zone-id Z0000000000NOSUCHZONE: is not a Route 53 hosted zone'],
    ['a taken name', () => fake.addStack({ name: 'taken' }), 'taken', [], '--stack-name taken: is taken'],
    ['a missing hosted zone given as an emulator’s id, as the AWS CLI prints it', () => undefined, 'emuzone', ['--hosted-zone-id', '/hostedzone/4FBE9KJ2V0ZIYJ1'], 'is not a Route 53 hosted zone'],
  ];
  it.sequential.each(refusals)('preflight refuses %s before creating anything (exit 2)', async (_what, seed, name, extra, message) => {
    seed();
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', name, ...extra, ...json], endpointEnv(fake.url));
    record();
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
    const writes = fake.requests.filter((q) => /^(Create|Put|Import|Delete|Update|Execute)/.test(q.action));
    expect(writes).toEqual([]);
  });
});

describe('audio-archive against the fake AWS', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const record = () => recordFrom(fake);

  it.sequential('creates the recorders with the stream URLs in the secret only, shows the archive, accepts its own file in an update but refuses other streams, and deletes keeping final/', async () => {
    const env = endpointEnv(fake.url);
    const config = file('archive.yaml', 'enable-app: room,audio-archive\nstreams:\n  - name: radio1\n    url: https://archiver:s3cr3t-pass@icecast.example.org/live.mp3\n  - name: news\n    url: http://radio.example.net/news\n    segment-seconds: 60\n');
    fake.resetRequests();
    const r = await runCli(['create', '--stack-name', 'archived', '-f', config, ...json], env);
    record();
    expect(r.code).toBe(0);
    const stack = fake.stack('archived')!;
    const template = JSON.parse(stack.templateBody) as { Resources: Record<string, { Type: string }> };
    expect(template.Resources.RecorderGroup?.Type).toBe('AWS::AutoScaling::AutoScalingGroup');
    expect(Object.keys(template.Resources).filter((id) => id.startsWith('ArchiveAlarm'))).toEqual(['ArchiveAlarm1', 'ArchiveAlarm2']);
    expect(template.Resources.AppGroup?.Type).toBe('AWS::AutoScaling::AutoScalingGroup');
    const captured = [r.stdout, r.stderr, stack.templateBody, JSON.stringify(stack.parameters), JSON.stringify(fake.requests.find((q) => q.action === 'CreateStack')?.params)].join('\n');
    expect(captured).not.toContain('s3cr3t-pass');
    expect(captured).not.toContain('icecast.example.org');
    const secret = JSON.parse(fake.secrets().find((x) => x.name === 'elasticrtc/archived')?.value ?? '{}') as { audioArchiveStreams?: unknown };
    expect(secret.audioArchiveStreams).toEqual([
      { name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org/live.mp3', segmentSeconds: 300 },
      { name: 'news', url: 'http://radio.example.net/news', segmentSeconds: 60 },
    ]);

    const show = await runCli(['show', '--stack-name', 'archived', ...json], env);
    record();
    expect(show.code).toBe(0);
    expect(onlyJson(show.stdout)).toMatchObject({
      app: 'room,audio-archive',
      apps: ['room', 'audio-archive'],
      archive: [
        { stream: 'radio1', segmentSeconds: 300, location: 's3://eu-west-1-archived/final/radio1/', alarm: 'archived-audio-archive-radio1' },
        { stream: 'news', segmentSeconds: 60, location: 's3://eu-west-1-archived/final/news/', alarm: 'archived-audio-archive-news' },
      ],
    });
    expect(onlyJson(show.stdout).appUrl).toMatch(/^http:\/\/.+\/app\/$/);
    const text = await runCli(['show', '--stack-name', 'archived', '--region', 'eu-west-1', '--non-interactive'], env);
    expect(text.stdout).toContain('radio1: 300 s segments → s3://eu-west-1-archived/final/radio1/ (alarm archived-audio-archive-radio1)');

    const same = await runCli(['update', '--stack-name', 'archived', '--yes', ...json], env);
    record();
    expect(same.code).toBe(0);
    expect(same.stderr).toContain('is up to date');
    const repeated = await runCli(['update', '--stack-name', 'archived', '-f', config, '--yes', ...json], env);
    expect(repeated.code).toBe(0);
    expect(repeated.stderr).toContain('streams: the URLs are kept as created');
    expect(repeated.stderr).toContain('is up to date');
    const other = file('archive-changed.yaml', 'enable-app: room,audio-archive\nstreams:\n  - name: radio1\n    url: http://a/x\n');
    const change = await runCli(['update', '--stack-name', 'archived', '-f', other, '--yes', ...json], env);
    expect(change.code).toBe(2);
    expect(change.stderr).toContain('streams cannot be changed by an update');
    const drop = await runCli(['update', '--stack-name', 'archived', '--enable-app', 'room', '--yes', ...json], env);
    expect(drop.code).toBe(2);
    expect(drop.stderr).toContain('--enable-app room cannot remove audio-archive in an update');

    const d = await runCli(['delete', '--stack-name', 'archived', '--yes', ...json], env);
    record();
    expect(d.code).toBe(0);
    expect(d.stderr).toContain('the audio archive under final/');
    expect(onlyJson(d.stdout)).toMatchObject({ retained: { bucket: 'eu-west-1-archived', archive: 's3://eu-west-1-archived/final/' } });
    expect(fake.buckets().some((b) => b.name === 'eu-west-1-archived')).toBe(true);
  });
});

describe('kvs-relay and cameras against the fake AWS', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const record = () => recordFrom(fake);

  it.sequential('creates one stream per camera with the URLs in the secret only, shows them, refuses other cameras in an update, and deletes keeping the streams and recordings', async () => {
    const env = endpointEnv(fake.url);
    const config = file('cameras.yaml', 'enable-app: kvs-relay,cameras\ncameras:\n  - name: lobby\n    url: rtsp://viewer:s3cr%40t-pass@10.0.0.5:554/Streaming/Channels/101\n    retention-days: 30\n  - name: dock\n    url: rtsp://10.0.0.6/stream1\n');
    const r = await runCli(['create', '--stack-name', 'watched', '-f', config, ...json], env);
    record();
    expect(r.code).toBe(0);
    const stack = fake.stack('watched')!;
    const template = JSON.parse(stack.templateBody) as { Resources: Record<string, { Type: string }> };
    expect(Object.keys(template.Resources).filter((id) => template.Resources[id]?.Type === 'AWS::KinesisVideo::Stream')).toEqual(['CameraStream1', 'CameraStream2']);
    const captured = [r.stdout, r.stderr, stack.templateBody, JSON.stringify(stack.parameters), JSON.stringify(fake.requests.find((q) => q.action === 'CreateStack')?.params)].join('\n');
    expect(captured).not.toContain('s3cr');
    expect(captured).not.toContain('10.0.0.5');
    const secret = JSON.parse(fake.secrets().find((x) => x.name === 'elasticrtc/watched')?.value ?? '{}') as { cameras?: unknown };
    expect(secret.cameras).toEqual([
      { name: 'lobby', url: 'rtsp://viewer:s3cr%40t-pass@10.0.0.5:554/Streaming/Channels/101' },
      { name: 'dock', url: 'rtsp://10.0.0.6/stream1' },
    ]);
    // Each camera's recordings expire in the bucket after its retention, beside the bucket's other rules.
    const rules = JSON.stringify(fake.buckets().find((b) => b.name === 'eu-west-1-watched'));
    expect(rules).toContain('elasticrtc-cameras-lobby');
    expect(rules).toContain('cameras/dock/');

    const show = await runCli(['show', '--stack-name', 'watched', ...json], env);
    expect(show.code).toBe(0);
    const shown = onlyJson(show.stdout) as { cameras: { camera: string; stream: string | null; recordings: string | null; retentionDays: number }[]; camerasUrl: string };
    expect(shown.cameras.map((c) => [c.camera, c.retentionDays, c.recordings])).toEqual([['lobby', 30, 's3://eu-west-1-watched/cameras/lobby/'], ['dock', 7, 's3://eu-west-1-watched/cameras/dock/']]);
    expect(shown.cameras.every((c) => typeof c.stream === 'string' && c.stream.length > 0)).toBe(true);
    expect(shown.camerasUrl).toMatch(/^http:\/\/.+\/app\/cameras$/);

    const other = file('cameras-changed.yaml', 'enable-app: kvs-relay,cameras\ncameras:\n  - name: lobby\n    url: rtsp://10.0.0.5/s\n');
    const change = await runCli(['update', '--stack-name', 'watched', '-f', other, '--yes', ...json], env);
    expect(change.code).toBe(2);
    expect(change.stderr).toContain('cameras cannot be changed by an update');
    const drop = await runCli(['update', '--stack-name', 'watched', '--enable-app', 'cameras', '--yes', ...json], env);
    expect(drop.code).toBe(2);
    expect(drop.stderr).toContain('cannot remove kvs-relay in an update');

    const d = await runCli(['delete', '--stack-name', 'watched', '--yes', ...json], env);
    record();
    expect(d.code).toBe(0);
    const streams = shown.cameras.map((c) => c.stream);
    expect(d.stderr).toContain(`the Kinesis video streams ${streams.join(', ')} are kept with their video`);
    expect(onlyJson(d.stdout)).toMatchObject({ retained: { bucket: 'eu-west-1-watched', kinesisVideoStreams: streams } });
  });
});

describe('update', { concurrent: true }, () => {
  const fake = blockFakeAws({ stepMs: 5 });
  const record = () => recordFrom(fake);

  it.sequential('previews replacements; declining executes nothing; an identical update is up to date; --yes applies', async () => {
    const env = endpointEnv(fake.url);
    expect((await runCli(['create', '--stack-name', 'updatable', '--min-capacity', '1', '--max-capacity', '3', ...json], env)).code).toBe(0);

    const same = await runCli(['update', '--stack-name', 'updatable', '--yes', ...json], env);
    record();
    expect(same.stderr).toContain('is up to date');
    expect(same.code).toBe(0);

    const needsYes = await runCli(['update', '--stack-name', 'updatable', '--max-capacity', '5', ...json], env);
    expect(needsYes.code).toBe(2);
    expect(needsYes.stderr).toContain('--yes');

    fake.resetRequests();
    const applied = await runCli(['update', '--stack-name', 'updatable', '--aws-instance-type', 'c7i.xlarge', '--max-capacity', '5', '--yes', ...json], env);
    record();
    expect(applied.code).toBe(0);
    expect(applied.stderr).toMatch(/media server launch template \(NodeLaunchTemplate\)/);
    expect(applied.stderr).toContain('nodes recycled: their sessions are dropped');
    expect(fake.count({ action: 'ExecuteChangeSet' })).toBe(1);
    expect(fake.stack('updatable')?.status).toBe('UPDATE_COMPLETE');
    expect(fake.stack('updatable')?.parameters).toMatchObject({ InstanceType: 'c7i.xlarge', MaxCapacity: '5', MinCapacity: '1' });
  });

  it.sequential('an update that rolls back exits 5', async () => {
    const env = endpointEnv(fake.url);
    expect((await runCli(['create', '--stack-name', 'fragile', ...json], env)).code).toBe(0);
    fake.scenario.failNextUpdate('NodeLaunchTemplate', 'Invalid instance type');
    const r = await runCli(['update', '--stack-name', 'fragile', '--aws-instance-type', 'c7i.2xlarge', '--yes', ...json], env);
    record();
    expect(r.code).toBe(5);
    expect(onlyJson(r.stdout).error).toMatchObject({ code: 'UPDATE_ROLLBACK_COMPLETE' });
  });

  it.sequential('refuses to change the bucket or a secret', async () => {
    const r = await runCli(['update', '--stack-name', 'fragile', '--aws-s3-bucket-name', 'other-bucket', '--yes', ...json], endpointEnv(fake.url));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--aws-s3-bucket-name cannot be changed by an update');
  });
});

describe('iam-policy', () => {
  const fake = blockFakeAws({ stepMs: 5 });

  it('allows every call the tool made in these tests', async () => {
    const r = await runCli(['iam-policy'], endpointEnv(fake.url));
    expect(r.code).toBe(0);
    const policy = JSON.parse(r.stdout) as ReturnType<typeof deployerPolicy>;
    expect(policy).toEqual(deployerPolicy());
    // S3 operations whose IAM action has another name.
    const iamName: Record<string, string> = {
      HeadBucket: 's3:ListBucket',
      PutPublicAccessBlock: 's3:PutBucketPublicAccessBlock',
      PutBucketEncryption: 's3:PutEncryptionConfiguration',
      GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
      PutBucketLifecycleConfiguration: 's3:PutLifecycleConfiguration',
    };
    const missing = [...calls].map((c) => iamName[c.split(':')[1] ?? ''] ?? c).filter((c) => !allows(policy, c));
    expect(missing).toEqual([]);
    expect(calls.size).toBeGreaterThan(15);
    // The bucket and the runtime are the tool's own calls now: their permissions are asked for, and only they.
    for (const call of ['s3:CreateBucket', 's3:PutPublicAccessBlock', 's3:PutBucketEncryption', 's3:PutBucketOwnershipControls', 's3:PutBucketPolicy', 's3:PutBucketTagging', 's3:PutObject', 's3:PutBucketLifecycleConfiguration']) expect(calls).toContain(call);
    const s3Actions = policy.Statement.flatMap((st) => st.Action).filter((a) => a.startsWith('s3:')).sort();
    expect(s3Actions).toEqual(['s3:CreateBucket', 's3:GetBucketLocation', 's3:GetLifecycleConfiguration', 's3:ListBucket', 's3:PutBucketOwnershipControls', 's3:PutBucketPolicy', 's3:PutBucketPublicAccessBlock', 's3:PutBucketTagging', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration', 's3:PutObject']);
    expect(policy.Statement.find((st) => st.Action.includes('s3:PutObject'))?.Resource).toBe('arn:aws:s3:::*/runtime/elasticrtc-node-*');
  });
});
