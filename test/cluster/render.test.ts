import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isArmInstanceType, renderCluster, resourceLabels } from '../../src/cluster/render.js';
import { resolveSettings, type ClusterSettings } from '../../src/cluster/settings.js';
import { RELEASED_KMS_VERSIONS } from '../../src/cluster/versions.js';

const settings = (raw: Record<string, unknown> = {}): ClusterSettings => {
  const r = resolveSettings({ 'stack-name': 'demo', ...raw }, 'eu-west-1', RELEASED_KMS_VERSIONS);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
};

const golden = (name: string, actual: unknown) => {
  const path = new URL(`../golden/${name}.json`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) writeFileSync(path, `${JSON.stringify(actual, null, 2)}\n`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, Record<string, unknown>>;
};

describe('renderCluster', () => {
  const minimal = renderCluster(settings(), '0.1.0');

  it('matches the golden template, resource by resource', () => {
    const expected = golden('minimal', { parameters: minimal.parameters, tags: minimal.tags, template: minimal.template });
    const template = expected.template as unknown as { Resources: Record<string, unknown> };
    expect(Object.keys(minimal.template.Resources)).toEqual(Object.keys(template.Resources));
    for (const [id, resource] of Object.entries(minimal.template.Resources)) expect(resource, id).toEqual(template.Resources[id]);
    expect(minimal.parameters).toEqual(expected.parameters);
    expect(minimal.tags).toEqual(expected.tags);
  });

  it('is deterministic and stays under the inline template limit', () => {
    expect(renderCluster(settings(), '0.1.0').templateBody).toBe(minimal.templateBody);
    expect(Buffer.byteLength(minimal.templateBody)).toBeLessThan(51_200);
    expect(JSON.parse(minimal.templateBody)).toEqual(minimal.template);
  });

  it('requires IMDSv2 and encrypts the root volume', () => {
    const data = minimal.template.Resources.NodeLaunchTemplate?.Properties?.LaunchTemplateData as Record<string, any>;
    expect(data.MetadataOptions.HttpTokens).toBe('required');
    expect(data.BlockDeviceMappings[0].Ebs.Encrypted).toBe(true);
  });

  it('never opens the Kurento port 8888 to an address range', () => {
    for (const [id, r] of Object.entries(minimal.template.Resources)) {
      const rules = [...((r.Properties?.SecurityGroupIngress as any[]) ?? []), ...(r.Type === 'AWS::EC2::SecurityGroupIngress' ? [r.Properties] : [])];
      for (const rule of rules) {
        const covers8888 = rule.FromPort <= 8888 && rule.ToPort >= 8888 && rule.IpProtocol === 'tcp';
        if (covers8888) expect(rule.CidrIp, id).toBeUndefined();
      }
    }
  });

  it('retains the bucket, blocks public access and requires TLS', () => {
    const bucket = minimal.template.Resources.Bucket!;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
    expect(bucket.Properties?.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(JSON.stringify(minimal.template.Resources.BucketPolicy)).toContain('aws:SecureTransport');
  });

  it('tags the stack as a cluster with its versions', () => {
    expect(renderCluster(settings({ tags: 'team=media', version: '6.18.0' }), '1.2.3').tags).toEqual({
      team: 'media',
      'elasticrtc:cluster': 'demo',
      'elasticrtc:kms-version': '6.18.0',
      'elasticrtc:tool-version': '1.2.3',
    });
  });

  it('opens the API to --api-origin only, and SSH only with a key pair, to --control-origin only', () => {
    const r = renderCluster(settings({ 'api-origin': '203.0.113.0/24', 'control-origin': '198.51.100.7/32', 'aws-key-name': 'ops' }), '0.1.0');
    const lb = r.template.Resources.LoadBalancerSecurityGroup?.Properties?.SecurityGroupIngress as any[];
    expect(lb.map((x) => [x.CidrIp, x.FromPort])).toEqual([['203.0.113.0/24', 80]]);
    const node = r.template.Resources.NodeSecurityGroup?.Properties?.SecurityGroupIngress as any[];
    expect(node.filter((x) => x.FromPort === 22).map((x) => x.CidrIp)).toEqual(['198.51.100.7/32']);
    expect((minimal.template.Resources.NodeSecurityGroup?.Properties?.SecurityGroupIngress as any[]).some((x) => x.FromPort === 22)).toBe(false);
    expect(r.parameters.KeyName).toBe('ops');
  });

  it('picks the arm64 Ubuntu image for Graviton types and an own image when given', () => {
    expect(isArmInstanceType('c7g.large')).toBe(true);
    expect(isArmInstanceType('c7gn.xlarge')).toBe(true);
    expect(isArmInstanceType('c7i.large')).toBe(false);
    expect(renderCluster(settings({ 'aws-instance-type': 'm7g.large' }), '0').parameters.NodeImageParameter).toContain('/arm64/');
    expect(renderCluster(settings(), '0', 'ami-123').parameters.NodeImageId).toBe('ami-123');
  });

  it('labels every resource for people', () => {
    const labels = resourceLabels(minimal.template);
    expect(Object.keys(labels).sort()).toEqual(Object.keys(minimal.template.Resources).sort());
    expect(labels.LoadBalancer).toBe('load balancer');
  });

  it('declares every parameter it sends, and sends every parameter without a default', () => {
    const declared = minimal.template.Parameters ?? {};
    for (const key of Object.keys(minimal.parameters)) expect(declared, key).toHaveProperty(key);
    for (const [key, p] of Object.entries(declared)) if (p.Default === undefined) expect(minimal.parameters, key).toHaveProperty(key);
  });
});
