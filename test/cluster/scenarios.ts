import { runtimeRef } from '../../src/cluster/node-runtime.js';
import { type RenderInputs, renderCluster } from '../../src/cluster/render.js';
import { type ClusterSettings, resolveSettings } from '../../src/cluster/settings.js';
import { RELEASED_KMS_VERSIONS } from '../../src/cluster/versions.js';

export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:elasticrtc/demo-AbCdEf';
export const CERT_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';

export function settings(raw: Record<string, unknown> = {}): ClusterSettings {
  const r = resolveSettings({ 'stack-name': 'demo', ...raw }, 'eu-west-1', RELEASED_KMS_VERSIONS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

/** A runtime bundle's digest (any 64 hex digits: rendering never reads the bundle). */
export const RUNTIME_SHA256 = '5f2b8e0c1d4a7b3e9f60a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2';
export const RUNTIME = runtimeRef('1.0.0', RUNTIME_SHA256);

const base: RenderInputs = { toolVersion: '1.0.0', secretArn: SECRET_ARN, runtime: RUNTIME, zones: ['eu-west-1a', 'eu-west-1b'] };

/** The template matrix of the template issue: each scenario's flags and what preflight decided. */
export const SCENARIOS: Record<string, { flags: Record<string, unknown>; inputs?: Partial<RenderInputs> }> = {
  minimal: { flags: {} },
  tls: { flags: { 'certificate-arn': CERT_ARN }, inputs: { certificateArn: CERT_ARN, dnsName: 'demo.example.com' } },
  'tls-zone': { flags: { 'certificate-arn': CERT_ARN, 'hosted-zone-id': 'Z0123456789ABCDEFGHIJ' }, inputs: { certificateArn: CERT_ARN, dnsName: 'media.example.com' } },
  wildcard: { flags: { 'certificate-arn': CERT_ARN }, inputs: { certificateArn: CERT_ARN, dnsName: 'demo.example.com' } },
  autoscaling: { flags: { 'min-capacity': 1, 'max-capacity': 8, 'desired-capacity': 2, 'scale-out-policy': '65=10,85=40', 'scale-in-policy': '15=40,35=10' } },
  'logs-s3': { flags: { 'log-storage': 's3' } },
  'logs-elasticsearch': { flags: { 'log-storage': 'elasticsearch', 'elasticsearch-transport': 'logs.example.com:9243', 'elasticsearch-ssl': true, 'elasticsearch-user': 'kms' } },
  'logs-none': { flags: { 'log-storage': 'none' } },
  'turn-off': { flags: { 'enable-turn': 'false' } },
  'named-bucket': { flags: { 'aws-s3-bucket-name': 'my-recordings' } },
  room: { flags: { 'enable-app': 'room', 'aws-app-instance-type': 't4g.small', 'aws-key-name': 'ops', 'control-origin': '192.0.2.10/32,198.51.100.0/24,203.0.113.0/24,10.1.0.0/16' } },
  'room-tls': { flags: { 'enable-app': 'room', 'certificate-arn': CERT_ARN, 'hosted-zone-id': 'Z0123456789ABCDEFGHIJ' }, inputs: { certificateArn: CERT_ARN, dnsName: 'media.example.com' } },
  'audio-archive': {
    flags: {
      'enable-app': 'room,audio-archive',
      'aws-key-name': 'ops',
      'control-origin': '192.0.2.10/32',
      streams: [
        { name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org:8443/live.mp3' },
        { name: 'news_2', url: 'http://radio.example.net/news', 'segment-seconds': 90 },
      ],
    },
  },
  'kvs-relay': {
    flags: {
      'enable-app': 'kvs-relay',
      cameras: [
        { name: 'lobby', url: 'rtsp://viewer:s3cr%40t@10.0.0.5:554/Streaming/Channels/101', 'retention-days': 30 },
        { name: 'dock', url: 'rtsp://10.0.0.6/stream1' },
      ],
    },
  },
  cameras: {
    flags: {
      'enable-app': 'room,kvs-relay,cameras',
      'certificate-arn': CERT_ARN,
      'hosted-zone-id': 'Z0123456789ABCDEFGHIJ',
      cameras: [
        { name: 'lobby', url: 'rtsp://viewer:s3cr%40t@10.0.0.5:554/Streaming/Channels/101', 'retention-days': 30 },
        { name: 'dock', url: 'rtsps://10.0.0.6/stream1' },
      ],
    },
    inputs: { certificateArn: CERT_ARN, dnsName: 'media.example.com' },
  },
  dedicated: { flags: { 'aws-instance-tenancy': 'dedicated', 'aws-key-name': 'ops', 'api-origin': '203.0.113.0/24,198.51.100.0/24,192.0.2.0/24,203.0.113.128/25,198.51.100.7/32', 'control-origin': '192.0.2.10/32' } },
};

export const renderScenario = (name: string) => {
  const scenario = SCENARIOS[name];
  if (!scenario) throw new Error(name);
  return renderCluster(settings(scenario.flags), { ...base, ...scenario.inputs });
};
