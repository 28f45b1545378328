/** CloudFormation change set actions: CreateChangeSet, DescribeChangeSet, ExecuteChangeSet, … */
import { type ChangeSet, changeSetStatus, executionStatus } from './change-set-model.js';
import { checkName, readConfig, required } from './cloudformation-input.js';
import { changeSetXml } from './cloudformation-xml.js';
import { AwsError, validationError } from './errors.js';
import { uuid } from './ids.js';
import { Scheduler } from './scheduler.js';
import type { Handler, RequestContext } from './service.js';
import { diffStack } from './stack-diff.js';
import { StackEval } from './stack-eval.js';
import { scheduleCreate } from './stack-operations.js';
import { scheduleUpdate } from './stack-updates.js';
import { Stack } from './stack.js';

/** Statuses from which a stack accepts an update. */
export const updatableStatuses = ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE'];

const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

function findChangeSet({ params, t, world }: RequestContext): ChangeSet {
  const name = required(params, 'ChangeSetName');
  const found = name.startsWith('arn:')
    ? world.changeSets.find((cs) => cs.id === name)
    : world.changeSets.find((cs) => cs.name === name && cs.stack === world.findStack(params.StackName ?? '', t));
  if (!found) throw new AwsError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404);
  return found;
}

const createChangeSet: Handler = ({ params, t, world }) => {
  const name = required(params, 'StackName');
  const csName = required(params, 'ChangeSetName');
  checkName(name);
  checkName(csName, 'changeSetName');
  const type = params.ChangeSetType === 'CREATE' ? 'CREATE' : 'UPDATE';
  let stack = world.findStack(name, t);
  let config;
  let changes;
  if (type === 'CREATE') {
    if (stack && stack.status(t) !== 'REVIEW_IN_PROGRESS') throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`);
    config = readConfig(params);
    if (!stack) {
      const { region, accountId } = world.options;
      stack = new Stack(`arn:aws:cloudformation:${region}:${accountId}:stack/${name}/${uuid()}`, name, world.nextSeq(), t, config);
      stack.onFailure = params.OnStackFailure ?? 'ROLLBACK';
      world.stacks.push(stack);
      new Scheduler(world, stack, t, params.ClientToken).stackEvent('REVIEW_IN_PROGRESS', 'User Initiated');
    }
    const created = stack;
    changes = new StackEval(world, created, config).resources().map((r) => ({ action: 'Add' as const, logicalId: r.logicalId, type: r.type, properties: [] }));
  } else {
    if (!stack || stack.status(t) === 'REVIEW_IN_PROGRESS') throw validationError(`Stack [${name}] does not exist`);
    config = readConfig(params, stack.config);
    changes = diffStack(world, stack, t, config);
  }
  const target = stack;
  if (world.changeSets.some((cs) => cs.stack === target && cs.name === csName)) throw new AwsError('AlreadyExistsException', `ChangeSet [${csName}] already exists`);
  const { region, accountId, stepMs } = world.options;
  const cs: ChangeSet = {
    id: `arn:aws:cloudformation:${region}:${accountId}:changeSet/${csName}/${uuid()}`,
    name: csName,
    stack,
    type,
    createdAt: t,
    readyAt: t + stepMs,
    config,
    changes,
    failedReason: changes.length || type === 'CREATE' ? undefined : NO_CHANGES,
    description: params.Description,
  };
  world.changeSets.push(cs);
  return { Id: cs.id, StackId: stack.id };
};

const describeChangeSet: Handler = (ctx) => changeSetXml(findChangeSet(ctx), ctx.t);

const executeChangeSet: Handler = (ctx) => {
  const { t, world, params } = ctx;
  const cs = findChangeSet(ctx);
  const exec = executionStatus(cs, t);
  if (exec !== 'AVAILABLE') throw new AwsError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be executed in its current execution status of [${exec}]`);
  const { stack } = cs;
  const token = params.ClientRequestToken;
  if (cs.type === 'CREATE') {
    stack.config = cs.config;
    scheduleCreate(world, stack, t, token);
  } else {
    const status = stack.status(t);
    if (!updatableStatuses.includes(status)) throw validationError(`Stack:${stack.id} is in ${status} state and can not be updated.`);
    scheduleUpdate(world, stack, t, cs.config, diffStack(world, stack, t, cs.config), token);
  }
  cs.executedAt = t;
  for (const other of world.changeSets) if (other !== cs && other.stack === stack) other.obsoleteAt ??= t;
  return undefined;
};

const deleteChangeSet: Handler = (ctx) => {
  const cs = findChangeSet(ctx);
  if (executionStatus(cs, ctx.t) === 'EXECUTE_IN_PROGRESS') throw new AwsError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be deleted in its current status`);
  ctx.world.changeSets.splice(ctx.world.changeSets.indexOf(cs), 1);
  return undefined;
};

const listChangeSets: Handler = ({ params, t, world }) => {
  const stack = world.findStack(required(params, 'StackName'), t);
  if (!stack) throw validationError(`Stack [${params.StackName}] does not exist`);
  return {
    Summaries: world.changeSets
      .filter((cs) => cs.stack === stack)
      .map((cs) => ({
        StackId: stack.id,
        StackName: stack.name,
        ChangeSetId: cs.id,
        ChangeSetName: cs.name,
        ExecutionStatus: executionStatus(cs, t),
        Status: changeSetStatus(cs, t),
        StatusReason: t >= cs.readyAt ? cs.failedReason : undefined,
        CreationTime: new Date(cs.createdAt).toISOString(),
        Description: cs.description,
      })),
  };
};

/** Change set handlers, merged into the CloudFormation service. */
export const cloudFormationChangeSetActions: Record<string, Handler> = {
  CreateChangeSet: createChangeSet,
  DescribeChangeSet: describeChangeSet,
  ExecuteChangeSet: executeChangeSet,
  DeleteChangeSet: deleteChangeSet,
  ListChangeSets: listChangeSets,
};
