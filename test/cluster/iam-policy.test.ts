import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOAD_BALANCER_ACTIONS_BY_TYPE, allows, deployerPolicy, partitionOf } from '../../src/cluster/iam-policy.js';
import { runIamPolicy } from '../../src/commands/iam-policy/run.js';
import type { IamPolicyOptions } from '../../src/commands/iam-policy/command.js';
import { testContext } from '../support/context.js';
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

describe('elasticrtc iam-policy', () => {
  // No AWS config files: the region comes only from what each case gives.
  const home = mkdtempSync(join(tmpdir(), 'elasticrtc-iam-'));
  const noFiles = { HOME: home, AWS_CONFIG_FILE: join(home, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials') };
  const print = async (opts: Partial<IamPolicyOptions>, env: Record<string, string> = {}) => {
    const t = testContext({ env: { ...noFiles, ...env }, aws: () => expect.unreachable('iam-policy makes no AWS call') });
    await runIamPolicy(t.ctx, opts as IamPolicyOptions);
    return JSON.parse(t.out()) as ReturnType<typeof deployerPolicy>;
  };

  it.each([
    ['eu-west-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
  ])('names its ARNs in the partition of --region %s (%s)', async (region, partition) => {
    const policy = await print({ region });
    expect(policy).toEqual(deployerPolicy(partition));
    const all = arns(policy);
    expect(all.length).toBeGreaterThan(5);
    for (const arn of all) expect(arn.startsWith(`arn:${partition}:`), arn).toBe(true);
  });

  it('takes the region from AWS_REGION, AWS_DEFAULT_REGION or the profile too', async () => {
    expect(arns(await print({}, { AWS_REGION: 'cn-north-1' }))[0]).toMatch(/^arn:aws-cn:/);
    expect(arns(await print({}, { AWS_DEFAULT_REGION: 'us-gov-west-1' }))[0]).toMatch(/^arn:aws-us-gov:/);
    const dir = mkdtempSync(join(tmpdir(), 'elasticrtc-iam-profile-'));
    writeFileSync(join(dir, 'config'), '[profile gov]\nregion = us-gov-east-1\n');
    expect(arns(await print({ profile: 'gov' }, { AWS_CONFIG_FILE: join(dir, 'config') }))[0]).toMatch(/^arn:aws-us-gov:/);
  });

  it('uses the aws partition when no region is set, and refuses a malformed region', async () => {
    expect(await print({})).toEqual(deployerPolicy('aws'));
    await expect(print({ region: 'moon-1' })).rejects.toMatchObject({ code: 'InvalidRegion', exitCode: 2 });
  });
});

