import { describe, expect, it } from 'vitest';
import { LOAD_BALANCER_ACTIONS_BY_TYPE, allows, deployerPolicy, partitionOf } from '../../src/cluster/iam-policy.js';
import { SCENARIOS, renderScenario } from './scenarios.js';

const arns = (p: ReturnType<typeof deployerPolicy>) => p.Statement.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).filter((r) => r.startsWith('arn:'));

describe('deployer policy', () => {
  it('names every ARN in the one partition it is given', () => {
    for (const partition of ['aws', 'aws-cn', 'aws-us-gov']) {
      const all = arns(deployerPolicy(partition));
      expect(all.length).toBeGreaterThan(5);
      for (const arn of all) expect(arn.startsWith(`arn:${partition}:`), arn).toBe(true);
    }
    expect(JSON.stringify(deployerPolicy('aws-cn'))).not.toContain('arn:aws:');
    expect(() => deployerPolicy('arn:aws')).toThrow(/not an AWS partition/);
  });

  it('knows the partition of a region offline', () => {
    expect(partitionOf('eu-west-1')).toBe('aws');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf('us-gov-west-1')).toBe('aws-us-gov');
  });

  it('grants only the load balancer actions the template’s resources need, never elasticloadbalancing:*', () => {
    const policy = deployerPolicy();
    const elb = policy.Statement.flatMap((s) => s.Action).filter((a) => a.startsWith('elasticloadbalancing:'));
    expect(elb.length).toBeGreaterThan(0);
    expect(elb.filter((a) => a.includes('*'))).toEqual([]);
    expect(allows(policy, 'elasticloadbalancing:DeleteLoadBalancerListeners')).toBe(false);
    expect(allows(policy, 'elasticloadbalancing:CreateTrustStore')).toBe(false);
    // Every load balancer resource type any scenario renders has its actions; no action is for a type the template lacks.
    const types = new Set(Object.keys(SCENARIOS).flatMap((name) => Object.values(renderScenario(name).template.Resources).map((r) => r.Type)).filter((t) => t.startsWith('AWS::ElasticLoadBalancingV2::')));
    expect([...types].sort()).toEqual(Object.keys(LOAD_BALANCER_ACTIONS_BY_TYPE).sort());
    for (const type of types) for (const action of LOAD_BALANCER_ACTIONS_BY_TYPE[type] ?? []) expect(allows(policy, action), action).toBe(true);
    for (const action of ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup', 'elasticloadbalancing:CreateListener', 'elasticloadbalancing:CreateRule']) expect(elb).toContain(action);
  });
});
