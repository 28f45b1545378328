import { describe, expect, it } from 'vitest';
import { buildReport, renderReport, withSettings } from '../../src/cluster/report.js';
import type { StackDescription } from '../../src/aws/stack-api.js';

const stack: StackDescription = {
  id: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1',
  name: 'demo',
  status: 'CREATE_COMPLETE',
  created: Date.UTC(2026, 10, 21, 5, 0, 0),
  parameters: { KmsVersion: '7.3.0', InstanceType: 'c7i.large', DesiredCapacity: '2', MinCapacity: '1', MaxCapacity: '4', KeyName: '', NodeImageParameter: '/aws/x', ApiKey: 'supersecretkey123', InspectorPass: 'hunter2' },
  outputs: { ClusterUrl: 'ws://lb.example/kurento', BucketName: 'bucket-1', LoadBalancerDnsName: 'lb.example' },
  tags: { 'elasticrtc:cluster': 'demo', 'elasticrtc:kms-version': '7.3.0' },
  terminationProtection: false,
};

const facts = {
  region: 'eu-west-1',
  stack,
  resources: [{ logicalId: 'NodeGroup', physicalId: 'demo-NodeGroup-1', type: 'AWS::AutoScaling::AutoScalingGroup', status: 'CREATE_COMPLETE' }],
  groups: [{ name: 'demo-NodeGroup-1', min: 1, max: 4, desired: 2, instanceIds: ['i-1', 'i-2'] }],
  instances: [
    { id: 'i-1', type: 'c7i.large', state: 'running', privateIp: '10.0.0.5', publicIp: '54.0.0.1', zone: 'eu-west-1a' },
    { id: 'i-2', type: 'c7i.large', state: 'pending', privateIp: '10.0.16.7' },
    { id: 'i-9', type: 'c7i.large', state: 'running' },
  ],
};

