import type { AwsFailure } from '../../aws/errors.js';
import type { CliContext } from '../context.js';
import { CredentialsError } from '../errors.js';

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired']);
export const isExpired = (e: AwsFailure): boolean => EXPIRED.has(e.code) || /\bexpired\b/i.test(e.message);
export const nothingFound = (e: AwsFailure): boolean => e.code === 'CredentialsProviderError' || /could not load credentials/i.test(e.message);

/** No credentials anywhere, and nobody to type them: what to set. */
export function missingError(ctx: CliContext, cause?: unknown): CredentialsError {
  const half = ctx.env.AWS_ACCESS_KEY_ID ? 'AWS_SECRET_ACCESS_KEY' : ctx.env.AWS_SECRET_ACCESS_KEY ? 'AWS_ACCESS_KEY_ID' : undefined;
  const why = half ? `${half} is not set, so the environment keys are incomplete` : 'none in flags, environment, profiles or instance metadata, and no one can type them here';
  return new CredentialsError(
    'MissingCredentials',
    `no AWS credentials found: ${why}`,
    'pass --aws-access-key-id and --aws-secret-access-key, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, choose a profile with --profile or AWS_PROFILE, or run "aws sso login"; "elasticrtc iam-policy" prints the permissions the keys need',
    cause === undefined ? undefined : { cause },
  );
}

