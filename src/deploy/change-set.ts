import type { ChangeSetState, StackApi, StackDescription, UpdateRequest } from '../aws/stack-api.js';
import type { CliContext, Clock } from '../cli/context.js';
import { AbortedError, UsageError } from '../cli/errors.js';
import { actingIn } from '../cli/auth/session.js';
import { type PreviewRow, applyQuestion, previewRows, renderPreview } from './change-preview.js';

/** How long CloudFormation may take to compute a change set before the update gives up on it. */
export const CHANGE_SET_WAIT_MS = 10 * 60_000;

/** CloudFormation reports "nothing to change" as a failed change set, with one of these reasons. */
const NO_CHANGES = /didn't contain changes|No updates are to be performed/i;

/** The wait before the next read of a change set being computed: 1 s, 2 s, 4 s, then every 5 s. */
export const changeSetPollDelay = (attempt: number): number => Math.min(1000 * 2 ** Math.min(attempt, 3), 5000);

/**
 * Creates an update change set and waits on the clock until CloudFormation has computed it: ready (with
 * its changes), empty (nothing to change) or failed. A change set still not computed after
 * {@link CHANGE_SET_WAIT_MS} counts as failed; the caller deletes it like any other.
 */
export async function prepareChangeSet(stacks: StackApi, stackName: string, request: UpdateRequest, clock: Clock): Promise<ChangeSetState> {
  const id = await stacks.createChangeSet(stackName, request);
  const giveUpAt = clock.now() + CHANGE_SET_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    const state = await stacks.describeChangeSet(id, stackName);
    if (state.status === 'ready') return state;
    if (state.status === 'failed') return NO_CHANGES.test(state.reason) ? { status: 'empty', id } : state;
    if (clock.now() >= giveUpAt) return { status: 'failed', id, reason: `CloudFormation did not finish computing the change set within ${CHANGE_SET_WAIT_MS / 60_000} minutes` };
    await clock.sleep(changeSetPollDelay(attempt));
  }
}

/** How an update's change set ended before (or as) it was applied. */
export type UpdateSubmission =
  /** CloudFormation found nothing to change; the change set was deleted. */
  | { kind: 'up-to-date' }
  /** `--dry-run`: shown to the caller, then deleted; nothing was applied. */
  | { kind: 'previewed'; rows: PreviewRow[] }
  /** Confirmed and executed: the update runs, stamped with `token`, from `since`. */
  | { kind: 'started'; rows: PreviewRow[]; token: string; since: number };

/** What an update submits. */
export interface UpdateSubmit {
  stacks: StackApi;
  stack: StackDescription;
  request: UpdateRequest;
  labels: Readonly<Record<string, string>>;
  dryRun: boolean;
  /** `--yes`: apply without asking. */
  yes: boolean;
}

/**
 * Submits an update: computes its change set, then deletes it when there is nothing to change, when it
 * failed (exit 2), for a dry run (which needs no confirmation: nothing is applied), or when the person
 * declines (exit 3); otherwise shows it, asks (unless `--yes`) and executes it.
 */
export async function submitUpdate(ctx: CliContext, o: UpdateSubmit): Promise<UpdateSubmission> {
  const name = o.stack.name;
  const prepared = await prepareChangeSet(o.stacks, name, o.request, ctx.clock);
  if (prepared.status === 'empty') {
    await o.stacks.deleteChangeSet(prepared.id);
    return { kind: 'up-to-date' };
  }
  if (prepared.status === 'failed') {
    await o.stacks.deleteChangeSet(prepared.id);
    throw new UsageError('ChangeSetFailed', `CloudFormation cannot apply this update to ${name}: ${prepared.reason}`);
  }
  const rows = previewRows(prepared.changes, o.labels);
  if (o.dryRun) {
    await o.stacks.deleteChangeSet(prepared.id);
    return { kind: 'previewed', rows };
  }
  ctx.io.err.write(renderPreview(rows, ctx.io.stderrIsTty));
  if (!o.yes && !(await ctx.prompter.confirm(applyQuestion(rows.length, name, actingIn(ctx)), false))) {
    await o.stacks.deleteChangeSet(prepared.id);
    throw new AbortedError('Declined', `cluster ${name} was not changed; the change set was removed`);
  }
  const token = `elasticrtc-update-${ctx.randomHex(12)}`;
  const since = ctx.clock.now();
  await o.stacks.executeChangeSet(prepared.id, token);
  return { kind: 'started', rows, token, since };
}