describe('cluster report', () => {
  const report = buildReport(facts);

  it('keeps the 2016 fields', () => {
    expect(report).toMatchObject({ name: 'demo', status: 'CREATE_COMPLETE', version: '7.3.0', clusterUrl: 'ws://lb.example/kurento', app: 'none', bucket: 'bucket-1' });
    expect(report.capacity).toEqual({ min: 1, max: 4, desired: 2 });
    expect(report.instances.map((i) => i.id)).toEqual(['i-1', 'i-2']);
  });

  it('survives instances without a public address (a 2016 crash)', () => {
    expect(report.instances[1]).toEqual({ id: 'i-2', type: 'c7i.large', state: 'pending', privateIp: '10.0.16.7', publicIp: null, zone: null });
    expect(renderReport(report)).toContain('i-2: c7i.large - 10.0.16.7/none (pending)');
  });

  it('names parameters by flag and masks secrets', () => {
    expect(report.parameters).toMatchObject({ version: '7.3.0', 'aws-instance-type': 'c7i.large', 'min-capacity': '1' });
    expect(report.parameters['api-key']).toBe('****');
    expect(report.parameters['inspector-pass']).toBe('****');
    expect(report.parameters).not.toHaveProperty('NodeImageParameter');
    const text = renderReport(report);
    expect(text).not.toContain('supersecretkey123');
    expect(text).not.toContain('hunter2');
    expect(text).toContain('i-1: c7i.large - 10.0.0.5/54.0.0.1');
    expect(text).toContain('(min 1, desired 2, max 4)');
  });

  it('copes with a stack that has no nodes yet', () => {
    const empty = buildReport({ ...facts, resources: [], groups: [], instances: [] });
    expect(empty.instances).toEqual([]);
    expect(empty.capacity).toBeNull();
    expect(renderReport(empty)).toContain('Instances:     0');
  });

  it('shows origins, scaling policies, tags, termination protection, and the app and cost map as values', () => {
    const built = buildReport({
      ...facts,
      stack: {
        ...stack,
        parameters: { ...stack.parameters, EnableApp: 'false', CostMap: '{"WebRtcEndpoint":1,"PlayerEndpoint":2}' },
        tags: { ...stack.tags, team: 'media' },
        terminationProtection: true,
      },
      settings: { 'api-origin': '10.0.0.0/8,192.0.2.0/24', 'control-origin': '203.0.113.7/32', 'scale-out-policy': '70=50,90=100', 'scale-in-policy': '30=-20' },
    });
    expect(built).toMatchObject({
      apiOrigin: ['10.0.0.0/8', '192.0.2.0/24'],
      controlOrigin: ['203.0.113.7/32'],
      scaleOutPolicy: ['70=50', '90=100'],
      scaleInPolicy: ['30=-20'],
      costMap: { WebRtcEndpoint: 1, PlayerEndpoint: 2 },
      terminationProtection: true,
      tags: { team: 'media' },
    });
    const text = renderReport(built);
    expect(text).toContain('API origin:    10.0.0.0/8, 192.0.2.0/24');
    expect(text).toContain('SSH origin:    203.0.113.7/32');
    expect(text).toContain('Scale out:     70=50, 90=100');
    expect(text).toContain('Scale in:      30=-20');
    expect(text).toContain('Protected:     yes');
    expect(text).toContain('Tags:          team=media');
    expect(text).not.toContain('elasticrtc:cluster=');
    expect(text).toMatch(/cost-map\s+WebRtcEndpoint=1,PlayerEndpoint=2\n/);
    expect(text).toMatch(/enable-app\s+none(\n|$)/);
    expect(text).not.toContain('{"WebRtcEndpoint"');
  });

  it('adds the template settings to a report built without them, and leaves it alone without any', () => {
    expect(report.apiOrigin).toBeNull();
    expect(report.terminationProtection).toBe(false);
    expect(renderReport(report)).toContain('Protected:     no');
    expect(withSettings(report, undefined)).toBe(report);
    expect(withSettings(report, { 'api-origin': '0.0.0.0/0', 'cost-map': 'WebRtcEndpoint=1' })).toMatchObject({ apiOrigin: ['0.0.0.0/0'], costMap: { WebRtcEndpoint: 1 } });
  });

  it('lists the apps from the template settings: the room at /app/, the archive streams, where they land and their alarms', () => {
    const built = buildReport({
      ...facts,
      resources: [...facts.resources, { logicalId: 'RecorderGroup', physicalId: 'demo-recorders', type: 'AWS::AutoScaling::AutoScalingGroup', status: 'CREATE_COMPLETE' }],
      groups: [...facts.groups, { name: 'demo-recorders', min: 2, max: 2, desired: 2, instanceIds: ['i-r1', 'i-r2'] }],
      instances: [...facts.instances, { id: 'i-r1', type: 't3.small', state: 'running', privateIp: '10.0.0.9', zone: 'eu-west-1a' }, { id: 'i-r2', type: 't3.small', state: 'running', privateIp: '10.0.16.9', zone: 'eu-west-1b' }],
      settings: { 'enable-app': 'room,audio-archive', streams: [{ name: 'radio1', 'segment-seconds': 300 }, { name: 'news', 'segment-seconds': 60 }] },
    });
    expect(built).toMatchObject({
      app: 'room,audio-archive',
      apps: ['room', 'audio-archive'],
      appUrl: 'http://lb.example/app/',
      archive: [
        { stream: 'radio1', segmentSeconds: 300, location: 's3://bucket-1/final/radio1/', alarm: 'demo-audio-archive-radio1' },
        { stream: 'news', segmentSeconds: 60, location: 's3://bucket-1/final/news/', alarm: 'demo-audio-archive-news' },
      ],
    });
    expect(built.recorderInstances.map((i) => i.id)).toEqual(['i-r1', 'i-r2']);
    const text = renderReport(built);
    expect(text).toContain('App:           room,audio-archive');
    expect(text).toContain('App URL:       http://lb.example/app/');
    expect(text).toContain('Archive:       2 streams, recorded by two recorders');
    expect(text).toContain('    radio1: 300 s segments → s3://bucket-1/final/radio1/ (alarm demo-audio-archive-radio1)');
    expect(text).toContain('Recorders:     2');
    const archiveOnly = renderReport(withSettings(report, { 'enable-app': 'audio-archive', streams: [{ name: 'radio1' }] }));
    expect(archiveOnly).not.toContain('App URL');
    expect(archiveOnly).toContain('radio1: 300 s segments → s3://bucket-1/final/radio1/');
    const tls = withSettings({ ...report, clusterUrl: 'wss://media.example.com/********', dnsName: 'media.example.com' }, { 'enable-app': 'room' });
    expect(tls).toMatchObject({ appUrl: 'https://media.example.com/app/', archive: [] });
  });

  it('lists the cameras: each one’s Kinesis video stream (kvs-relay), its recordings (cameras) and retention, and the cameras page', () => {
    const built = buildReport({
      ...facts,
      resources: [...facts.resources, { logicalId: 'CameraStream1', physicalId: 'demo-CameraStream1-AbC12', type: 'AWS::KinesisVideo::Stream', status: 'CREATE_COMPLETE' }],
      settings: { 'enable-app': 'kvs-relay,cameras', cameras: [{ name: 'lobby', 'retention-days': 30 }, { name: 'dock', 'retention-days': 1 }] },
    });
    expect(built).toMatchObject({
      apps: ['kvs-relay', 'cameras'],
      appUrl: null,
      camerasUrl: 'http://lb.example/app/cameras',
      cameras: [
        { camera: 'lobby', retentionDays: 30, stream: 'demo-CameraStream1-AbC12', recordings: 's3://bucket-1/cameras/lobby/' },
        { camera: 'dock', retentionDays: 1, stream: null, recordings: 's3://bucket-1/cameras/dock/' },
      ],
    });
    const text = renderReport(built);
    expect(text).not.toContain('App URL');
    expect(text).toContain('Cameras page:  http://lb.example/app/cameras');
    expect(text).toContain('    lobby: Kinesis video stream demo-CameraStream1-AbC12, recordings s3://bucket-1/cameras/lobby/ (kept 30 days)');
    expect(text).toContain('    dock: Kinesis video stream not created yet, recordings s3://bucket-1/cameras/dock/ (kept 1 day)');
    const relayOnly = renderReport(withSettings(built, { 'enable-app': 'kvs-relay', cameras: [{ name: 'lobby' }] }));
    expect(relayOnly).not.toContain('Cameras page');
    expect(relayOnly).toContain('    lobby: Kinesis video stream demo-CameraStream1-AbC12 (kept 7 days)');
  });
});
