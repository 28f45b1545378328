/** CloudFormation stack actions (API version 2010-05-15). */
import { cloudFormationChangeSetActions, updatableStatuses } from './cloudformation-change-sets.js';
import { checkName, readConfig, required } from './cloudformation-input.js';
import { cloudFormationSignalActions } from './cloudformation-signals.js';
import { eventXml, stackSummaryXml, stackXml } from './cloudformation-xml.js';
import { AwsError, validationError } from './errors.js';
import { decodeToken, encodeToken, scalarList, type Form } from './form.js';
import { uuid } from './ids.js';
import type { Handler, RequestContext, ServiceDef } from './service.js';
import { capabilityNeeded } from './resource-types.js';
import { diffStack } from './stack-diff.js';
import { scheduleCreate, scheduleDelete } from './stack-operations.js';
import { cancelUpdate, scheduleUpdate } from './stack-updates.js';
import { Stack } from './stack.js';
import { parseTemplate } from './template.js';
import type { World } from './world.js';

const PAGE = 100;

/** A new stack id for `name`. */
export function newStackId(world: World, name: string): string {
  const { region, accountId } = world.options;
  return `arn:aws:cloudformation:${region}:${accountId}:stack/${name}/${uuid()}`;
}

function startOf(params: Form): number | undefined {
  if (!params.NextToken) return undefined;
  const n = decodeToken(params.NextToken);
  if (n === undefined) throw validationError('Invalid NextToken');
  return n;
}

/** Pages stacks newest first; the token holds the creation order of the next stack to show. */
function pageStacks(stacks: Stack[], params: Form): { items: Stack[]; next?: string } {
  const start = startOf(params);
  const sorted = stacks.filter((s) => start === undefined || s.seq <= start).sort((a, b) => b.seq - a.seq);
  const after = sorted[PAGE];
  return { items: sorted.slice(0, PAGE), next: after ? encodeToken(after.seq) : undefined };
}

function stackNamed(ctx: RequestContext, message: (name: string) => string): Stack {
  const name = required(ctx.params, 'StackName');
  const stack = ctx.world.findStack(name, ctx.t);
  if (!stack) throw validationError(message(name));
  return stack;
}

