import { describe, expect, it } from 'vitest';
import { checkUpdateFlags, mergeUpdateSettings, settingChanges } from '../../src/cluster/update-settings.js';
import { parseCapacity } from '../../src/cluster/settings.js';

const autoscaling = { 'stack-name': 'demo', 'desired-capacity': 1, 'min-capacity': 1, 'max-capacity': 4 };
const fixed = { 'stack-name': 'demo', 'desired-capacity': 1, 'min-capacity': 1, 'max-capacity': 1 };
const capacity = (current: Record<string, unknown>, changes: Record<string, unknown>) => parseCapacity(mergeUpdateSettings(current, changes));

describe('mergeUpdateSettings: capacity', () => {
  it('a desired capacity not given now is clamped into the new bounds', () => {
    expect(capacity(autoscaling, { 'max-capacity': '8', 'min-capacity': '2' })).toEqual({ ok: true, value: { min: 2, max: 8, desired: 2 } });
    expect(capacity({ ...autoscaling, 'desired-capacity': 4 }, { 'max-capacity': '3' })).toEqual({ ok: true, value: { min: 1, max: 3, desired: 3 } });
    expect(capacity(autoscaling, { 'aws-instance-type': 'c7i.xlarge' })).toEqual({ ok: true, value: { min: 1, max: 4, desired: 1 } });
  });

  it('a fixed-size cluster given only --desired-capacity stays fixed at that size', () => {
    expect(capacity(fixed, { 'desired-capacity': '3' })).toEqual({ ok: true, value: { min: 3, max: 3, desired: 3 } });
    expect(capacity(fixed, { 'desired-capacity': '0' })).toMatchObject({ ok: false, problems: [{ flag: 'desired-capacity', value: '0' }] });
  });

  it('bounds on a fixed-size cluster make it autoscaling, its size clamped', () => {
    expect(capacity({ ...fixed, 'desired-capacity': 3, 'min-capacity': 3, 'max-capacity': 3 }, { 'min-capacity': '1', 'max-capacity': '2' })).toEqual({ ok: true, value: { min: 1, max: 2, desired: 2 } });
    expect(capacity(fixed, { 'max-capacity': '8' })).toEqual({ ok: true, value: { min: 1, max: 8, desired: 1 } });
  });

  it('an explicit --desired-capacity is checked against the bounds as they end up', () => {
    expect(capacity(autoscaling, { 'desired-capacity': '3' })).toEqual({ ok: true, value: { min: 1, max: 4, desired: 3 } });
    expect(capacity(autoscaling, { 'desired-capacity': '9', 'min-capacity': '2', 'max-capacity': '8' })).toEqual({ ok: false, problems: [{ flag: 'desired-capacity', value: '9', expected: 'is above --max-capacity 8' }] });
    expect(capacity(autoscaling, { 'desired-capacity': '5' })).toMatchObject({ ok: false, problems: [{ flag: 'desired-capacity', value: '5' }] });
  });

  it('bad or crossed bounds are reported as given, not clamped around', () => {
    expect(capacity(autoscaling, { 'max-capacity': 'lots' })).toMatchObject({ ok: false, problems: [{ flag: 'max-capacity', value: 'lots' }] });
    expect(capacity(autoscaling, { 'min-capacity': '6' })).toEqual({ ok: false, problems: [{ flag: 'min-capacity', value: '6', expected: 'is above --max-capacity 4' }] });
  });
});

