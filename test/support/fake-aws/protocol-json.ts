/**
 * The JSON 1.1 protocol (ACM, Secrets Manager): `POST /` with `X-Amz-Target: Prefix.Action` and a
 * JSON body; errors are `{"__type": code, "message": …}` with an `x-amzn-ErrorType` header.
 * Timestamps go out as epoch seconds, blobs come in as base64.
 */
import { AwsError } from './errors.js';
import type { World } from './world.js';
import type { HttpCall, Reply, Wire } from './wire.js';

/** A JSON object as parsed from a request or written in an answer. */
export type JsonObject = Record<string, unknown>;

/** One request as a JSON handler sees it. */
export interface JsonContext {
  input: JsonObject;
  /** `now()` when the request arrived. */
  t: number;
  world: World;
}

/** Handles one action; returns the output (or nothing for `{}`). */
export type JsonHandler = (ctx: JsonContext) => JsonObject | undefined;

/** A JSON 1.1 service. */
export interface JsonServiceDef {
  /** SigV4 signing name. */
  name: string;
  /** `X-Amz-Target` prefix before the dot: `CertificateManager`, `secretsmanager`. */
  targetPrefix: string;
  /** Code of an injected server error (default `InternalFailure`). */
  serverErrorCode?: string;
  actions: Record<string, JsonHandler>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.1';

function target(call: HttpCall): string {
  const header = call.headers['x-amz-target'];
  return (Array.isArray(header) ? header[0] : header) ?? '';
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

/** A JSON 1.1 service definition as a {@link Wire}. */
export function jsonWire(def: JsonServiceDef): Wire {
  const prefix = `${def.targetPrefix}.`;
  const reply = (status: number, body: JsonObject, requestId: string, extra: Record<string, string> = {}): Reply => ({
    status,
    body: JSON.stringify(body),
    headers: { 'Content-Type': CONTENT_TYPE, 'x-amzn-RequestId': requestId, ...extra },
  });
  return {
    name: def.name,
    faultStyle: 'json',
    serverErrorCode: def.serverErrorCode,
    claims: (call) => target(call).startsWith(prefix),
    operation: (call) => {
      const action = target(call).startsWith(prefix) ? target(call).slice(prefix.length) : target(call);
      let params: Record<string, string> = {};
      try {
        params = Object.fromEntries(Object.entries(parseBody(call.body)).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
      } catch {
        // recorded without parameters; the answer says why
      }
      return { action, params };
    },
    answer: (action, call, world, requestId) => {
      const handler = Object.hasOwn(def.actions, action) ? def.actions[action] : undefined;
      if (!handler) return undefined;
      return reply(200, handler({ input: parseBody(call.body), t: call.t, world }) ?? {}, requestId);
    },
    unknown: (action) => new AwsError('UnknownOperationException', `The fake AWS server does not serve ${def.targetPrefix}.${action}`),
    error: (e, _call, requestId) => reply(e.status, { __type: e.code, message: e.message }, requestId, { 'x-amzn-ErrorType': e.code }),
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
