/**
 * Every AWS SDK error is translated here, once, into an {@link AwsFailure} of a known kind, so the rest
 * of the tool decides on kinds (retry, exit code, hint) and never inspects SDK error shapes.
 */
export type AwsFailureKind =
  | 'credentials' // missing, malformed, rejected or expired credentials
  | 'access-denied'
  | 'throttled'
  | 'transient' // 5xx, dropped or refused connections, timeouts
  | 'not-found'
  | 'conflict' // already exists
  | 'invalid' // the service rejected the request
  | 'other';

/** An AWS call that failed, classified. */
export class AwsFailure extends Error {
  constructor(
    readonly kind: AwsFailureKind,
    readonly code: string,
    message: string,
    readonly operation: string,
    options?: ErrorOptions & { status?: number },
  ) {
    super(message, options);
    this.name = 'AwsFailure';
    this.status = options?.status;
  }

  /** The HTTP status of the answer, when there was one (HEAD requests carry no error code, only this). */
  readonly status: number | undefined;

  /** Worth trying again later: the request may well succeed unchanged. */
  get retryable(): boolean {
    return this.kind === 'throttled' || this.kind === 'transient';
  }
}

const CREDENTIAL_CODES = new Set([
  'CredentialsProviderError',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidAccessKeyId',
  'AuthFailure',
  'TokenRefreshRequired',
  'RequestExpired', // EC2's word for an expired session token
]);
const ACCESS_CODES = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess']);
const THROTTLE_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
}

/**
 * True for an {@link AwsFailure}. A brand check rather than `instanceof`: the SDK facades live in their
 * own lazily loaded bundle, which carries its own copy of this class.
 */
export function isAwsFailure(error: unknown): error is AwsFailure {
  return error instanceof Error && error.name === 'AwsFailure' && typeof (error as Partial<AwsFailure>).kind === 'string';
}

/** Classifies any error thrown by an SDK call made for `operation` (e.g. `cloudformation:CreateStack`). */
export function translateAwsError(error: unknown, operation: string): AwsFailure {
  if (isAwsFailure(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const code = e.Code ?? (e.name && e.name !== 'Error' ? e.name : undefined) ?? e.code ?? 'UnknownError';
  const message = (e.message ?? String(error)).trim();
  const status = e.$metadata?.httpStatusCode;
  const kind = classify(code, message, status, e);
  return new AwsFailure(kind, code, message, operation, { cause: error, ...(status !== undefined ? { status } : {}) });
}

function classify(code: string, message: string, status: number | undefined, e: SdkErrorShape): AwsFailureKind {
  if (CREDENTIAL_CODES.has(code) || /could not load credentials|security token included in the request is (invalid|expired)/i.test(message)) {
    return 'credentials';
  }
  if (ACCESS_CODES.has(code)) return 'access-denied';
  if (THROTTLE_CODES.has(code) || status === 429) return 'throttled';
  if (NETWORK_CODES.has(code) || (e.code !== undefined && NETWORK_CODES.has(e.code)) || /socket hang up|ECONNRESET|ECONNREFUSED/i.test(message)) {
    return 'transient';
  }
  if ((status !== undefined && status >= 500) || e.$fault === 'server') return 'transient';
  if (code === 'AlreadyExistsException') return 'conflict';
  if (/does not exist|not found/i.test(message) || /NotFound/.test(code)) return 'not-found';
  if (code === 'ValidationError' || (status !== undefined && status >= 400 && status < 500)) return 'invalid';
  return 'other';
}

/** Runs one SDK call and translates whatever it throws. */
export async function awsCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateAwsError(error, operation);
  }
}
