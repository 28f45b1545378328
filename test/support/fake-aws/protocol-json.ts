/**
 * The JSON protocols: `POST /` with `X-Amz-Target: Prefix.Action` and a JSON body (gzip allowed).
 * JSON 1.1 (ACM, Secrets Manager): errors are `{"__type": code, "message": …}` with an
 * `x-amzn-ErrorType` header. JSON 1.0 with `awsQueryCompatible` (CloudWatch, SQS): `__type` is the
 * error shape (`com.amazonaws.sqs#QueueDoesNotExist`) and `x-amzn-query-error: Code;Sender` carries
 * the old query code, which the SDK prefers. Timestamps go out as epoch seconds, blobs come in as base64.
 */
import { gunzipSync } from 'node:zlib';
import { credentialScope } from './dispatch.js';
import { AwsError } from './errors.js';
import type { World } from './world.js';
import type { FaultStyle, HttpCall, Reply, Wire } from './wire.js';

/** A JSON object as parsed from a request or written in an answer. */
export type JsonObject = Record<string, unknown>;

/** One request as a JSON handler sees it. */
export interface JsonContext {
  input: JsonObject;
  /** `now()` when the request arrived. */
  t: number;
  world: World;
  /** The access key id of the SigV4 credential scope (absent for unsigned requests). */
  accessKeyId?: string;
}

/** Handles one action; returns the output (or nothing for `{}`). Only long polls return a promise. */
export type JsonHandler = (ctx: JsonContext) => JsonObject | undefined | Promise<JsonObject | undefined>;

/** How a JSON 1.0 service that used to speak query writes its errors. */
export interface QueryCompatibility {
  /** Smithy namespace of the error shapes: `com.amazonaws.sqs`. */
  namespace: string;
  /** Query error code → error shape name, where they differ (`AWS.SimpleQueueService.NonExistentQueue` → `QueueDoesNotExist`). */
  shapes: Record<string, string>;
}

/** A JSON service. */
export interface JsonServiceDef {
  /** SigV4 signing name. */
  name: string;
  /** `X-Amz-Target` prefix before the dot: `CertificateManager`, `secretsmanager`, `AmazonSQS`. */
  targetPrefix: string;
  /** Default `1.1`. */
  version?: '1.0' | '1.1';
  /** Set for `awsQueryCompatible` services: their errors carry the query code too. */
  queryCompatible?: QueryCompatibility;
  /** Codes of injected faults: `json` (default) or `query` (query-compatible services). */
  faultStyle?: FaultStyle;
  /** Code of an injected server error (default `InternalFailure`). */
  serverErrorCode?: string;
  actions: Record<string, JsonHandler>;
}

function target(call: HttpCall): string {
  const header = call.headers['x-amz-target'];
  return (Array.isArray(header) ? header[0] : header) ?? '';
}

function bodyText(call: HttpCall): string {
  const encoding = String(call.headers['content-encoding'] ?? '');
  if (!encoding.split(',').some((e) => e.trim() === 'gzip')) return call.body;
  try {
    return gunzipSync(call.raw).toString('utf8');
  } catch {
    throw new AwsError('SerializationException', 'The request body is not valid gzip.');
  }
}

function parseBody(body: string): JsonObject {
  if (body.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // answered below
  }
  throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
}

/** Epoch seconds, as JSON protocols write timestamps. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** A JSON service definition as a {@link Wire}. */
export function jsonWire(def: JsonServiceDef): Wire {
  const prefix = `${def.targetPrefix}.`;
  const contentType = `application/x-amz-json-${def.version ?? '1.1'}`;
  const reply = (status: number, body: JsonObject, requestId: string, extra: Record<string, string> = {}): Reply => ({
    status,
    body: JSON.stringify(body),
    headers: { 'Content-Type': contentType, 'x-amzn-RequestId': requestId, ...extra },
  });
  const compat = def.queryCompatible;
  const failure = (e: AwsError, requestId: string): Reply => {
    if (!compat) return reply(e.status, { __type: e.code, message: e.message }, requestId, { 'x-amzn-ErrorType': e.code });
    const shape = Object.hasOwn(compat.shapes, e.code) ? compat.shapes[e.code] : e.code;
    return reply(e.status, { __type: `${compat.namespace}#${shape}`, message: e.message }, requestId, { 'x-amzn-query-error': `${e.code};${e.faultType}` });
  };
  const run = (handler: JsonHandler, call: HttpCall, world: World, requestId: string): Reply | Promise<Reply> => {
    const { accessKeyId } = credentialScope(call.authorization);
    const out = handler({ input: parseBody(bodyText(call)), t: call.t, world, ...(accessKeyId ? { accessKeyId } : {}) });
    return out instanceof Promise ? out.then((o) => reply(200, o ?? {}, requestId)) : reply(200, out ?? {}, requestId);
  };
  return {
    name: def.name,
    faultStyle: def.faultStyle ?? 'json',
    serverErrorCode: def.serverErrorCode,
    claims: (call) => target(call).startsWith(prefix),
    operation: (call) => {
      const action = target(call).startsWith(prefix) ? target(call).slice(prefix.length) : target(call);
      let params: Record<string, string> = {};
      try {
        params = Object.fromEntries(Object.entries(parseBody(bodyText(call))).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      } catch {
        // recorded without parameters; the answer says why
      }
      return { action, params };
    },
    answer: (action, call, world, requestId) => {
      const handler = Object.hasOwn(def.actions, action) ? def.actions[action] : undefined;
      if (!handler) return undefined;
      return run(handler, call, world, requestId);
    },
    unknown: (action) => new AwsError('UnknownOperationException', `The fake AWS server does not serve ${def.targetPrefix}.${action}`),
    error: (e, _call, requestId) => failure(e, requestId),
  };
}

/** A required string field, or `code` (`ValidationException`, `InvalidParameterException`, …). */
export function requiredString(input: JsonObject, name: string, code: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new AwsError(code, `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

/** `[{Key, Value}]` as a record (anything else as `{}`). */
export function tagsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(value)) return out;
  for (const tag of value as { Key?: unknown; Value?: unknown }[]) {
    if (typeof tag?.Key === 'string') out[tag.Key] = typeof tag.Value === 'string' ? tag.Value : '';
  }
  return out;
}

/** A record as `[{Key, Value}]`. */
export function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
