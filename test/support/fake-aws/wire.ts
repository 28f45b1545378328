/**
 * What every protocol adapter gives the dispatcher: how a request names its operation, how an
 * answer and an error are written. Adapters: `protocol-query.ts` (query, EC2 query),
 * `protocol-json.ts` (JSON 1.0 and 1.1) and `protocol-rest-xml.ts` (REST-XML).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './errors.js';
import type { Form } from './form.js';
import type { World } from './world.js';

/** One HTTP request, read in full. */
export interface HttpCall {
  method: string;
  /** The URL path, not decoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
  /** The body's bytes (S3 objects). */
  raw: Buffer;
  /** Query string and form body fields (query protocols); the query string alone otherwise. */
  form: Form;
  authorization?: string;
  /** `now()` when the request arrived. */
  t: number;
}

/** One HTTP answer. */
export interface Reply {
  status: number;
  /** A `Content-Length` here wins over the body's length (HEAD answers). */
  headers: Record<string, string>;
  body: string | Buffer;
}

/** Which family of error codes injected faults use. */
export type FaultStyle = 'query' | 'ec2' | 's3' | 'json';

/** A service as the endpoint sees it. */
export interface Wire {
  /** SigV4 signing name: `cloudformation`, `s3`, `acm`, … */
  name: string;
  faultStyle: FaultStyle;
  /** Code of an injected server error when the style's default does not fit. */
  serverErrorCode?: string;
  /** Whether an unsigned request is for this service. */
  claims(call: HttpCall): boolean;
  /** The operation a request is for and the parameters to record. */
  operation(call: HttpCall): { action: string; params: Record<string, string> };
  /**
   * Runs an operation (throws `AwsError`, or rejects with one); `undefined` when the service does
   * not have it. Only long polls (SQS ReceiveMessage) answer with a promise.
   */
  answer(action: string, call: HttpCall, world: World, requestId: string): Reply | undefined | Promise<Reply | undefined>;
  /** The error for an operation the fake does not serve. */
  unknown(action: string, call: HttpCall): AwsError;
  /** Writes an error answer. */
  error(e: AwsError, call: HttpCall, requestId: string): Reply;
}
