
/** The load metric the scaling alarms watch (templates/cluster.yaml: LoadHighAlarm, LoadLowAlarm). */
export const LOAD_METRIC = { namespace: 'ElasticRTC', name: 'Load', dimension: 'Cluster', unit: 'Percent' } as const;

export interface LifecycleAction {
  group: string;
  hook: string;
  instanceId: string;
}

export interface QueueMessage {
  body: string;
  receipt: string;
}

/** What the agent asks of AWS, with the instance role. */
export interface AgentCloud {
  putLoad(cluster: string, load: number): Promise<void>;
  heartbeat(a: LifecycleAction): Promise<void>;
  complete(a: LifecycleAction): Promise<void>;
  receive(queueUrl: string, waitS: number): Promise<QueueMessage[]>;
  remove(queueUrl: string, receipt: string): Promise<void>;
  privateIp(instanceId: string): Promise<string | undefined>;
}

/** Loads an SDK client on first use (the agent's process keeps only what it calls). */
const lazy = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
};

export function sdkAgentCloud(region: string): AgentCloud {
  const config = { region, maxAttempts: 4 };
  const cwSdk = lazy(async () => ({ ...(await import('@aws-sdk/client-cloudwatch')), client: new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config) }));
  const asgSdk = lazy(async () => ({ ...(await import('@aws-sdk/client-auto-scaling')), client: new (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient(config) }));
  const sqsSdk = lazy(async () => ({ ...(await import('@aws-sdk/client-sqs')), client: new (await import('@aws-sdk/client-sqs')).SQSClient(config) }));
  const ec2Sdk = lazy(async () => ({ ...(await import('@aws-sdk/client-ec2')), client: new (await import('@aws-sdk/client-ec2')).EC2Client(config) }));
  const action = (a: LifecycleAction) => ({ AutoScalingGroupName: a.group, LifecycleHookName: a.hook, InstanceId: a.instanceId });
  return {
    async putLoad(cluster, load) {
      const { client: cw, PutMetricDataCommand } = await cwSdk();
      await cw.send(
        new PutMetricDataCommand({
          Namespace: LOAD_METRIC.namespace,
          MetricData: [{ MetricName: LOAD_METRIC.name, Dimensions: [{ Name: LOAD_METRIC.dimension, Value: cluster }], Unit: LOAD_METRIC.unit, Value: load }],
        }),
      );
    },
    async heartbeat(a) {
      const { client: asg, RecordLifecycleActionHeartbeatCommand } = await asgSdk();
      await asg.send(new RecordLifecycleActionHeartbeatCommand(action(a)));
    },
    async complete(a) {
      const { client: asg, CompleteLifecycleActionCommand } = await asgSdk();
      await asg.send(new CompleteLifecycleActionCommand({ ...action(a), LifecycleActionResult: 'CONTINUE' }));
    },
    async receive(queueUrl, waitS) {
      const { client: sqs, ReceiveMessageCommand } = await sqsSdk();
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitS, VisibilityTimeout: 30 }));
      return (out.Messages ?? []).flatMap((m) => (m.Body !== undefined && m.ReceiptHandle ? [{ body: m.Body, receipt: m.ReceiptHandle }] : []));
    },
    async remove(queueUrl, receipt) {
      const { client: sqs, DeleteMessageCommand } = await sqsSdk();
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipt }));
    },
    async privateIp(instanceId) {
      const { client: ec2, DescribeInstancesCommand } = await ec2Sdk();
      const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      return out.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress;
    },
  };
}
