/** An AWS error answer: the service-specific code, its message and the HTTP status. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra error fields some protocols write (S3's `BucketName`). */
    readonly details: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }

  /** `Sender` for client faults (4xx), `Receiver` for server faults (5xx), as the query protocol says. */
  get faultType(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** CloudFormation's and Auto Scaling's generic `ValidationError`. */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message);
}
