import type { StackEvent } from '../../src/aws/stack-api.js';

let seq = 0;

/** A stack event for tests; `logicalId` equal to the stack name makes it a stack event. */
export function ev(logicalId: string, status: string, timestamp: number, extra: Partial<StackEvent> = {}): StackEvent {
  const stackName = extra.stackName ?? 'demo';
  return {
    id: `e${++seq}`,
    stackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/demo/1',
    stackName,
    logicalId,
    type: logicalId === stackName ? 'AWS::CloudFormation::Stack' : 'AWS::EC2::VPC',
    status,
    timestamp,
    token: 'tok',
    ...extra,
  };
}
