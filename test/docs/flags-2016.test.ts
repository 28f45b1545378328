import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { testContext } from '../support/context.js';

/** Every row of docs/flags-2016.md, checked against what the tool does now. */
const noAws = () => {
  throw new Error('no AWS call expected');
};
async function run(argv: string[]) {
  const t = testContext({ aws: noAws, env: { HOME: mkdtempSync(join(tmpdir(), 'er-')) } });
  const code = await main(argv, t.ctx);
  return { code, out: t.out(), err: t.err() };
}
/** `--stack-name demo` unless the flags name the stack (a flag given twice with different values is refused). */
const named = (flags: string[]) => (flags.includes('--stack-name') ? [] : ['--stack-name', 'demo']);
const dry = async (...flags: string[]) => {
  const r = await run(['create', ...named(flags), '--region', 'eu-west-1', '--dry-run', '-o', 'json', ...flags]);
  if (r.code !== 0) throw new Error(r.err);
  return JSON.parse(r.out) as { settings: Record<string, unknown>; template: any; parameters: Record<string, string>; tags: Record<string, string> };
};
const bad = async (...flags: string[]) => run(['create', ...named(flags), '--region', 'eu-west-1', '--dry-run', ...flags]);
const gone = (flag: string) => async () => {
  const r = await bad(flag, 'x');
  expect(r.code).toBe(2);
  expect(r.err).toContain(`unknown option ${flag} for create`);
};

