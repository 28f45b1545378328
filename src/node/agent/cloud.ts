import { AutoScalingClient, CompleteLifecycleActionCommand, RecordLifecycleActionHeartbeatCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

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

export function sdkAgentCloud(region: string): AgentCloud {
  const config = { region, maxAttempts: 4 };
  const cw = new CloudWatchClient(config);
  const asg = new AutoScalingClient(config);
  const sqs = new SQSClient(config);
  const ec2 = new EC2Client(config);
  const action = (a: LifecycleAction) => ({ AutoScalingGroupName: a.group, LifecycleHookName: a.hook, InstanceId: a.instanceId });
  return {
    async putLoad(cluster, load) {
      await cw.send(
        new PutMetricDataCommand({
          Namespace: LOAD_METRIC.namespace,
          MetricData: [{ MetricName: LOAD_METRIC.name, Dimensions: [{ Name: LOAD_METRIC.dimension, Value: cluster }], Unit: LOAD_METRIC.unit, Value: load }],
        }),
      );
    },
    async heartbeat(a) {
      await asg.send(new RecordLifecycleActionHeartbeatCommand(action(a)));
    },
    async complete(a) {
      await asg.send(new CompleteLifecycleActionCommand({ ...action(a), LifecycleActionResult: 'CONTINUE' }));
    },
    async receive(queueUrl, waitS) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: waitS, VisibilityTimeout: 30 }));
      return (out.Messages ?? []).flatMap((m) => (m.Body !== undefined && m.ReceiptHandle ? [{ body: m.Body, receipt: m.ReceiptHandle }] : []));
    },
    async remove(queueUrl, receipt) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipt }));
    },
    async privateIp(instanceId) {
      const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
      return out.Reservations?.[0]?.Instances?.[0]?.PrivateIpAddress;
    },
  };
}