const createStack: Handler = ({ params, t, world }) => {
  const name = required(params, 'StackName');
  checkName(name);
  const token = params.ClientRequestToken;
  const existing = world.findStack(name, t);
  if (existing) {
    const first = existing.ops[0];
    if (token && first?.kind === 'CREATE' && first.token === token) return { StackId: existing.id };
    throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`);
  }
  const stack = new Stack(newStackId(world, name), name, world.nextSeq(), t, readConfig(params));
  stack.timeoutInMinutes = params.TimeoutInMinutes ? Number(params.TimeoutInMinutes) : undefined;
  stack.onFailure = params.OnFailure ?? (params.DisableRollback === 'true' ? 'DO_NOTHING' : 'ROLLBACK');
  stack.terminationProtection = params.EnableTerminationProtection === 'true';
  world.stacks.push(stack);
  scheduleCreate(world, stack, t, token);
  return { StackId: stack.id };
};

const describeStacks: Handler = ({ params, t, world }) => {
  const name = params.StackName;
  if (name) {
    const stack = world.findStack(name, t);
    if (!stack) throw validationError(`Stack with id ${name} does not exist`);
    return { Stacks: [stackXml(stack, t)] };
  }
  const { items, next } = pageStacks(world.stacks.filter((s) => s.isLive(t)), params);
  return { Stacks: items.map((s) => stackXml(s, t)), NextToken: next };
};

const listStacks: Handler = ({ params, t, world }) => {
  const filter = scalarList(params, 'StackStatusFilter.member');
  const { items, next } = pageStacks(world.stacks.filter((s) => !filter.length || filter.includes(s.status(t))), params);
  return { StackSummaries: items.map((s) => stackSummaryXml(s, t)), NextToken: next };
};

const describeStackEvents: Handler = (ctx) => {
  const stack = stackNamed(ctx, (name) => `Stack [${name}] does not exist`);
  const events = stack.visibleEvents(ctx.t);
  // The token is the (oldest-first) index just past the next event to show: stable as events accrue.
  const end = Math.min(startOf(ctx.params) ?? events.length, events.length);
  const from = Math.max(0, end - PAGE);
  return { StackEvents: events.slice(from, end).reverse().map((e) => eventXml(e, ctx.world.options.eventTokens !== false)), NextToken: from > 0 ? encodeToken(from) : undefined };
};

function shownResources(stack: Stack, t: number, logicalId: string | undefined) {
  const updating = stack.status(t).startsWith('UPDATE');
  return stack
    .resources(t)
    .filter((r) => !(updating && r.status === 'DELETE_COMPLETE'))
    .filter((r) => logicalId === undefined || r.logicalId === logicalId);
}

const describeStackResources: Handler = (ctx) => {
  const stack = stackNamed(ctx, (name) => `Stack with id ${name} does not exist`);
  return {
    StackResources: shownResources(stack, ctx.t, ctx.params.LogicalResourceId).map((r) => ({
      StackName: stack.name,
      StackId: stack.id,
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      Timestamp: new Date(r.ts).toISOString(),
      ResourceStatus: r.status,
      ResourceStatusReason: r.reason,
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    })),
  };
};

const listStackResources: Handler = (ctx) => {
  const stack = stackNamed(ctx, (name) => `Stack with id ${name} does not exist`);
  return {
    StackResourceSummaries: shownResources(stack, ctx.t, undefined).map((r) => ({
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      LastUpdatedTimestamp: new Date(r.ts).toISOString(),
      ResourceStatus: r.status,
      ResourceStatusReason: r.reason,
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    })),
  };
};

const getTemplate: Handler = (ctx) => {
  const stack = stackNamed(ctx, (name) => `Stack with id ${name} does not exist`);
  return { TemplateBody: stack.config.templateBody, StagesAvailable: ['Original', 'Processed'] };
};

const deleteStack: Handler = ({ params, t, world }) => {
  const name = required(params, 'StackName');
  const stack = world.findStack(name, t);
  const status = stack?.status(t);
  if (!stack || status === 'DELETE_COMPLETE' || status === 'DELETE_IN_PROGRESS') return undefined;
  if (stack.terminationProtection) throw validationError(`Stack [${stack.name}] cannot be deleted while TerminationProtection is enabled`);
  const token = params.ClientRequestToken;
  if (token && stack.clientRequestToken === token && stack.ops[stack.ops.length - 1]?.kind === 'DELETE') return undefined;
  if (status?.startsWith('UPDATE_') && status.endsWith('_IN_PROGRESS')) throw validationError(`Stack [${stack.name}] cannot be deleted while in status ${status}`);
  scheduleDelete(world, stack, t, token);
  return undefined;
};

const updateStack: Handler = ({ params, t, world }) => {
  const name = required(params, 'StackName');
  const stack = world.findStack(name, t);
  if (!stack) throw validationError(`Stack [${name}] does not exist`);
  const token = params.ClientRequestToken;
  const last = stack.ops[stack.ops.length - 1];
  if (token && last?.token === token && last.kind.startsWith('UPDATE')) return { StackId: stack.id };
  const status = stack.status(t);
  if (!updatableStatuses.includes(status)) throw validationError(`Stack:${stack.id} is in ${status} state and can not be updated.`);
  const next = readConfig(params, stack.config);
  const changes = diffStack(world, stack, t, next);
  const json = JSON.stringify;
  const same =
    next.templateBody === stack.config.templateBody &&
    json(next.parameters.values) === json(stack.config.parameters.values) &&
    json(next.tags) === json(stack.config.tags);
  if (!changes.length && same) throw validationError('No updates are to be performed.');
  scheduleUpdate(world, stack, t, next, changes, token);
  return { StackId: stack.id };
};

const cancelUpdateStack: Handler = (ctx) => {
  const stack = stackNamed(ctx, (name) => `Stack [${name}] does not exist`);
  if (stack.status(ctx.t) !== 'UPDATE_IN_PROGRESS') throw validationError('CancelUpdateStack cannot be called from current stack status');
  cancelUpdate(ctx.world, stack, ctx.t);
  return undefined;
};

const updateTerminationProtection: Handler = (ctx) => {
  const stack = stackNamed(ctx, (name) => `Stack [${name}] does not exist`);
  stack.terminationProtection = required(ctx.params, 'EnableTerminationProtection') === 'true';
  return { StackId: stack.id };
};

const validateTemplate: Handler = ({ params }) => {
  const template = parseTemplate(required(params, 'TemplateBody'));
  const needed = new Set(Object.values(template.Resources).flatMap((r) => capabilityNeeded(r.Type, r.Properties ?? {}) ?? []));
  return {
    Parameters: Object.entries(template.Parameters ?? {}).map(([key, def]) => ({
      ParameterKey: key,
      DefaultValue: def.Default === undefined ? undefined : String(def.Default),
      NoEcho: def.NoEcho === true || def.NoEcho === 'true',
      Description: def.Description,
    })),
    Description: template.Description,
    Capabilities: [...needed],
    CapabilitiesReason: needed.size ? 'The following resource(s) require capabilities: [AWS::IAM::*]' : undefined,
  };
};

/** The CloudFormation service. */
export const cloudFormation: ServiceDef = {
  name: 'cloudformation',
  version: '2010-05-15',
  xmlns: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  protocol: 'query',
  actions: {
    CreateStack: createStack,
    DescribeStacks: describeStacks,
    ListStacks: listStacks,
    DescribeStackEvents: describeStackEvents,
    DescribeStackResources: describeStackResources,
    ListStackResources: listStackResources,
    GetTemplate: getTemplate,
    DeleteStack: deleteStack,
    UpdateStack: updateStack,
    CancelUpdateStack: cancelUpdateStack,
    UpdateTerminationProtection: updateTerminationProtection,
    ValidateTemplate: validateTemplate,
    ...cloudFormationChangeSetActions,
    ...cloudFormationSignalActions,
  },
};
