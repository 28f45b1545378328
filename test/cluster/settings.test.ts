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
      value: {
        stackName: 'demo',
        region: 'eu-west-1',
        kmsVersion: '7.3.0',
        instanceType: 'c7i.large',
        capacity: { min: 1, max: 1, desired: 1 },
        apiOrigin: ['0.0.0.0/0'],
        controlOrigin: ['0.0.0.0/0'],
        tags: {},
      },
    });
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
  ])('%j is rejected: %s', (raw, message) => {
    expect(problems(raw).join('\n')).toContain(message);
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