describe('mergeUpdateSettings: the certificate', () => {
  const own = 'arn:aws:acm:eu-west-1:123456789012:certificate/own';
  const importedArn = 'arn:aws:acm:eu-west-1:123456789012:certificate/imported';
  const fromFiles = { 'stack-name': 'demo', 'ssl-cert': '/old/c.pem', 'ssl-key': '/old/k.pem' };
  const fromArn = { 'stack-name': 'demo', 'certificate-arn': own };

  it('nothing given: the deployed certificate stays, by its ARN', () => {
    expect(mergeUpdateSettings(fromFiles, {}, importedArn)).toEqual({ 'stack-name': 'demo', 'certificate-arn': importedArn });
    expect(mergeUpdateSettings(fromArn, {}, own)).toEqual({ 'stack-name': 'demo', 'certificate-arn': own });
    expect(mergeUpdateSettings({ 'stack-name': 'demo' }, {}, '')).toEqual({ 'stack-name': 'demo' });
  });

  it('new files replace files or an ARN', () => {
    const files = { 'ssl-cert': 'new.pem', 'ssl-key': 'new.key' };
    expect(mergeUpdateSettings(fromFiles, files, importedArn)).toEqual({ 'stack-name': 'demo', ...files });
    expect(mergeUpdateSettings(fromArn, files, own)).toEqual({ 'stack-name': 'demo', ...files });
    expect(mergeUpdateSettings({ ...fromArn, 'certificate-arn': importedArn }, files, importedArn)).toEqual({ 'stack-name': 'demo', ...files });
  });

  it('an ARN replaces files', () => {
    expect(mergeUpdateSettings(fromFiles, { 'certificate-arn': own }, importedArn)).toEqual({ 'stack-name': 'demo', 'certificate-arn': own });
  });
});

describe('checkUpdateFlags: what the flags alone tell, before AWS', () => {
  it('bounds given together, with or without a desired capacity', () => {
    expect(checkUpdateFlags({ 'min-capacity': '2', 'max-capacity': '8' })).toEqual({ ok: true, value: true });
    expect(checkUpdateFlags({ 'desired-capacity': '9', 'min-capacity': '2', 'max-capacity': '8' })).toMatchObject({ ok: false, problems: [{ flag: 'desired-capacity', value: '9' }] });
    expect(checkUpdateFlags({ 'min-capacity': '5', 'max-capacity': '2' })).toMatchObject({ ok: false, problems: [{ flag: 'min-capacity', value: '5' }] });
    // One bound or a desired capacity alone needs the cluster's settings.
    expect(checkUpdateFlags({ 'desired-capacity': '9' })).toEqual({ ok: true, value: true });
    expect(checkUpdateFlags({ 'max-capacity': '3' })).toEqual({ ok: true, value: true });
  });

  it('a certificate as files and as an ARN at once', () => {
    expect(checkUpdateFlags({ 'ssl-cert': 'c.pem', 'ssl-key': 'k.pem', 'certificate-arn': 'arn:x' })).toMatchObject({ ok: false, problems: [{ flag: 'certificate-arn', value: 'arn:x' }] });
  });
});

describe('settingChanges: what an update changes, and from where', () => {
  it('names the flag or the file of each new value, and a desired capacity that follows new bounds', () => {
    const current = { ...autoscaling, 'aws-instance-type': 'c7i.large', 'log-storage': 'cloudwatch', 'ssl-cert': '/old/cert.pem' };
    const changes = { 'min-capacity': '2', 'max-capacity': '8', 'log-storage': 's3' };
    const next = mergeUpdateSettings(current, changes, 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9');
    const source = (k: string) => (k === 'log-storage' ? 'cluster.yaml' : k in changes ? `--${k}` : undefined);
    expect(settingChanges(current, next, source)).toEqual([
      { setting: 'desired-capacity', from: '1', to: '2', source: 'follows the new bounds' },
      { setting: 'min-capacity', from: '1', to: '2', source: '--min-capacity' },
      { setting: 'max-capacity', from: '4', to: '8', source: '--max-capacity' },
      { setting: 'log-storage', from: 'cloudwatch', to: 's3', source: 'cluster.yaml' },
    ]);
  });

  it('lists nothing when the values given are the cluster’s own', () => {
    expect(settingChanges(autoscaling, mergeUpdateSettings(autoscaling, { 'min-capacity': '1' }), (k) => `--${k}`)).toEqual([]);
  });
});
