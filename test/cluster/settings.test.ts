import { describe, expect, it } from 'vitest';
import { parseCapacity, resolveSettings } from '../../src/cluster/settings.js';
import { RELEASED_KMS_VERSIONS } from '../../src/cluster/versions.js';
import { describeProblem } from '../../src/cluster/problems.js';

const resolve = (raw: Record<string, unknown>) => resolveSettings({ 'stack-name': 'demo', ...raw }, 'eu-west-1', RELEASED_KMS_VERSIONS);
const problems = (raw: Record<string, unknown>) => {
  const r = resolve(raw);
  return r.ok ? [] : r.problems.map(describeProblem);
};

describe('capacity', () => {
  it.each([
    [{}, { min: 1, max: 1, desired: 1 }],
    [{ 'desired-capacity': '3' }, { min: 3, max: 3, desired: 3 }],
    [{ 'min-capacity': '2', 'max-capacity': '5' }, { min: 2, max: 5, desired: 2 }],
    [{ 'min-capacity': '0', 'max-capacity': '5' }, { min: 0, max: 5, desired: 1 }],
    [{ 'min-capacity': '9', 'max-capacity': '10' }, { min: 9, max: 10, desired: 9 }], // 2016 compared these as strings
    [{ 'min-capacity': '1', 'max-capacity': '4', 'desired-capacity': '4' }, { min: 1, max: 4, desired: 4 }],
    [{ 'min-capacity': 2, 'max-capacity': 100 }, { min: 2, max: 100, desired: 2 }],
  ])('%j → %j', (raw, expected) => {
    const r = parseCapacity(raw);
    expect(r).toEqual({ ok: true, value: expected });
  });

  it.each([
    [{ 'min-capacity': '10', 'max-capacity': '9' }, '--min-capacity 10: is above --max-capacity 9'],
    [{ 'min-capacity': '2' }, '--min-capacity 2: needs --max-capacity too'],
    [{ 'max-capacity': '2' }, '--max-capacity 2: needs --min-capacity too'],
    [{ 'min-capacity': '2', 'max-capacity': '4', 'desired-capacity': '1' }, '--desired-capacity 1: is below --min-capacity 2'],
    [{ 'min-capacity': '2', 'max-capacity': '4', 'desired-capacity': '5' }, '--desired-capacity 5: is above --max-capacity 4'],
    [{ 'desired-capacity': 'two' }, '--desired-capacity two: expected a whole number from 0 to 100'],
    [{ 'desired-capacity': '101' }, '--desired-capacity 101: expected a whole number from 0 to 100'],
    [{ 'desired-capacity': '0' }, '--desired-capacity 0: must be at least 1'],
    [{ 'min-capacity': '-1', 'max-capacity': '3' }, '--min-capacity -1: expected a whole number from 0 to 100'],
    [{ 'min-capacity': '0', 'max-capacity': '0' }, '--max-capacity 0: expected a whole number from 1 to 100'],
    [{ 'desired-capacity': '1.5' }, '--desired-capacity 1.5: expected a whole number'],
  ])('%j is rejected: %s', (raw, message) => {
    expect(problems(raw).join('\n')).toContain(message);
  });
});

