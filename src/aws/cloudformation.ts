import {
  CancelUpdateStackCommand,
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  GetTemplateCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  type Change,
  type Stack,
  type StackEvent as SdkStackEvent,
} from '@aws-sdk/client-cloudformation';
import { attachDebugLog, clientConfig, type AwsTarget } from './config.js';
import { awsCall, isAwsFailure } from './errors.js';
import type { ResourceChange, StackApi, StackDescription, StackEvent } from './stack-api.js';

const MAX_EVENT_PAGES = 10;

const toRecord = <T>(items: T[] | undefined, key: (i: T) => string | undefined, value: (i: T) => string | undefined) =>
  Object.fromEntries((items ?? []).flatMap((i) => (key(i) === undefined ? [] : [[key(i), value(i) ?? '']])));

function toDescription(s: Stack): StackDescription {
  return {
    id: s.StackId ?? '',
    name: s.StackName ?? '',
    status: s.StackStatus ?? 'UNKNOWN',
    ...(s.StackStatusReason ? { statusReason: s.StackStatusReason } : {}),
    created: s.CreationTime?.getTime() ?? 0,
    ...(s.LastUpdatedTime ? { updated: s.LastUpdatedTime.getTime() } : {}),
    parameters: toRecord(s.Parameters, (p) => p.ParameterKey, (p) => p.ParameterValue),
    outputs: toRecord(s.Outputs, (o) => o.OutputKey, (o) => o.OutputValue),
    tags: toRecord(s.Tags, (t) => t.Key, (t) => t.Value),
    terminationProtection: s.EnableTerminationProtection ?? false,
  };
}

function toEvent(e: SdkStackEvent): StackEvent {
  return {
    id: e.EventId ?? '',
    stackId: e.StackId ?? '',
    stackName: e.StackName ?? '',
    logicalId: e.LogicalResourceId ?? '',
    ...(e.PhysicalResourceId ? { physicalId: e.PhysicalResourceId } : {}),
    type: e.ResourceType ?? '',
    status: e.ResourceStatus ?? '',
    ...(e.ResourceStatusReason ? { reason: e.ResourceStatusReason } : {}),
    timestamp: e.Timestamp?.getTime() ?? 0,
    ...(e.ClientRequestToken ? { token: e.ClientRequestToken } : {}),
  };
}

function toChange(c: Change): ResourceChange[] {
  const rc = c.ResourceChange;
  if (!rc) return [];
  return [{ action: rc.Action ?? 'Modify', logicalId: rc.LogicalResourceId ?? '', type: rc.ResourceType ?? '', ...(rc.Replacement ? { replacement: rc.Replacement } : {}), scope: rc.Scope ?? [] }];
}

/** The CloudFormation facade over the SDK client: one method per call (pages read through), no waiting. */
export function createStackApi(target: AwsTarget): StackApi {
  const client = new CloudFormationClient(clientConfig(target, 'CLOUDFORMATION'));
  // Polls make one attempt: the follow loop backs off itself, so a throttled poll costs one call.
  const pollClient = new CloudFormationClient(clientConfig(target, 'CLOUDFORMATION', 1));
  attachDebugLog(client, 'cloudformation', target);
  attachDebugLog(pollClient, 'cloudformation', target);

  return {
    async create(r) {
      const out = await awsCall('cloudformation:CreateStack', () =>
        client.send(
          new CreateStackCommand({
            StackName: r.name,
            TemplateBody: r.templateBody,
            Parameters: Object.entries(r.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
            Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
            Capabilities: ['CAPABILITY_IAM'],
            ClientRequestToken: r.token,
            TimeoutInMinutes: r.timeoutMinutes,
            EnableTerminationProtection: r.terminationProtection,
            OnFailure: 'ROLLBACK',
          }),
        ),
      );
      return out.StackId ?? r.name;
    },

    async describe(nameOrId) {
      try {
        const out = await awsCall('cloudformation:DescribeStacks', () => client.send(new DescribeStacksCommand({ StackName: nameOrId })));
        const stack = out.Stacks?.[0];
        return stack ? toDescription(stack) : undefined;
      } catch (error) {
        if (isAwsFailure(error) && error.kind === 'not-found') return undefined;
        throw error;
      }
    },

    async *pages() {
      let token: string | undefined;
      do {
        const out = await awsCall('cloudformation:DescribeStacks', () => client.send(new DescribeStacksCommand({ NextToken: token })));
        yield (out.Stacks ?? []).map(toDescription);
        token = out.NextToken;
      } while (token);
    },

    async recentEvents(stackId, enough) {
      const events: StackEvent[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_EVENT_PAGES; page++) {
        const out = await awsCall('cloudformation:DescribeStackEvents', () =>
          pollClient.send(new DescribeStackEventsCommand({ StackName: stackId, NextToken: token })),
        );
        const batch = (out.StackEvents ?? []).map(toEvent);
        events.push(...batch);
        token = out.NextToken;
        if (!token || batch.some(enough)) break;
      }
      return events;
    },

    async resources(stackId) {
      const out = await awsCall('cloudformation:DescribeStackResources', () =>
        client.send(new DescribeStackResourcesCommand({ StackName: stackId })),
      );
      return (out.StackResources ?? []).map((r) => ({
        logicalId: r.LogicalResourceId ?? '',
        ...(r.PhysicalResourceId ? { physicalId: r.PhysicalResourceId } : {}),
        type: r.ResourceType ?? '',
        status: r.ResourceStatus ?? '',
      }));
    },

    async template(stackId) {
      const out = await awsCall('cloudformation:GetTemplate', () => client.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Original' })));
      return out.TemplateBody ?? '';
    },

    async createChangeSet(stackName, r) {
      const created = await awsCall('cloudformation:CreateChangeSet', () =>
        client.send(
          new CreateChangeSetCommand({
            StackName: stackName,
            ChangeSetName: r.name,
            ChangeSetType: 'UPDATE',
            TemplateBody: r.templateBody,
            Parameters: Object.entries(r.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
            Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
            Capabilities: ['CAPABILITY_IAM'],
          }),
        ),
      );
      return created.Id ?? r.name;
    },

    async describeChangeSet(id, stackName) {
      const changes: ResourceChange[] = [];
      let token: string | undefined;
      do {
        const out = await awsCall('cloudformation:DescribeChangeSet', () => client.send(new DescribeChangeSetCommand({ ChangeSetName: id, StackName: stackName, NextToken: token })));
        if (out.Status === 'FAILED') return { status: 'failed', id, reason: out.StatusReason ?? 'no reason given' };
        if (out.Status !== 'CREATE_COMPLETE') return { status: 'pending', id };
        changes.push(...(out.Changes ?? []).flatMap(toChange));
        token = out.NextToken;
      } while (token);
      return { status: 'ready', id, changes };
    },

    async executeChangeSet(changeSetId, token) {
      await awsCall('cloudformation:ExecuteChangeSet', () => client.send(new ExecuteChangeSetCommand({ ChangeSetName: changeSetId, ClientRequestToken: token })));
    },

    async deleteChangeSet(changeSetId) {
      await awsCall('cloudformation:DeleteChangeSet', () => client.send(new DeleteChangeSetCommand({ ChangeSetName: changeSetId })));
    },

    async cancelUpdate(stackId, token) {
      await awsCall('cloudformation:CancelUpdateStack', () => client.send(new CancelUpdateStackCommand({ StackName: stackId, ClientRequestToken: token })));
    },

    async delete(stackId, token) {
      await awsCall('cloudformation:DeleteStack', () => client.send(new DeleteStackCommand({ StackName: stackId, ClientRequestToken: token })));
    },
  };
}
