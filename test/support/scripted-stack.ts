import { AwsFailure } from '../../src/aws/errors.js';
import type { StackApi, StackEvent } from '../../src/aws/stack-api.js';

/**
 * An in-memory StackApi whose one operation plays out over virtual time: the stack starts at `t0`,
 * resource i settles at t0 + (i + 1) × stepMs, and the stack's final event comes `finalLagMs` later.
 * `token`: what the events carry (default 'tok'; null: none, as some emulators answer). `finalEvent`
 * false: the final event is never written, though DescribeStacks reports the final status.
 * `calls` records event polls, `describes` status reads.
 */
export function scriptedStack(o: {
  now: () => number;
  t0: number;
  resources: number;
  stepMs: number;
  finalLagMs?: number;
  final?: string;
  failures?: (callIndex: number) => AwsFailure | undefined;
  token?: string | null;
  finalEvent?: boolean;
}) {
  const calls: number[] = [];
  const describes: number[] = [];
  const timeline: StackEvent[] = [];
  const stackId = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1';
  const token = o.token === undefined ? 'tok' : o.token;
  const base = { stackId, stackName: 'demo', ...(token !== null ? { token } : {}) };
  timeline.push({ ...base, id: 's0', logicalId: 'demo', type: 'AWS::CloudFormation::Stack', status: 'CREATE_IN_PROGRESS', timestamp: o.t0 });
  for (let i = 0; i < o.resources; i++) {
    const at = o.t0 + (i + 1) * o.stepMs;
    timeline.push({ ...base, id: `r${i}a`, logicalId: `Res${i}`, type: 'AWS::EC2::VPC', status: 'CREATE_IN_PROGRESS', timestamp: at - o.stepMs / 2 });
    timeline.push({ ...base, id: `r${i}b`, logicalId: `Res${i}`, type: 'AWS::EC2::VPC', status: 'CREATE_COMPLETE', timestamp: at });
  }
  const finalAt = o.t0 + o.resources * o.stepMs + (o.finalLagMs ?? 1000);
  const finalStatus = o.final ?? 'CREATE_COMPLETE';
  if (o.finalEvent !== false) timeline.push({ ...base, id: 'sZ', logicalId: 'demo', type: 'AWS::CloudFormation::Stack', status: finalStatus, timestamp: finalAt });
  timeline.sort((a, b) => a.timestamp - b.timestamp);

  const api: StackApi = {
    create: async () => stackId,
    async describe() {
      describes.push(o.now());
      const status = o.now() >= finalAt ? finalStatus : 'CREATE_IN_PROGRESS';
      return { id: stackId, name: 'demo', status, created: o.t0, parameters: {}, outputs: {}, tags: {}, terminationProtection: false };
    },
    pages: async function* () {},
    resources: async () => [],
    delete: async () => undefined,
    template: async () => '{}',
    createChangeSet: async () => 'cs',
    describeChangeSet: async () => ({ status: 'failed', id: 'cs', reason: "The submitted information didn't contain changes." }),
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
  return { api, calls, describes, finalAt, stackId };
}

export const throttled = () => new AwsFailure('throttled', 'Throttling', 'Rate exceeded', 'cloudformation:DescribeStackEvents');
