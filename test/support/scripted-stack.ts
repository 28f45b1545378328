import { AwsFailure } from '../../src/aws/errors.js';
import type { StackApi, StackEvent } from '../../src/aws/stack-api.js';

/**
 * An in-memory StackApi whose one operation plays out over virtual time: the stack starts at `t0`,
 * resource i settles at t0 + (i + 1) × stepMs, and the stack's final event comes `finalLagMs` later.
 */
export function scriptedStack(o: { now: () => number; t0: number; resources: number; stepMs: number; finalLagMs?: number; final?: string; failures?: (callIndex: number) => AwsFailure | undefined }) {
  const calls: number[] = [];
  const timeline: StackEvent[] = [];
  const stackId = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1';
  const base = { stackId, stackName: 'demo', token: 'tok' };
  timeline.push({ ...base, id: 's0', logicalId: 'demo', type: 'AWS::CloudFormation::Stack', status: 'CREATE_IN_PROGRESS', timestamp: o.t0 });
  for (let i = 0; i < o.resources; i++) {
    const at = o.t0 + (i + 1) * o.stepMs;
    timeline.push({ ...base, id: `r${i}a`, logicalId: `Res${i}`, type: 'AWS::EC2::VPC', status: 'CREATE_IN_PROGRESS', timestamp: at - o.stepMs / 2 });
    timeline.push({ ...base, id: `r${i}b`, logicalId: `Res${i}`, type: 'AWS::EC2::VPC', status: 'CREATE_COMPLETE', timestamp: at });
  }
  const finalAt = o.t0 + o.resources * o.stepMs + (o.finalLagMs ?? 1000);
  timeline.push({ ...base, id: 'sZ', logicalId: 'demo', type: 'AWS::CloudFormation::Stack', status: o.final ?? 'CREATE_COMPLETE', timestamp: finalAt });
  timeline.sort((a, b) => a.timestamp - b.timestamp);

  const api: StackApi = {
    create: async () => stackId,
    describe: async () => undefined,
    pages: async function* () {},
    resources: async () => [],
    delete: async () => undefined,
    template: async () => '{}',
    prepareUpdate: async () => ({ status: 'empty', id: 'cs' }),
    executeChangeSet: async () => undefined,
    deleteChangeSet: async () => undefined,
    cancelUpdate: async () => undefined,
    async recentEvents(_id, enough) {
      calls.push(o.now());
      const failure = o.failures?.(calls.length - 1);
      if (failure) throw failure;
      const visible = timeline.filter((e) => e.timestamp <= o.now()).reverse();
      const page: StackEvent[] = [];
      for (const e of visible) {
        page.push(e);
        if (enough(e)) break;
      }
      return page;
    },
  };
  return { api, calls, finalAt, stackId };
}

export const throttled = () => new AwsFailure('throttled', 'Throttling', 'Rate exceeded', 'cloudformation:DescribeStackEvents');
