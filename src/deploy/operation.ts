import type { StackApi, StackEvent } from '../aws/stack-api.js';
import { isCi } from '../cli/ci.js';
import type { CliContext, SignalName } from '../cli/context.js';
import { ClientTimeoutError, ExitCode, InterruptedError, OperationFailedError } from '../cli/errors.js';
import { type OperationCursor, rootCause } from './event-filter.js';
import { type FollowResult, follow } from './follow.js';
import { type OperationKind, PlainView, type ProgressView, SpinnerView, formatDuration, labelOf } from './progress-view.js';

export type Finished = Extract<FollowResult, { kind: 'finished' }>;

/** One operation to follow to its end. */
export interface OperationSpec {
  stacks: StackApi;
  stackId: string;
  stackName: string;
  region: string;
  kind: OperationKind;
  cursor: OperationCursor;
  labels: Readonly<Record<string, string>>;
  total?: number;
  /** How long the client waits (ms), counted from now. */
  timeoutMs?: number;
  /** Offered on Ctrl-C at a terminal: stop the operation and put things back (`run` gets this spec). */
  cancel?: { label: string; run: (spec: OperationSpec) => Promise<never> } | undefined;
}

/** The command that resumes following an operation from anywhere. */
export const followCommand = (stackName: string, region: string): string => `elasticrtc show --stack-name ${stackName} --region ${region} --wait`;

/**
 * The command that finishes what a follow left: for a deletion, `delete` again (it follows a deletion
 * still running and removes the cluster's secret and certificates, also once the stack is gone, where
 * `show --wait` would find no cluster); else `show --wait`.
 */
export const resumeCommand = (kind: OperationKind, stackName: string, region: string): string =>
  kind === 'delete' ? `elasticrtc delete --stack-name ${stackName} --region ${region}` : followCommand(stackName, region);

async function makeView(ctx: CliContext, spec: OperationSpec): Promise<ProgressView> {
  const options = { kind: spec.kind, stackName: spec.stackName, labels: spec.labels, now: () => ctx.clock.now() };
  if (ctx.io.stderrIsTty && !isCi(ctx.env)) return new SpinnerView(await ctx.io.spinner(), { ...options, color: ctx.io.color });
  return new PlainView(ctx.io.err, options);
}

type Choice = 'detach' | 'cancel' | 'wait';

async function askAfterInterrupt(ctx: CliContext, spec: OperationSpec): Promise<Choice> {
  const choices: { value: Choice; name: string }[] = [
    { value: 'detach', name: `detach: stop following; the ${spec.kind} goes on in AWS` },
    ...(spec.cancel ? [{ value: 'cancel' as const, name: spec.cancel.label }] : []),
    { value: 'wait', name: 'keep waiting' },
  ];
  try {
    return await ctx.prompter.select(`Ctrl-C: what now with the ${spec.kind} of ${spec.stackName}?`, choices);
  } catch {
    return 'detach'; // a second Ctrl-C at the prompt
  }
}

/**
 * Follows an operation with the progress view that suits the terminal, and handles the client's ways
 * out: `--timeout` (exit 7, still running), SIGTERM or Ctrl-C without a terminal (detach: exit 143/130
 * with the command that resumes: `show --wait`, or `delete` again for a deletion), Ctrl-C at a terminal (detach, cancel, or keep waiting). Returns when the
 * stack reaches a final state, whatever it is.
 */
export async function followOperation(ctx: CliContext, spec: OperationSpec): Promise<Finished> {
  const follower = resumeCommand(spec.kind, spec.stackName, spec.region);
  const how = spec.kind === 'delete' ? 'finish it (and remove what the cluster keeps outside its stack) with' : 'follow it with';
  const deadline = spec.timeoutMs !== undefined ? ctx.clock.now() + spec.timeoutMs : undefined;
  const pace = ctx.io.stderrIsTty && !isCi(ctx.env) ? 'terminal' : 'plain';
  let events: StackEvent[] = [];
  for (;;) {
    const view = await makeView(ctx, spec);
    const controller = new AbortController();
    let received: SignalName | undefined;
    const offs = (['SIGINT', 'SIGTERM'] as const).map((s) =>
      ctx.signals.on(s, () => {
        received ??= s;
        controller.abort();
      }),
    );
    let result: FollowResult;
    view.begin();
    try {
      result = await follow({
        stacks: spec.stacks,
        stackId: spec.stackId,
        stackName: spec.stackName,
        cursor: spec.cursor,
        clock: ctx.clock,
        view,
        pace,
        signal: controller.signal,
        previous: events,
        ...(spec.total !== undefined ? { total: spec.total } : {}),
        ...(deadline !== undefined ? { deadline } : {}),
      });
    } finally {
      for (const off of offs) off();
      view.end();
    }
    if (result.kind === 'finished') return result;
    if (result.kind === 'timeout') {
      throw new ClientTimeoutError(
        'ClientTimeout',
        `stopped waiting after ${formatDuration(spec.timeoutMs ?? 0)}: the ${spec.kind} of ${spec.stackName} is still running in AWS`,
        `${how}: ${follower}`,
      );
    }
    events = result.events;
    const code = received === 'SIGTERM' ? ExitCode.Terminated : ExitCode.Interrupted;
    const detached = new InterruptedError(`stopped following; the ${spec.kind} of ${spec.stackName} goes on in AWS`, code, `${how}: ${follower}`);
    if (received === 'SIGTERM' || !ctx.io.canPrompt) throw detached;
    const choice = await askAfterInterrupt(ctx, spec);
    if (choice === 'detach') throw detached;
    if (choice === 'cancel' && spec.cancel) return spec.cancel.run(spec);
  }
}

/**
 * The error for an operation that ended badly: the root cause first (the earliest failed resource,
 * its reason, and the flag behind it when known), then a hint. Exit 5 when rolled back cleanly, 6 when
 * something needs manual action.
 */
export function operationFailure(result: Finished, spec: Pick<OperationSpec, 'kind' | 'stackName' | 'labels'>, hint: string, flags: Readonly<Record<string, string>> = {}): OperationFailedError {
  const cause = rootCause(result.events);
  const what = cause ? `${labelOf(cause, spec.labels)} (${cause.logicalId}) ${cause.status === 'DELETE_FAILED' ? 'could not be deleted' : 'failed'}: ${cause.reason ?? 'no reason given'}` : (result.statusReason ?? 'no reason given');
  const flag = cause ? flags[cause.logicalId] : undefined;
  const exit = result.outcome === 'rolled-back' ? ExitCode.RolledBack : ExitCode.NeedsManualAction;
  const message = `the ${spec.kind} of ${spec.stackName} failed (${result.status}): ${what}${flag ? ` (set by ${flag})` : ''}`;
  return new OperationFailedError(result.status, message, exit, hint);
}
