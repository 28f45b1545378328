import { isAwsFailure } from '../aws/errors.js';
import type { IoStreams } from './context.js';
import { CliError, CredentialsError, ExitCode } from './errors.js';
import type { OutputFormat } from './global-options.js';
import { paint } from './output.js';

/** Turns anything thrown into a user-facing error with an exit code. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (isAwsFailure(error)) {
    if (error.kind === 'credentials' && /^(ExpiredToken|ExpiredTokenException|RequestExpired|TokenRefreshRequired)$/.test(error.code)) {
      return new CredentialsError(
        error.code,
        `the AWS session expired (${error.operation}); anything already started goes on in AWS`,
        'refresh the credentials (aws sso login, or new temporary keys), then follow the cluster with: elasticrtc show --stack-name <name> --wait',
        { cause: error },
      );
    }
    if (error.kind === 'credentials') {
      return new CredentialsError(
        error.code,
        `AWS credentials were ${/could not load/i.test(error.message) ? 'not found' : 'rejected'}: ${error.message}`,
        'set --aws-access-key-id and --aws-secret-access-key, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile / AWS_PROFILE (run "aws configure" or "aws sso login" to set one up)',
        { cause: error },
      );
    }
    if (error.kind === 'access-denied') {
      return new CredentialsError(error.code, `access denied for ${error.operation}: ${error.message}`, 'run "elasticrtc iam-policy" for the permissions a deployer needs', { cause: error });
    }
    const hint = error.retryable ? 'AWS or the network failed after several retries; run the command again' : undefined;
    return new CliError(error.code, `${error.operation} failed: ${error.message}`, hint, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError('InternalError', `internal error: ${message}`, 'run again with --debug and report the output', { cause: error });
}

/** Scrubs anything that looks like an AWS secret key or a PEM private key from a debug trace. */
export function scrub(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[private key]')
    .replace(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/g, '[secret]')
    .replace(/\b(A[SK]IA[A-Z0-9]{12})([A-Z0-9]{4})\b/g, '****************$2');
}

/**
 * Prints an error: the message and hint on stderr for people; with `-o json|yaml`, also the error
 * object on stdout so a script always gets one document. Returns the exit code.
 */
export function reportError(io: IoStreams, format: OutputFormat, error: unknown, debug: boolean): number {
  const e = toCliError(error);
  if (format !== 'text') {
    const body = { error: { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), exitCode: e.exitCode } };
    io.out.write(format === 'json' ? `${JSON.stringify(body, null, 2)}\n` : yamlError(body.error));
  }
  if (e.exitCode !== ExitCode.Interrupted && e.exitCode !== ExitCode.Terminated && e.exitCode !== ExitCode.Aborted) {
    io.err.write(`${paint(io, 'red', 'error:')} ${e.message}\n`);
  } else {
    io.err.write(`${e.message}\n`);
  }
  if (e.hint) io.err.write(`${paint(io, 'dim', 'hint:')} ${e.hint}\n`);
  if (debug) {
    const chain: string[] = [];
    for (let c: unknown = error; c instanceof Error; c = c.cause) chain.push(c.stack ?? String(c));
    io.err.write(`${scrub(chain.join('\ncaused by: '))}\n`);
  }
  return e.exitCode;
}

// A tiny YAML writer for the flat error object, so printing an error never loads a YAML library.
function yamlError(e: Record<string, string | number>): string {
  const lines = Object.entries(e).map(([k, v]) => `  ${k}: ${typeof v === 'number' ? v : JSON.stringify(v)}`);
  return `error:\n${lines.join('\n')}\n`;
}