describe('resolveSettings', () => {
  it('gives defaults for a minimal cluster', () => {
    expect(resolve({})).toEqual({
      ok: true,
      warnings: [],
      value: {
        stackName: 'demo',
        region: 'eu-west-1',
        kmsVersion: '7.3.0',
        instanceType: 'c7i.large',
        appInstanceType: 'c7i.large',
        tenancy: 'default',
        bucketName: 'eu-west-1-demo',
        apiOrigin: ['0.0.0.0/0'],
        controlOrigin: ['0.0.0.0/0'],
        tls: { kind: 'none' },
        capacity: { min: 1, max: 1, desired: 1 },
        scaleOut: [{ threshold: 75, percent: 10 }],
        scaleIn: [{ threshold: 25, percent: 10 }],
        costMap: { WebRtcEndpoint: 1 },
        logStorage: 'cloudwatch',
        inspectorUser: 'admin',
        turn: true,
        apps: [],
        streams: [],
        cameras: [],
        healthCheckGracePeriod: 300,
        heartbeatTimeout: 600,
        reconnectionTime: 30,
        tags: {},
        secrets: {},
      },
    });
  });

  it.each([
    ['Z0123456789ABCDEFGHIJ', 'Z0123456789ABCDEFGHIJ'],
    ['/hostedzone/Z0123456789ABCDEFGHIJ', 'Z0123456789ABCDEFGHIJ'],
    ['hostedzone/Z0123', 'Z0123'],
    ['4FBE9KJ2V0ZIYJ1', '4FBE9KJ2V0ZIYJ1'],
    ['/hostedzone/ABCDEF0123456789', 'ABCDEF0123456789'],
  ])('accepts the hosted zone id %s as %s (emulators’ ids need not start with Z)', (given, id) => {
    const r = resolveSettings({ 'stack-name': 'demo', 'hosted-zone-id': given }, 'eu-west-1', RELEASED_KMS_VERSIONS);
    expect(r.ok && r.value.hostedZoneId).toBe(id);
  });

  it.each([
    [true, true],
    ['true', true],
    ['false', false],
    [false, false],
  ])('takes --elasticsearch-ssl %j (flag or config file) as %s', (given, ssl) => {
    const r = resolveSettings({ 'stack-name': 'demo', 'log-storage': 'elasticsearch', 'elasticsearch-transport': 'es', 'elasticsearch-ssl': given }, 'eu-west-1', RELEASED_KMS_VERSIONS);
    expect(r.ok && r.value.elasticsearch?.ssl).toBe(ssl);
  });

  it('takes a given bucket name as given: never lowercased', () => {
    const r = resolveSettings({ 'stack-name': 'demo', 'aws-s3-bucket-name': 'my.bucket-1' }, 'eu-west-1', RELEASED_KMS_VERSIONS);
    expect(r.ok && r.value.bucketName).toBe('my.bucket-1');
    expect(resolveSettings({ 'stack-name': 'demo', 'aws-s3-bucket-name': 'MyBucket' }, 'eu-west-1', RELEASED_KMS_VERSIONS).ok).toBe(false);
  });

  it('lowercases the default bucket name (2016 did not)', () => {
    const r = resolveSettings({ 'stack-name': 'MyCluster' }, 'eu-west-1', RELEASED_KMS_VERSIONS);
    expect(r.ok && r.value.bucketName).toBe('eu-west-1-mycluster');
  });

  it('falls back from elasticsearch without a transport to cloudwatch, with a warning', () => {
    const r = resolve({ 'log-storage': 'elasticsearch' });
    expect(r.ok && r.value.logStorage).toBe('cloudwatch');
    expect(r.warnings).toEqual([{ flag: 'log-storage', message: 'elasticsearch needs --elasticsearch-transport; logs go to cloudwatch instead' }]);
  });

  it('keeps given secrets apart from the settings that are shown', () => {
    const r = resolve({ 'api-key': 'abcdefgh12345678XYZ', 'inspector-pass': 's3cret-pass!' });
    expect(r.ok && r.value.secrets).toEqual({ apiKey: 'abcdefgh12345678XYZ', inspectorPassword: 's3cret-pass!' });
  });

  it('never echoes a rejected secret', () => {
    const out = problems({ 'api-key': 'has spaces and !', 'inspector-pass': 'short' }).join('\n');
    expect(out).toContain('--api-key');
    expect(out).not.toContain('has spaces');
    expect(out).not.toContain('short:');
  });

  it.each([
    [{ 'stack-name': '' }, '--stack-name is required'],
    [{ 'stack-name': '1demo' }, '--stack-name 1demo: must start with a letter'],
    [{ 'stack-name': 'de_mo' }, '--stack-name de_mo: must start with a letter and contain only letters, digits and "-"'],
    [{ 'stack-name': `a${'b'.repeat(128)}` }, 'characters long; at most 128'],
    [{ version: '9.9.9' }, '--version 9.9.9: is not a deployable Kurento version; expected one of 7.3.0, 7.2.0'],
    [{ version: 'latest' }, '--version latest: is not a deployable Kurento version'],
    [{ 'aws-instance-type': 'large' }, '--aws-instance-type large: expected an EC2 instance type'],
    [{ 'api-origin': '10.0.0.0' }, '--api-origin 10.0.0.0: expected an IPv4 CIDR block'],
    [{ 'api-origin': '300.0.0.0/8' }, '--api-origin 300.0.0.0/8: expected an IPv4 CIDR block'],
    [{ 'api-origin': '10.1.2.3/8' }, '--api-origin 10.1.2.3/8: has host bits set; did you mean 10.0.0.0/8?'],
    [{ 'api-origin': '10.0.0.0/8,' }, '--api-origin 10.0.0.0/8,: expected CIDR blocks separated by commas'],
    [{ 'control-origin': '10.0.0.0/33' }, '--control-origin 10.0.0.0/33: expected an IPv4 CIDR block'],
    [{ tags: 'novalue' }, '--tags novalue: expected key=value pairs'],
    [{ tags: 'elasticrtc:cluster=x' }, '--tags elasticrtc:cluster: uses a reserved prefix'],
    [{ tags: 'aws:x=y' }, '--tags aws:x: uses a reserved prefix'],
    [{ 'aws-instance-tenancy': 'host' }, '--aws-instance-tenancy host: is not possible for an autoscaling group'],
    [{ 'aws-instance-tenancy': 'shared' }, '--aws-instance-tenancy shared: expected one of default, dedicated'],
    [{ 'aws-app-instance-type': 'big' }, '--aws-app-instance-type big: expected an EC2 instance type'],
    [{ 'aws-s3-bucket-name': 'My_Bucket' }, '--aws-s3-bucket-name My_Bucket: has uppercase letters: S3 bucket names are lowercase'],
    [{ 'aws-s3-bucket-name': 'MyBucket' }, '--aws-s3-bucket-name MyBucket: has uppercase letters: S3 bucket names are lowercase (give mybucket)'],
    [{ 'hosted-zone-id': 'z0123' }, '--hosted-zone-id z0123: expected a Route 53 hosted zone id'],
    [{ 'hosted-zone-id': '/hostedzone/' }, '--hosted-zone-id /hostedzone/: expected a Route 53 hosted zone id'],
    [{ 'log-storage': 'elasticsearch', 'elasticsearch-transport': 'es', 'elasticsearch-ssl': 'maybe' }, '--elasticsearch-ssl maybe: expected true or false'],
    [{ 'aws-s3-bucket-name': '192.168.1.1' }, 'must not look like an IP address'],
    [{ 'aws-s3-bucket-name': 'xn--bucket' }, 'starts with a prefix S3 reserves'],
    [{ 'stack-name': `a${'b'.repeat(60)}` }, '(the default <region>-<stack-name>) is 71 characters long'],
    [{ 'scale-out-policy': '75' }, '--scale-out-policy 75: expected load=percent pairs'],
    [{ 'scale-out-policy': '175=10' }, 'has a load above 100'],
    [{ 'scale-in-policy': '25=150' }, 'has a capacity change outside 1-100'],
    [{ 'scale-out-policy': '70=10,70=20' }, 'gives load 70 twice'],
    [{ 'scale-in-policy': '80=10' }, '--scale-in-policy 80: is not below the lowest --scale-out-policy load 75'],
    [{ 'cost-map': 'WebRtcEndpoint' }, '--cost-map WebRtcEndpoint: expected ElementType=cost pairs'],
    [{ 'cost-map': 'WebRtcEnpoint=1' }, '--cost-map WebRtcEnpoint: is not a Kurento media element type; known types: AlphaBlending'],
    [{ 'cost-map': 'WebRtcEndpoint=0' }, 'has a cost outside (0, 100]'],
    [{ 'log-storage': 'syslog' }, '--log-storage syslog: expected one of cloudwatch, s3, elasticsearch, none'],
    [{ 'log-storage': 'elasticsearch', 'elasticsearch-transport': 'http://x:9200' }, '--elasticsearch-transport http://x:9200: expected host[:port]'],
    [{ 'log-storage': 'elasticsearch', 'elasticsearch-transport': 'es:99999' }, '--elasticsearch-transport es:99999'],
    [{ 'elasticsearch-password': 'longenough1' }, '--elasticsearch-password needs --elasticsearch-user'],
    [{ 'api-key': 'short' }, '--api-key expected 8 to 128 letters and digits (value not shown)'],
    [{ 'inspector-user': 'ad min' }, '--inspector-user ad min: expected 1-64 letters'],
    [{ 'enable-turn': 'maybe' }, '--enable-turn maybe: expected true or false'],
    [{ 'enable-app': 'chat' }, '--enable-app chat: expected none, or any of room, audio-archive, kvs-relay, cameras separated by commas'],
    [{ 'enable-app': 'room,chat' }, '--enable-app chat: expected none, or any of room, audio-archive, kvs-relay, cameras'],
    [{ 'enable-app': 'kvs-relay' }, '--enable-app kvs-relay: needs cameras: in the config file'],
    [{ 'enable-app': 'cameras' }, '--enable-app cameras: needs cameras: in the config file'],
    [{ cameras: [{ name: 'lobby', url: 'rtsp://10.0.0.5/s' }] }, '--cameras lobby: are used only with --enable-app kvs-relay or cameras'],
    [{ 'enable-app': 'kvs-relay', cameras: [{ name: 'lobby', url: 'http://10.0.0.5/s' }] }, 'cameras[0].url http://10.0.0.5/s: expected an rtsp:// or rtsps:// URL'],
    [{ 'enable-app': 'kvs-relay', cameras: [{ name: 'lobby', url: 'rtsp://viewer:hunter22@10.0.0.5/s', 'retention-days': 0 }] }, 'cameras[0].retention-days 0: expected whole days from 1 to 3650'],
    [{ 'enable-app': 'kvs-relay', cameras: [{ name: 'Lobby Cam', url: 'rtsp://10.0.0.5/s' }] }, 'cameras[0].name Lobby Cam: expected 1 to 64 lower-case letters, digits, - or _'],
    [{ 'enable-app': 'kvs-relay', cameras: [{ name: 'a', url: 'rtsp://h/1' }, { name: 'a', url: 'rtsp://h/2' }] }, 'cameras[1].name a: a camera of that name comes earlier'],
    [{ 'enable-app': 'kvs-relay', cameras: [{ name: 'a', url: 'rtsp://h/1', fps: 30 }] }, 'cameras[0].fps 30: is not a camera key'],
    [{ 'enable-app': 'kvs-relay', cameras: Array.from({ length: 9 }, (_, i) => ({ name: `c${i}`, url: 'rtsp://h/1' })) }, '--cameras 9 cameras: expected at most 8'],
    [{ 'enable-app': 'cameras', 'api-origin': '203.0.113.0/24', cameras: [{ name: 'a', url: 'rtsp://h/1' }] }, '--enable-app cameras: needs --api-origin 0.0.0.0/0'],
    [{ 'enable-app': 'audio-archive' }, '--enable-app audio-archive: needs streams: in the config file'],
    [{ streams: [{ name: 'radio1', url: 'http://icecast.example.org/live.mp3' }] }, '--streams radio1: are recorded only with --enable-app audio-archive'],
    [{ 'enable-app': 'audio-archive', streams: [{ name: 'radio1', url: 'http://a/x' }, { name: 'radio2', url: 'ftp://x' }] }, 'streams[1].url ftp://x: expected an http(s) URL'],
    [{ 'enable-app': 'audio-archive', streams: [{ name: 'r', url: 'https://user:hunter22@a/x', 'segment-seconds': 7 }] }, 'streams[0].segment-seconds 7: expected whole seconds from 10 to 3600 that divide a day'],
    [{ 'enable-app': 'audio-archive', streams: [{ name: 'r', url: 'https://a/x', 'segment-seconds': 3601 }] }, 'streams[0].segment-seconds 3601: expected whole seconds from 10 to 3600'],
    [{ 'enable-app': 'audio-archive', streams: [{ name: 'Radio 1', url: 'https://a/x' }] }, 'streams[0].name Radio 1: expected 1 to 64 lower-case letters, digits, - or _'],
    [{ 'enable-app': 'audio-archive', streams: [{ name: 'r', url: 'https://a/x' }, { name: 'r', url: 'https://a/y' }] }, 'streams[1].name r: a stream of that name comes earlier; names must differ'],
    [{ 'enable-app': 'audio-archive', streams: [{ name: 'r', url: 'https://a/x', codec: 'aac' }] }, 'streams[0].codec aac: is not a stream key'],
    [{ 'enable-app': 'audio-archive', streams: 'radio1' }, '--streams radio1: expected a list of streams in the config file'],
    [{ 'enable-app': 'audio-archive', streams: [] }, '--streams []: expected at least one stream'],
    [{ 'enable-app': 'room', 'api-origin': '203.0.113.0/24' }, '--enable-app room: needs --api-origin 0.0.0.0/0: the room server reaches the cluster through its public URL from an address not known in advance (docs/apps.md)'],
    [{ 'enable-app': 'ROOM', 'certificate-arn': 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9' }, '--enable-app room: with TLS needs --hosted-zone-id'],
    [{ 'health-check-grace-period': '-1' }, '--health-check-grace-period -1: expected whole seconds from 0 to 7200'],
    [{ 'autoscaling-heartbeat-timeout': '10' }, '--autoscaling-heartbeat-timeout 10: expected whole seconds from 30 to 3600'],
    [{ 'session-reconnection-time': 'soon' }, '--session-reconnection-time soon: expected whole seconds'],
    [{ 'ssl-cert': 'c.pem' }, '--ssl-cert c.pem: needs --ssl-key'],
    [{ 'ssl-key': 'k.pem' }, '--ssl-key k.pem: needs --ssl-cert'],
    [{ 'certificate-arn': 'arn:aws:acm:eu-west-1:123:cert' }, '--certificate-arn arn:aws:acm:eu-west-1:123:cert: expected an ACM certificate ARN'],
    [{ 'certificate-arn': 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9' }, 'is in us-east-1, but the cluster is in eu-west-1'],
    [{ 'certificate-arn': 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9', 'ssl-cert': 'c', 'ssl-key': 'k' }, 'cannot be combined with --ssl-cert/--ssl-key'],
    [{ 'hosted-zone-id': 'example.com' }, '--hosted-zone-id example.com: expected a Route 53 hosted zone id'],
    [{ 'api-origin': Array.from({ length: 26 }, (_, i) => `203.0.113.${i}/32`).join(',') }, '--api-origin 27 blocks: with --control-origin, at most 25 distinct CIDR blocks'],
  ])('%j is rejected: %s', (raw, message) => {
    expect(problems(raw).join('\n')).toContain(message);
  });

  it('keeps --aws-app-instance-type (validated, stored), and takes --enable-app room in any case', () => {
    const r = resolve({ 'aws-app-instance-type': 't3.medium', 'enable-app': 'none' });
    expect(r.ok && r.value).toMatchObject({ appInstanceType: 't3.medium', apps: [] });
    const room = resolve({ 'aws-app-instance-type': 't4g.small', 'enable-app': 'Room' });
    expect(room.ok && room.value).toMatchObject({ appInstanceType: 't4g.small', apps: ['room'] });
  });

  it('takes a set of apps (any order, a list or commas) and the archive\'s streams', () => {
    const streams = [{ name: 'radio1', url: 'https://user:pw@icecast.example.org/live.mp3' }, { name: 'news_2', url: 'http://b/x', 'segment-seconds': '600' }];
    const r = resolve({ 'enable-app': 'audio-archive, room', streams });
    expect(r.ok && r.value).toMatchObject({
      apps: ['room', 'audio-archive'],
      streams: [{ name: 'radio1', url: 'https://user:pw@icecast.example.org/live.mp3', segmentSeconds: 300 }, { name: 'news_2', url: 'http://b/x', segmentSeconds: 600 }],
    });
    expect(resolve({ 'enable-app': ['audio-archive'], streams }).ok).toBe(true);
    // An update: the recorded streams carry no URL (it stays in the cluster secret).
    const kept = resolveSettings({ 'stack-name': 'demo', 'enable-app': 'audio-archive', streams: [{ name: 'radio1', 'segment-seconds': 300 }] }, 'eu-west-1', RELEASED_KMS_VERSIONS, { streamUrlsKept: true });
    expect(kept.ok && kept.value.streams).toEqual([{ name: 'radio1', url: '', segmentSeconds: 300 }]);
    expect(problems({ 'enable-app': 'audio-archive', streams: [{ name: 'radio1' }] }).join('\n')).toContain('streams[0].url is missing: expected an http(s) URL');
  });

  it('never repeats a stream URL\'s password in a problem', () => {
    const text = problems({ 'enable-app': 'audio-archive', streams: [{ name: 'r', url: 'ftp://user:hunter22@a/x' }] }).join('\n');
    expect(text).toContain('streams[0].url ftp://***@a/x: expected an http(s) URL');
    expect(text).not.toContain('hunter22');
  });

  it('reports every problem at once', () => {
    expect(problems({ 'stack-name': '1x', 'min-capacity': '5', 'max-capacity': '2', 'api-origin': 'x' })).toHaveLength(3);
  });

  it('accepts several origins, tags and a key pair', () => {
    const r = resolve({ 'api-origin': '203.0.113.0/24, 198.51.100.7/32', tags: 'team=media,env=prod', 'aws-key-name': 'ops' });
    expect(r.ok && r.value.apiOrigin).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(r.ok && r.value.tags).toEqual({ team: 'media', env: 'prod' });
    expect(r.ok && r.value.keyName).toBe('ops');
  });
});

describe('cameras:', () => {
  it('keeps a camera’s password out of every problem', () => {
    const r = resolveSettings({ 'stack-name': 'demo', 'enable-app': 'kvs-relay', cameras: [{ name: 'lobby', url: 'ftp://viewer:hunter22@10.0.0.5/s' }] }, 'eu-west-1', ['7.3.0']);
    expect(r.ok).toBe(false);
    const text = r.ok ? '' : r.problems.map((p) => `${p.flag} ${p.value} ${p.expected}`).join('\n');
    expect(text).toContain('cameras[0].url ftp://***@10.0.0.5/s');
    expect(text).not.toContain('hunter22');
  });

  it('reads name, url and retention-days (default 7) for kvs-relay and cameras', () => {
    const r = resolveSettings({ 'stack-name': 'demo', 'enable-app': 'kvs-relay,cameras', cameras: [{ name: 'lobby', url: 'rtsp://viewer:s3cr%40t@10.0.0.5/s', 'retention-days': '30' }, { name: 'dock', url: 'rtsps://10.0.0.6/1' }] }, 'eu-west-1', ['7.3.0']);
    expect(r.ok && r.value.cameras).toEqual([
      { name: 'lobby', url: 'rtsp://viewer:s3cr%40t@10.0.0.5/s', retentionDays: 30 },
      { name: 'dock', url: 'rtsps://10.0.0.6/1', retentionDays: 7 },
    ]);
    expect(r.ok && r.value.apps).toEqual(['kvs-relay', 'cameras']);
  });
});
