import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, SETTINGS, type SettingName, configSchema } from '../../src/cluster/setting-table.js';
import { configToRaw } from '../../src/cluster/settings-file.js';
import { resolveSettings } from '../../src/cluster/settings.js';
import { RELEASED_KMS_VERSIONS } from '../../src/cluster/versions.js';
import { createOptions } from '../../src/commands/create/command.js';
import { updateOptions } from '../../src/commands/update/command.js';

const SCHEMA_FILE = new URL('../../docs/config.schema.json', import.meta.url);

describe('docs/config.schema.json', () => {
  it('is the schema the table of settings makes (UPDATE_SCHEMA=1 rewrites it)', () => {
    const made = `${JSON.stringify(configSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA) writeFileSync(SCHEMA_FILE, made);
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(made);
  });
});

/** The parts of JSON Schema the table uses, checked on one value. */
function schemaAccepts(schema: Record<string, unknown>, value: unknown): boolean {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  const kind = typeof value === 'number' && Number.isInteger(value) ? 'integer' : Array.isArray(value) ? 'array' : typeof value;
  if (types.length > 0 && !types.includes(kind)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) return false;
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) return false;
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) return false;
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
    if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
    if (schema.uniqueItems === true && new Set(value.map((v) => JSON.stringify(v))).size < value.length) return false;
    const items = schema.items as Record<string, unknown> | undefined;
    if (items && !value.every((v) => schemaAccepts(items, v))) return false;
  }
  if (kind === 'object' && value !== null && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
    if (Array.isArray(schema.required) && !schema.required.every((k) => typeof k === 'string' && k in o)) return false;
    if (schema.additionalProperties === false && !Object.keys(o).every((k) => k in properties)) return false;
    if (!Object.entries(o).every(([k, v]) => !(k in properties) || schemaAccepts(properties[k] ?? {}, v))) return false;
  }
  return true;
}

/** Values a config file might hold, good and bad, per setting checked by `resolveSettings` alone. */
const SAMPLES: Partial<Record<SettingName, unknown[]>> = {
  version: ['7.3.0', '7.3', 'latest'],
  'aws-instance-type': ['c7i.large', 'm7g.xlarge', 'C7I.large', 'c7i', 'c7i.large '],
  'aws-app-instance-type': ['t3.small', 'small'],
  'aws-instance-tenancy': ['default', 'dedicated', 'shared'],
  'aws-key-name': ['my key', 'é', ''],
  'aws-s3-bucket-name': ['my-bucket', 'MyBucket', 'a..b', 'ab', '192.168.1.1', 'xn--bucket', 'bucket-s3alias', 'my.bucket-1'],
  'api-key': ['abcdEFGH1234abcd', 'short', 'with-dash1234567'],
  'api-origin': ['203.0.113.0/24', '203.0.113.0/24,198.51.100.7/32', '203.0.113.5/24', '10.0.0.0/33', ''],
  'control-origin': ['0.0.0.0/0', '256.0.0.0/8', '10.0.0.0/8, 192.168.0.0/16'],
  'certificate-arn': ['arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012', 'arn:aws:acm:eu-west-1:1234:certificate/x'],
  'hosted-zone-id': ['Z0123456789ABCDEFGHIJ', '/hostedzone/Z0123', 'hostedzone/ABC123', 'z0123', 'Z-1'],
  'desired-capacity': [1, 0, 100, 101, '5', ' 7 ', '-1', 'two'],
  'scale-out-policy': ['75=10', '65=10,85=40', '75.5=10', '101=10', '75=0', '75=1001', '75=10.5', '75'],
  'scale-in-policy': ['25=10', '25=100', '25=101', '15=40,20=10'],
  'cost-map': ['WebRtcEndpoint=1', 'WebRtcEndpoint=1,RecorderEndpoint=0.5', 'Unknown=1', 'WebRtcEndpoint=0', 'WebRtcEndpoint=101', 'PlayerEndpoint=100'],
  'log-storage': ['cloudwatch', 'none', 'syslog'],
  'elasticsearch-user': ['elastic', 'bad user'],
  'inspector-user': ['admin', 'a.b_c-d', 'x'.repeat(65)],
  'inspector-pass': ['Passw0rd!', 'short', 'has space here'],
  'enable-turn': [true, false, 'true', 'false', 'yes'],
  'health-check-grace-period': [0, 300, 7200, 7201, '60'],
  'autoscaling-heartbeat-timeout': [30, 29, 600, 3600, 3601, 7200],
  'session-reconnection-time': [0, 3600, 3601],
  tags: ['team=media', 'team=media,env=prod', 'aws:x=1', 'elasticrtc:x=1', 'novalue'],
  'enable-app': ['none', 'room', 'room,room', ['room'], ['room', 'room'], [], 'chat', 'room,chat', ['chat'], 'none,room', 'room,audio-archive', ['audio-archive']],
  streams: [
    [{ name: 'radio1', url: 'http://icecast.example.org:8000/live.mp3' }],
    [{ name: 'radio1', url: 'https://u:p@a.example/x', 'segment-seconds': 600 }, { name: 'news_2', url: 'http://b/x', 'segment-seconds': 10 }],
    [{ name: 'radio1', url: 'ftp://a/x' }],
    [{ name: 'Radio1', url: 'http://a/x' }],
    [{ name: '-radio', url: 'http://a/x' }],
    [{ name: 'r'.repeat(65), url: 'http://a/x' }],
    [{ name: 'radio1', url: 'http://a/x', 'segment-seconds': 7 }],
    [{ name: 'radio1', url: 'http://a/x', 'segment-seconds': 3599 }],
    [{ name: 'radio1', url: 'http://a/x', 'segment-seconds': 7200 }],
    [{ name: 'radio1' }],
    [{ name: 'radio1', url: 'http://a/x', codec: 'mp3' }],
    [],
    'radio1',
    Array.from({ length: 10 }, (_, i) => ({ name: `r${i}`, url: 'http://a/x', 'segment-seconds': 10 })),
    Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, url: 'http://a/x' })),
  ],
};
/** Settings a sample needs beside it (streams are taken only with the app that records them). */
const CONTEXT: Partial<Record<SettingName, Record<string, unknown>>> = { streams: { 'enable-app': 'audio-archive' } };

describe('the table of settings: one declaration for help, the config file, its schema and the validation', () => {
  const base = { 'stack-name': 'demo' };
  /** Rules no JSON Schema keyword states: the schema lets these through, validation refuses them. */
  const BEYOND_SCHEMA: [SettingName, unknown, string][] = [
    ['api-origin', '203.0.113.5/24', 'host bits set'],
    ['desired-capacity', 0, 'a fixed-size cluster needs a node (0 is fine with min/max)'],
    ['enable-app', 'room,audio-archive', 'audio-archive needs streams: beside it'],
    ['enable-app', ['audio-archive'], 'audio-archive needs streams: beside it'],
  ];
  const beyond = (key: string, value: unknown) => BEYOND_SCHEMA.some(([k, v]) => k === key && JSON.stringify(v) === JSON.stringify(value));
  it.each(Object.entries(SAMPLES).flatMap(([k, values]) => (values ?? []).map((v) => [k, v] as const)))('%s: %j is accepted by the schema exactly when validation accepts it', (key, value) => {
    const schema = (configSchema().properties as Record<string, Record<string, unknown>>)[key] ?? {};
    const raw = configToRaw({ ...base, ...CONTEXT[key as SettingName], [key]: value }, 'cluster.yaml', (p) => p);
    const validated = raw.problems.length === 0 && resolveSettings(raw.raw, 'eu-west-1', RELEASED_KMS_VERSIONS).ok;
    expect(schemaAccepts(schema, value)).toBe(validated || beyond(key, value));
    if (beyond(key, value)) expect(validated).toBe(false);
  });

  it('each setting a command takes is one of its flags, and help shows create’s default only on create', () => {
    for (const [name, d] of Object.entries(SETTINGS)) {
      const commands: readonly string[] = d.commands;
      if (commands.length === 0) continue; // a flag declared with the command's own options (stack-name, timeout…)
      expect(name in createOptions).toBe(commands.includes('create'));
      expect(name in updateOptions).toBe(commands.includes('update'));
    }
    expect(createOptions['scale-out-policy'].describe).toContain('[default: 75=10]');
    expect(updateOptions['scale-out-policy'].describe).not.toContain('[default');
    expect(updateOptions['scale-out-policy'].describe).toContain('unchanged when not given');
    // Settings an update cannot change are not update's flags.
    for (const fixed of ['aws-s3-bucket-name', 'api-key', 'inspector-user', 'inspector-pass', 'elasticsearch-password']) expect(fixed in updateOptions).toBe(false);
  });

  it('a config file may hold every setting, and a mistyped key gets a suggestion', () => {
    expect(CONFIG_KEYS).toEqual(Object.keys(SETTINGS));
    const r = configToRaw({ 'min-capacty': 2 }, 'cluster.yaml', (p) => p);
    expect(r.problems[0]?.expected).toBe('is not a setting; did you mean min-capacity?');
    expect(configToRaw({ zzz: 1 }, 'cluster.yaml', (p) => p).problems[0]?.expected).toContain('keys are long flag names');
  });
});