const ROWS: Record<string, () => Promise<void>> = {
  F01: async () => {
    const r = await run(['list', '-j', '--region', 'bad region']);
    expect(JSON.parse(r.out).error.exitCode).toBe(2);
  },
  F02: async () => {
    const r = await run(['-h']);
    for (const verb of ['create', 'list', 'show', 'update', 'delete', 'version']) expect(r.out).toContain(`elasticrtc ${verb} `);
  },
  F03: async () => expect((await run(['create', '--stack-name', 'demo', '--dry-run'])).err).toContain('no AWS region given'),
  F04: async () => {
    expect((await bad('--stack-name', '9x')).code).toBe(2);
    expect((await dry('--stack-name', 'with-dash')).tags['elasticrtc:cluster']).toBe('with-dash');
  },
  F05: async () => expect((await run(['list', '--region', 'eu-west-1', '--aws-access-key-id', 'AKIAIOSFODNN7EXAMPLE'])).code).toBe(2),
  F06: async () => expect((await run(['list', '--region', 'eu-west-1', '--aws-secret-access-key', 's'])).err).toContain('needs --aws-access-key-id'),
  F07: async () => {
    const d = await dry('--aws-key-name', 'ops', '--control-origin', '192.0.2.1/32');
    expect(JSON.stringify(d.template.Resources.NodeSecurityGroup)).toContain('"FromPort":22');
    expect(JSON.stringify((await dry()).template.Resources.NodeSecurityGroup)).not.toContain('"FromPort":22');
  },
  F08: async () => {
    expect((await dry('--stack-name', 'MixedCase')).parameters.BucketName).toBe('eu-west-1-mixedcase');
    expect((await bad('--aws-s3-bucket-name', 'Not_Valid')).code).toBe(2);
    const upper = await bad('--aws-s3-bucket-name', 'MyBucket');
    expect(upper.code).toBe(2);
    expect(upper.err).toContain('--aws-s3-bucket-name MyBucket: has uppercase letters: S3 bucket names are lowercase');
  },
  F09: async () => expect((await dry()).parameters.InstanceType).toBe('c7i.large'),
  F10: async () => {
    expect((await dry('--aws-instance-type', 'c7i.xlarge')).settings['aws-app-instance-type']).toBe('c7i.xlarge');
    expect((await dry('--aws-app-instance-type', 't3.medium')).settings['aws-app-instance-type']).toBe('t3.medium');
    expect((await bad('--aws-app-instance-type', 'large')).code).toBe(2);
  },
  F11: async () => {
    expect((await bad('--aws-instance-tenancy', 'host')).code).toBe(2);
    expect((await dry('--aws-instance-tenancy', 'dedicated')).parameters.Tenancy).toBe('dedicated');
  },
  F12: async () => {
    const d = await dry('--api-origin', '203.0.113.0/24', '--control-origin', '192.0.2.0/24');
    const rule = JSON.stringify(d.template.Resources.ApiRule1);
    expect(rule).toContain('203.0.113.0/24');
    expect(rule).not.toContain('192.0.2.0/24');
  },
  F13: async () => expect((await bad('--api-origin', 'nowhere')).code).toBe(2),
  F14: async () => {
    const d = await dry('--api-key', 'abcdefgh12345678XYZ');
    expect(JSON.stringify(d)).not.toContain('abcdefgh12345678XYZ');
    expect(JSON.stringify(d.template.Resources.ApiRule1)).toContain('resolve:secretsmanager');
  },
  F15: async () => {
    expect((await dry('--cost-map', 'WebRtcEndpoint=1.5,RecorderEndpoint=0.5')).parameters.CostMap).toBe('{"WebRtcEndpoint":1.5,"RecorderEndpoint":0.5}');
    expect((await bad('--cost-map', 'Nope=1')).code).toBe(2);
  },
  F16: async () => expect((await bad('--min-capacity', '2', '--max-capacity', '4', '--desired-capacity', '9')).code).toBe(2),
  F17: async () => {
    expect((await bad('--min-capacity', '2')).code).toBe(2);
    expect((await dry('--min-capacity', '9', '--max-capacity', '10')).parameters.MinCapacity).toBe('9');
  },
  F18: async () => expect((await bad('--max-capacity', '3')).err).toContain('needs --min-capacity'),
  F19: async () => expect((await dry('--scale-in-policy', '5=40,25=10')).template.Resources.LoadLowAlarm.Properties.Threshold).toBe(25),
  F20: async () => {
    const d = await dry();
    expect(d.template.Resources.LoadHighAlarm.Properties.Threshold).toBe(75);
    expect(d.template.Resources.ScaleOutPolicy.Properties.StepAdjustments).toEqual([{ MetricIntervalLowerBound: 0, ScalingAdjustment: 10 }]);
  },
  F21: async () => {
    const room = await dry('--enable-app', 'room');
    expect(room.settings['enable-app']).toBe('room');
    expect(room.template.Resources.AppGroup.Type).toBe('AWS::AutoScaling::AutoScalingGroup');
    expect((await dry('--enable-app', 'none')).template.Resources.AppGroup).toBeUndefined();
    const restricted = await bad('--enable-app', 'room', '--api-origin', '203.0.113.0/24');
    expect(restricted.code).toBe(2);
    expect(restricted.err).toContain('--enable-app room: needs --api-origin 0.0.0.0/0');
  },
  F22: async () => {
    expect((await dry()).parameters.EnableTurn).toBe('true');
    expect((await dry('--enable-turn', 'false')).template.Resources.TurnUdpIngress.Condition).toBe('TurnEnabled');
  },
  F23: async () => expect((await dry()).settings['inspector-user']).toBe('admin'),
  F24: async () => {
    const d = await dry('--inspector-pass', 'N0t-admin-pass');
    expect(JSON.stringify(d)).not.toContain('N0t-admin-pass');
  },
  F25: async () => {
    expect((await bad('--hosted-zone-id', 'example.com')).code).toBe(2);
    // Accepted ids (Z… or an emulator's, bare or /hostedzone/…) need a look-up, so dry-run reaches AWS: checked in test/cluster/settings.test.ts.
    expect((await bad('--hosted-zone-id', '/hostedzone/z-1')).err).toContain('--hosted-zone-id /hostedzone/z-1: expected a Route 53 hosted zone id');
  },
  F26: async () => expect((await dry()).parameters.LogStorage).toBe('cloudwatch'),
  F27: async () => {
    const r = await run(['create', '--stack-name', 'demo', '--region', 'eu-west-1', '--dry-run', '-o', 'json', '--log-storage', 'elasticsearch']);
    expect(JSON.parse(r.out).parameters.LogStorage).toBe('cloudwatch');
    expect(r.err).toContain('logs go to cloudwatch instead');
  },
  F28: async () => expect((await dry('--log-storage', 'elasticsearch', '--elasticsearch-transport', 'es', '--elasticsearch-user', 'kms')).parameters.ElasticsearchUser).toBe('kms'),
  F29: async () => {
    const d = await dry('--log-storage', 'elasticsearch', '--elasticsearch-transport', 'es', '--elasticsearch-user', 'kms', '--elasticsearch-password', 'Es-passw0rd!');
    expect(JSON.stringify(d)).not.toContain('Es-passw0rd!');
  },
  F30: async () => {
    const es = ['--log-storage', 'elasticsearch', '--elasticsearch-transport', 'es'];
    expect((await dry(...es, '--elasticsearch-ssl')).parameters.ElasticsearchSsl).toBe('true');
    expect((await dry(...es, '--elasticsearch-ssl', 'true')).parameters.ElasticsearchSsl).toBe('true');
    expect((await dry(...es, '--elasticsearch-ssl', 'false')).parameters.ElasticsearchSsl).toBe('false');
    expect((await bad(...es, '--elasticsearch-ssl', 'maybe')).err).toContain('--elasticsearch-ssl maybe: expected true or false');
  },
  F31: async () => expect((await bad('--ssl-cert', '/nonexistent.pem', '--ssl-key', '/nonexistent.key')).err).toContain('--ssl-cert /nonexistent.pem: no such file'),
  F32: async () => expect((await bad('--ssl-key', 'k.pem')).err).toContain('--ssl-key k.pem: needs --ssl-cert'),
  F33: async () => {
    expect((await dry('--version', '6.18.0')).parameters.KmsVersion).toBe('6.18.0');
    expect((await bad('--version', 'latest')).code).toBe(2);
  },
  F34: gone('--turn-username'),
  F35: gone('--turn-password'),
  F36: gone('--app-url'),
  F37: async () => expect((await dry('--autoscaling-heartbeat-timeout', '900')).parameters.HeartbeatTimeout).toBe('900'),
  F38: async () => expect((await dry('--health-check-grace-period', '120')).parameters.HealthCheckGracePeriod).toBe('120'),
  F39: gone('--kmscluster-controller-url'),
  F40: async () => expect((await dry('--session-reconnection-time', '45')).parameters.ReconnectionTime).toBe('45'),
  F41: gone('--test-mode'),
  F42: gone('--use-proxy'),
};

describe('docs/flags-2016.md', () => {
  const doc = readFileSync(new URL('../../docs/flags-2016.md', import.meta.url), 'utf8');
  const ids = [...doc.matchAll(/^\| (F\d+) \|/gm)].map((m) => m[1] ?? '');

  it('has a test for every row, and a row for every test', () => {
    expect(ids.sort()).toEqual(Object.keys(ROWS).sort());
  });

  it.each(Object.entries(ROWS))('%s holds', async (_id, check) => {
    await check();
  });
});
