/** SDK clients for what a node agent calls (CloudWatch, SQS), pointed at the fake like `clients()` in `helpers.ts`. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SQSClient } from '@aws-sdk/client-sqs';

const config = (url: string, accessKeyId = 'AKIDTEST') => ({
  region: 'eu-west-1',
  endpoint: url,
  credentials: { accessKeyId, secretAccessKey: 'secret' },
  maxAttempts: 1,
});

/** CloudWatch and SQS clients signed with `accessKeyId`. */
export function agentClients(url: string, accessKeyId?: string) {
  return { cw: new CloudWatchClient(config(url, accessKeyId)), sqs: new SQSClient(config(url, accessKeyId)) };
}

/** The query code an `awsQueryCompatible` JSON service sent in `x-amzn-query-error` (the SDK's `Code`). */
export function queryCode(e: unknown): string | undefined {
  return (e as { Code?: string }).Code;
}
