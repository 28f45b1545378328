/** The errors injected faults and access checks produce, in each service family's own words. */
import { AwsError } from './errors.js';
import type { FaultStyle } from './wire.js';

/** An injected fault (`throttle`, `serverError`), a rejected key's code, or `denied`. */
export type InjectedKind = 'throttle' | 'serverError' | 'InvalidClientTokenId' | 'ExpiredToken' | 'denied';

type Shape = [code: string, message: string, status: number];

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

const SHAPES: Record<FaultStyle, Record<Exclude<InjectedKind, 'denied'>, Shape>> = {
  query: {
    throttle: ['Throttling', 'Rate exceeded', 400],
    serverError: ['InternalFailure', 'An internal error occurred', 500],
    InvalidClientTokenId: ['InvalidClientTokenId', INVALID_TOKEN, 403],
    ExpiredToken: ['ExpiredToken', EXPIRED_TOKEN, 403],
  },
  ec2: {
    throttle: ['RequestLimitExceeded', 'Request limit exceeded.', 503],
    serverError: ['InternalError', 'An internal error has occurred', 500],
    InvalidClientTokenId: ['AuthFailure', 'AWS was not able to validate the provided access credentials', 401],
    ExpiredToken: ['RequestExpired', 'Request has expired.', 400],
  },
  s3: {
    throttle: ['SlowDown', 'Please reduce your request rate.', 503],
    serverError: ['InternalError', 'We encountered an internal error. Please try again.', 500],
    InvalidClientTokenId: ['InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403],
    ExpiredToken: ['ExpiredToken', 'The provided token has expired.', 400],
  },
  json: {
    throttle: ['ThrottlingException', 'Rate exceeded', 400],
    serverError: ['InternalFailure', 'An internal error occurred', 500],
    InvalidClientTokenId: ['UnrecognizedClientException', INVALID_TOKEN, 400],
    ExpiredToken: ['ExpiredTokenException', EXPIRED_TOKEN, 400],
  },
};

const DENIED: Record<FaultStyle, [code: string, status: number]> = {
  query: ['AccessDenied', 403],
  ec2: ['UnauthorizedOperation', 403],
  s3: ['AccessDenied', 403],
  json: ['AccessDeniedException', 400],
};

/** What the request was, for the access-denied message. */
export interface InjectedContext {
  style: FaultStyle;
  accountId: string;
  service: string;
  action: string;
  /** Replaces the style's server error code (Secrets Manager's `InternalServiceError`). */
  serverErrorCode?: string;
}

/** IAM action prefixes that differ from the signing name. */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch' };

/** The error for an injected fault, a rejected key or a denied action. */
export function injectedError(kind: InjectedKind, ctx: InjectedContext): AwsError {
  if (kind === 'denied') {
    const user = `arn:aws:iam::${ctx.accountId}:user/tester`;
    const what = `${IAM_PREFIX[ctx.service] ?? ctx.service}:${ctx.action}`;
    const denied = `User: ${user} is not authorized to perform: ${what} because no identity-based policy allows the ${what} action`;
    const [code, status] = DENIED[ctx.style];
    return new AwsError(code, ctx.style === 'ec2' ? `You are not authorized to perform this operation. ${denied}` : denied, status);
  }
  const [code, message, status] = SHAPES[ctx.style][kind];
  return new AwsError(kind === 'serverError' ? (ctx.serverErrorCode ?? code) : code, message, status);
}
