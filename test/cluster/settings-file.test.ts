import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configToRaw, settingsToFlags } from '../../src/cluster/settings-file.js';
import { resolveSettings } from '../../src/cluster/settings.js';
import { RELEASED_KMS_VERSIONS } from '../../src/cluster/versions.js';

const resolve = (raw: Record<string, unknown>) => {
  const r = resolveSettings(raw, 'eu-west-1', RELEASED_KMS_VERSIONS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

describe('config files', () => {
  it('round-trips: the settings printed as a file read back to the same settings', () => {
    const original = resolve({
      'stack-name': 'demo',
      'min-capacity': '2',
      'max-capacity': '6',
      'scale-out-policy': '60=20,80=50',
      'scale-in-policy': '10=30,30=10',
      'cost-map': 'WebRtcEndpoint=1,RecorderEndpoint=0.5',
      'api-origin': '203.0.113.0/24,198.51.100.0/24',
      'log-storage': 'elasticsearch',
      'elasticsearch-transport': 'es.example.com',
      'elasticsearch-user': 'kms',
      'enable-turn': 'false',
      'aws-app-instance-type': 't3.medium',
      tags: 'team=media',
      'certificate-arn': 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9',
    });
    const file = stringify(settingsToFlags(original));
    const { raw, problems } = configToRaw(parse(file), 'c.yaml', (p) => p);
    expect(problems).toEqual([]);
    expect(resolve(raw)).toEqual(original);
  });

  it('never writes a secret into the file', () => {
    const s = resolve({ 'stack-name': 'demo', 'api-key': 'abcdefgh12345678', 'inspector-pass': 'p4ssw0rd-long', 'log-storage': 'elasticsearch', 'elasticsearch-transport': 'es', 'elasticsearch-user': 'u', 'elasticsearch-password': 'esp4ssw0rd' });
    const text = stringify(settingsToFlags(s));
    for (const secret of ['abcdefgh12345678', 'p4ssw0rd-long', 'esp4ssw0rd']) expect(text).not.toContain(secret);
  });

  it('accepts lists, numbers, booleans and a tags mapping; resolves paths against the file', () => {
    const doc = parse('min-capacity: 2\nmax-capacity: 4\napi-origin: [203.0.113.0/24, 198.51.100.0/24]\ntags: { team: media, env: prod }\nssl-cert: certs/c.pem\nelasticsearch-ssl: true\n');
    const { raw, problems } = configToRaw(doc, '/etc/er/c.yaml', (p) => `/etc/er/${p}`);
    expect(problems).toEqual([]);
    expect(raw).toEqual({ 'min-capacity': 2, 'max-capacity': 4, 'api-origin': '203.0.113.0/24,198.51.100.0/24', tags: 'team=media,env=prod', 'ssl-cert': '/etc/er/certs/c.pem', 'elasticsearch-ssl': true });
  });

  it.each([
    ['min-capacty: 2', 'c.yaml: min-capacty: is not a setting; did you mean min-capacity?'],
    ['api-origin: { a: 1 }', 'c.yaml: api-origin: expected a single value'],
    ['- just\n- a list', 'expected a YAML mapping of flag names to values'],
    ['aws-access-key-id: AKIA', 'c.yaml: aws-access-key-id: is not a setting'],
  ])('%j is a problem naming the file and key', (text, message) => {
    const { problems } = configToRaw(parse(text), 'c.yaml', (p) => p);
    expect(problems.map((p) => `${p.value}: ${p.expected}`).join('\n')).toContain(message.replace(/^c\.yaml: /, 'c.yaml: '));
  });
});
