/** The exit-code table of the product (`docs/exit-codes.md`). `main.ts` is the only place that maps errors to them. */
export const ExitCode = {
  Success: 0,
  Failure: 1,
  Usage: 2,
  Aborted: 3,
  Credentials: 4,
  RolledBack: 5,
  NeedsManualAction: 6,
  Timeout: 7,
  Interrupted: 130,
  Terminated: 143,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error meant for the user: a lowercase "what happened: why" message naming the bad value, an optional
 * hint (the next command or flag to try), a stable machine code for `-o json`, and an exit code.
 */
export class CliError extends Error {
  readonly exitCode: ExitCode = ExitCode.Failure;
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Invalid flag, file or input; nothing was changed in AWS. */
export class UsageError extends CliError {
  override readonly exitCode = ExitCode.Usage;
}

/** The user declined a confirmation. */
export class AbortedError extends CliError {
  override readonly exitCode = ExitCode.Aborted;
}

/** Credentials missing or rejected, or access denied. */
export class CredentialsError extends CliError {
  override readonly exitCode = ExitCode.Credentials;
}

/** The AWS operation failed: rolled back cleanly (5) or in need of manual action (6). */
export class OperationFailedError extends CliError {
  constructor(
    code: string,
    message: string,
    override readonly exitCode: typeof ExitCode.RolledBack | typeof ExitCode.NeedsManualAction,
    hint?: string,
  ) {
    super(code, message, hint);
  }
}

/** The client gave up waiting; the operation is still running. */
export class ClientTimeoutError extends CliError {
  override readonly exitCode = ExitCode.Timeout;
}

/** The user interrupted the tool (SIGINT → 130, SIGTERM → 143); the operation goes on. */
export class InterruptedError extends CliError {
  constructor(
    message: string,
    override readonly exitCode: typeof ExitCode.Interrupted | typeof ExitCode.Terminated,
    hint?: string,
  ) {
    super('Interrupted', message, hint);
  }
}

/** An AWS call failed for a reason that is not the user's input (service error, network). */
export class AwsError extends CliError {
  constructor(
    code: string,
    message: string,
    readonly retryable: boolean,
    hint?: string,
    options?: ErrorOptions,
  ) {
    super(code, message, hint, options);
  }
}
