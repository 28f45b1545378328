import type { Spinner, Writer } from '../cli/context.js';
import type { StackEvent } from '../aws/stack-api.js';
import type { Progress } from './event-filter.js';
import { isResourceSettled, isStackEvent } from './status.js';

/** Renders the progress of an operation: a spinner on a terminal, plain lines elsewhere. */
export interface ProgressView {
  begin(): void;
  event(e: StackEvent, progress: Progress): void;
  heartbeat(progress: Progress, elapsedMs: number): void;
  notice(text: string): void;
  /** Called every second while waiting, for views that show a running clock (the spinner). */
  tick?(): void;
  end(): void;
}

export type OperationKind = 'create' | 'update' | 'delete';

const GERUND: Record<OperationKind, string> = { create: 'creating', update: 'updating', delete: 'deleting' };

/** "1m05s", "42s". */
export function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  if (h > 0) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return m > 0 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `CREATE_COMPLETE` → "created", `DELETE_SKIPPED` → "retained", `UPDATE_IN_PROGRESS` → "updating". */
export function describeStatus(status: string): string {
  const words: Record<string, string> = {
    CREATE_IN_PROGRESS: 'creating',
    CREATE_COMPLETE: 'created',
    CREATE_FAILED: 'failed to create',
    UPDATE_IN_PROGRESS: 'updating',
    UPDATE_COMPLETE: 'updated',
    UPDATE_FAILED: 'failed to update',
    DELETE_IN_PROGRESS: 'deleting',
    DELETE_COMPLETE: 'deleted',
    DELETE_FAILED: 'failed to delete',
    DELETE_SKIPPED: 'retained',
    ROLLBACK_IN_PROGRESS: 'rolling back',
    ROLLBACK_COMPLETE: 'rolled back',
    ROLLBACK_FAILED: 'failed to roll back',
    UPDATE_ROLLBACK_IN_PROGRESS: 'rolling back the update',
    UPDATE_ROLLBACK_COMPLETE: 'update rolled back',
    UPDATE_ROLLBACK_FAILED: 'failed to roll back the update',
    UPDATE_COMPLETE_CLEANUP_IN_PROGRESS: 'cleaning up',
    UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS: 'cleaning up after the rollback',
  };
  return words[status] ?? status.toLowerCase().replace(/_/g, ' ');
}

/** "load balancer" from the template metadata, else the logical id split into words. */
export function labelOf(e: StackEvent, labels: Readonly<Record<string, string>>): string {
  if (isStackEvent(e)) return `cluster ${e.stackName}`;
  return labels[e.logicalId] ?? e.logicalId.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

const counts = (p: Progress) => (p.total !== undefined ? `${p.done}/${p.total} resources` : `${p.done} resources done`);

export interface ViewOptions {
  kind: OperationKind;
  stackName: string;
  labels: Readonly<Record<string, string>>;
  now: () => number;
}

/** Append-only lines for logs and CI: one per resource state change, ISO times, no escapes. */
export class PlainView implements ProgressView {
  constructor(
    private readonly out: Writer,
    private readonly o: ViewOptions,
  ) {}

  begin(): void {
    this.line(`${GERUND[this.o.kind]} cluster ${this.o.stackName}`);
  }

  event(e: StackEvent, p: Progress): void {
    const reason = e.reason && (e.status.endsWith('_FAILED') || isStackEvent(e)) && e.reason !== 'User Initiated' ? `: ${e.reason}` : '';
    this.line(`${labelOf(e, this.o.labels)} (${e.logicalId}) ${describeStatus(e.status)}${reason} [${counts(p)}]`, e.timestamp);
  }

  heartbeat(p: Progress, elapsedMs: number): void {
    this.line(`still ${GERUND[this.o.kind]} cluster ${this.o.stackName}: ${counts(p)}, ${formatDuration(elapsedMs)} elapsed`);
  }

  notice(text: string): void {
    this.line(text);
  }

  end(): void {}

  private line(text: string, at = this.o.now()): void {
    this.out.write(`${new Date(at).toISOString()} ${text}\n`);
  }
}

/** One spinner line with the phase and N/M resources; settled resources become permanent lines. */
export class SpinnerView implements ProgressView {
  private phase: string;
  private progress: Progress = { done: 0, inProgress: 0 };
  private readonly started: number;

  constructor(
    private readonly spinner: Spinner,
    private readonly o: ViewOptions & { color: boolean },
  ) {
    this.phase = `${GERUND[o.kind]} cluster ${o.stackName}`;
    this.started = o.now();
  }

  begin(): void {
    this.spinner.start(this.text());
  }

  event(e: StackEvent, p: Progress): void {
    this.progress = p;
    if (isStackEvent(e)) {
      this.phase = `${describeStatus(e.status)} cluster ${e.stackName}`;
    } else if (isResourceSettled(e.status)) {
      const failed = e.status.endsWith('_FAILED');
      const mark = failed ? this.paint('31', '✖') : this.paint('32', '✔');
      const reason = failed && e.reason ? `: ${e.reason}` : '';
      this.spinner.persist(`${mark} ${labelOf(e, this.o.labels)} ${describeStatus(e.status)}${reason}`);
    } else {
      this.phase = `${describeStatus(e.status)} ${labelOf(e, this.o.labels)}`;
    }
    this.spinner.update(this.text());
  }

  heartbeat(p: Progress): void {
    this.progress = p;
    this.spinner.update(this.text());
  }

  /** The elapsed time moves on every second, not only when an event or a heartbeat comes. */
  tick(): void {
    this.spinner.update(this.text());
  }

  notice(text: string): void {
    this.spinner.persist(`${this.paint('33', '!')} ${text}`);
  }

  end(): void {
    this.spinner.stop();
  }

  private text(): string {
    return `${this.phase} — ${counts(this.progress)}, ${formatDuration(this.o.now() - this.started)}`;
  }

  private paint(code: string, text: string): string {
    return this.o.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}
