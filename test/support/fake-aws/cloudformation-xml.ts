/** CloudFormation result shapes (member names as the SDK's awsQuery deserializer reads them). */
import type { ChangeSet } from './change-set-model.js';
import { changeSetStatus, executionStatus } from './change-set-model.js';
import type { Stack, StackEvent } from './stack.js';
import { iso, type XmlObject } from './xml.js';

function parameters(stack: { config: Stack['config'] }): XmlObject[] {
  const { values, noEcho } = stack.config.parameters;
  return Object.entries(values).map(([k, v]) => ({ ParameterKey: k, ParameterValue: noEcho.has(k) ? '****' : v }));
}

function tags(record: Record<string, string>): XmlObject[] {
  return Object.entries(record).map(([Key, Value]) => ({ Key, Value }));
}

const time = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : iso(ms));

/** A `Stack` of DescribeStacks at `t`. */
export function stackXml(stack: Stack, t: number): XmlObject {
  const outputs = stack.outputs(t);
  return {
    StackId: stack.id,
    StackName: stack.name,
    Description: stack.config.template.Description,
    Parameters: parameters(stack),
    CreationTime: iso(stack.creationTime),
    DeletionTime: time(stack.deletionTime(t)),
    LastUpdatedTime: time(stack.lastUpdatedTime(t)),
    RollbackConfiguration: {},
    StackStatus: stack.status(t),
    StackStatusReason: stack.statusReason(t),
    DisableRollback: stack.onFailure === 'DO_NOTHING',
    NotificationARNs: [],
    TimeoutInMinutes: stack.timeoutInMinutes,
    Capabilities: stack.config.capabilities,
    Outputs: outputs.length
      ? outputs.map((o) => ({ OutputKey: o.key, OutputValue: o.value, Description: o.description, ExportName: o.exportName }))
      : undefined,
    Tags: tags(stack.config.tags),
    EnableTerminationProtection: stack.terminationProtection,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** A `StackSummary` of ListStacks at `t`. */
export function stackSummaryXml(stack: Stack, t: number): XmlObject {
  return {
    StackId: stack.id,
    StackName: stack.name,
    TemplateDescription: stack.config.template.Description,
    CreationTime: iso(stack.creationTime),
    LastUpdatedTime: time(stack.lastUpdatedTime(t)),
    DeletionTime: time(stack.deletionTime(t)),
    StackStatus: stack.status(t),
    StackStatusReason: stack.statusReason(t),
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

/** A `StackEvent`; without `ClientRequestToken` when `withToken` is false. */
export function eventXml(e: StackEvent, withToken = true): XmlObject {
  return {
    StackId: e.stackId,
    EventId: e.eventId,
    StackName: e.stackName,
    LogicalResourceId: e.logicalId,
    PhysicalResourceId: e.physicalId,
    ResourceType: e.type,
    Timestamp: iso(e.ts),
    ResourceStatus: e.status,
    ResourceStatusReason: e.reason,
    ClientRequestToken: withToken ? e.token : undefined,
  };
}

/** A `ChangeSet` of DescribeChangeSet at `t`. */
export function changeSetXml(cs: ChangeSet, t: number): XmlObject {
  const ready = t >= cs.readyAt;
  return {
    ChangeSetName: cs.name,
    ChangeSetId: cs.id,
    StackId: cs.stack.id,
    StackName: cs.stack.name,
    Description: cs.description,
    Parameters: parameters(cs),
    CreationTime: iso(cs.createdAt),
    ExecutionStatus: executionStatus(cs, t),
    Status: changeSetStatus(cs, t),
    StatusReason: ready ? cs.failedReason : undefined,
    NotificationARNs: [],
    Capabilities: cs.config.capabilities,
    Tags: tags(cs.config.tags),
    Changes: ready
      ? cs.changes.map((c) => ({
          Type: 'Resource',
          ResourceChange: {
            Action: c.action,
            LogicalResourceId: c.logicalId,
            PhysicalResourceId: c.physicalId,
            ResourceType: c.type,
            Replacement: c.replacement,
            Scope: c.action === 'Modify' ? ['Properties'] : [],
            Details: c.properties.map((p) => ({
              Target: { Attribute: 'Properties', Name: p, RequiresRecreation: c.replacement === 'True' ? 'Always' : 'Never' },
              Evaluation: 'Static',
              ChangeSource: 'DirectModification',
            })),
          },
        }))
      : [],
  };
}
