import { describe, expect, it } from 'vitest';
import { deployerPolicy } from '../../src/cluster/iam-policy.js';
import { endpointEnv, onlyJson, runCli } from '../support/cli.js';

// iam-policy makes no AWS call: the endpoint is never reached.
const env = (extra: Record<string, string> = {}) => endpointEnv('http://127.0.0.1:9', extra);
const arnsOf = (doc: Record<string, unknown>): string[] =>
  (doc.Statement as { Resource: string | string[] }[]).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).filter((r) => r.startsWith('arn:'));

describe('elasticrtc iam-policy, in the partition of the region', () => {
  it.each([
    [['--region', 'cn-north-1'], {}, 'aws-cn'],
    [['--region', 'us-gov-west-1'], {}, 'aws-us-gov'],
    [['--region', 'eu-west-1'], {}, 'aws'],
    [[], { AWS_REGION: 'cn-northwest-1' }, 'aws-cn'],
    [[], {}, 'aws'],
  ] as const)('%j %j → %s', async (flags, extra, partition) => {
    const r = await runCli(['iam-policy', ...flags], env(extra));
    expect(r.code).toBe(0);
    const doc = onlyJson(r.stdout);
    expect(doc).toEqual(deployerPolicy(partition));
    const arns = arnsOf(doc);
    expect(arns.length).toBeGreaterThan(5);
    expect(arns.filter((a) => !a.startsWith(`arn:${partition}:`))).toEqual([]);
  });
});
