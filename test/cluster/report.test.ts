import { describe, expect, it } from 'vitest';
import { buildReport, renderReport } from '../../src/cluster/report.js';
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
});
