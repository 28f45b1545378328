/**
 * A port of KMS's JSON-RPC handler and ServerMethods (server/jsonrpc/src/JsonRpcHandler.cpp,
 * server/media-server/server/ServerMethods.cpp): protocol checks, session injection, the request
 * cache (request-cache.ts), and the thirteen methods (transaction in transaction.ts).
 */
import { randomUUID } from 'node:crypto';
import { hierarchy, qualified } from './catalog.js';
import { fromKms, Kms, KmsError, missingParam, Rpc, RpcError, wrongParam } from './errors.js';
import { asString, hasMember, isObject, toBoolOk, toStringOk, writeJson, type JsonObject } from './json.js';
import { createObject, factoryFor, invoke, type ObjectContext } from './objects.js';
import { RequestCache } from './request-cache.js';
import { runTransaction } from './transaction.js';

export interface MethodsOptions {
  serverId: string;
  disableRequestCache: boolean;
  /** Pipelines beyond this many are refused with 40009. */
  maxPipelines(): number | undefined;
}

/** What one incoming message produced. */
export interface Processed {
  /** The text to send back: '' for a notification that produced nothing (KMS sends an empty frame). */
  response: string;
  /** The session the socket is bound to afterwards ('' = leave the binding alone). */
  bindSession: string;
  /** The request as handled (after session injection), if it was a JSON value. */
  request: unknown;
}

/**
 * Thrown where KMS lets an exception escape the message handler and sends nothing: text that is
 * not JSON, or a non-object message on a socket with a session (jsoncpp asserts while injecting).
 */
export class NoReply extends Error {}

type Method = (params: unknown) => Promise<unknown>;

/** `JsonRpc::getValue` on a non-object: jsoncpp's assertion, seen by the client as an internal error. */
function members(params: unknown): Record<string, unknown> | null {
  if (params === null || params === undefined) return null;
  if (!isObject(params)) throw new RpcError(Rpc.INTERNAL_ERROR, 'Unexpected error while processing method: in Json::Value::find(key, end, found): requires objectValue or nullValue');
  return params;
}

function getString(params: unknown, name: string): string {
  const p = members(params);
  if (!p || !hasMember(p, name)) throw missingParam(name);
  if (!toStringOk(p[name])) throw wrongParam(name, 'a string');
  return asString(p[name]);
}

function requireParams(params: unknown): void {
  if (params === null || params === undefined) throw new RpcError(Rpc.INVALID_PARAMS, "'params' is required", { type: 'INVALID_PARAMS' });
}

/** `getOrCreateSessionId`: the request's session, or a new one. */
function sessionOf(params: unknown): [string, boolean] {
  try {
    return [getString(params, 'sessionId'), true];
  } catch (e) {
    if (e instanceof RpcError && e.code === Rpc.SERVER_ERROR_INIT) return [randomUUID(), false];
    throw e;
  }
}

async function kms<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw e instanceof KmsError ? fromKms(e) : e;
  }
}

export class ServerMethods {
  private readonly cache: RequestCache;
  private readonly methods: Record<string, Method>;

  constructor(
    private readonly ctx: ObjectContext,
    private readonly options: MethodsOptions,
  ) {
    this.cache = new RequestCache(() => ctx.now());
    const set = ctx.set;
    this.methods = {
      connect: async (params) => {
        if (params === null || params === undefined) return { sessionId: randomUUID(), serverId: options.serverId };
        const [sessionId, given] = sessionOf(params);
        if (given) await kms(() => set.keepAlive(sessionId));
        return { sessionId, serverId: options.serverId };
      },
      create: async (params) => {
        requireParams(params);
        const type = getString(params, 'type');
        const [sessionId] = sessionOf(params);
        const p = members(params)!;
        const obj = await kms(() => {
          factoryFor(type);
          this.checkResources(type);
          return createObject(type, sessionId, p['constructorParams'] ?? null, p['properties'], ctx);
        });
        return { value: obj.id, sessionId };
      },
      invoke: async (params) => {
        requireParams(params);
        const operation = getString(params, 'operation');
        const object = getString(params, 'object');
        const p = members(params)!;
        const operationParams = isObject(p['operationParams']) ? p['operationParams'] : null;
        const [sessionId] = sessionOf(params);
        const value = await kms(() => invoke(set.getObjectFor(sessionId, object), operation, operationParams, ctx));
        return { value, sessionId };
      },
      subscribe: async (params) => {
        requireParams(params);
        const type = getString(params, 'type');
        const object = getString(params, 'object');
        const [sessionId] = sessionOf(params);
        const value = await kms(() => set.subscribe(sessionId, set.getObjectFor(sessionId, object), type));
        return { sessionId, value };
      },
      unsubscribe: async (params) => {
        requireParams(params);
        const object = getString(params, 'object');
        const subscription = getString(params, 'subscription');
        const sessionId = getString(params, 'sessionId');
        set.unsubscribe(sessionId, object, subscription);
        return { sessionId };
      },
      release: async (params) => {
        requireParams(params);
        const object = getString(params, 'object');
        const [sessionId] = sessionOf(params);
        set.releaseById(object);
        return { sessionId };
      },
      ref: async (params) => {
        requireParams(params);
        const object = getString(params, 'object');
        const sessionId = getString(params, 'sessionId');
        await kms(() => set.refById(sessionId, object));
        return { sessionId };
      },
      unref: async (params) => {
        requireParams(params);
        const object = getString(params, 'object');
        const sessionId = getString(params, 'sessionId');
        set.unrefById(sessionId, object);
        return { sessionId };
      },
      keepAlive: async (params) => {
        requireParams(params);
        const sessionId = getString(params, 'sessionId');
        await kms(() => set.keepAlive(sessionId));
        return { sessionId };
      },
      describe: async (params) => {
        requireParams(params);
        const [sessionId] = sessionOf(params);
        const object = getString(params, 'object');
        const obj = await kms(() => set.getObjectFor(sessionId, object));
        return { sessionId, type: obj.type, qualifiedType: qualified(obj.type), hierarchy: hierarchy(obj.type) };
      },
      transaction: async (params) => {
        requireParams(params);
        const [sessionId] = sessionOf(params);
        return runTransaction(members(params) as JsonObject, sessionId, (op) => this.handle(op));
      },
      ping: async (params) => {
        const p = isObject(params) ? params : null;
        const withSession = p && hasMember(p, 'sessionId') && toStringOk(p['sessionId']);
        return { ...(withSession ? { sessionId: asString(p['sessionId']) } : {}), value: 'pong' };
      },
      closeSession: async (params) => {
        requireParams(params);
        const p = members(params)!;
        const release = hasMember(p, 'release') && toBoolOk(p['release']) ? Boolean(p['release']) : false;
        const sessionId = getString(params, 'sessionId');
        if (release) set.releaseSession(sessionId);
        else set.unrefSession(sessionId);
        return null;
      },
    };
  }

  private checkResources(type: string): void {
    const max = this.options.maxPipelines();
    if (max === undefined || type !== 'MediaPipeline') return;
    const pipelines = [...this.ctx.set.objects.values()].filter((o) => o.type === 'MediaPipeline').length;
    if (pipelines >= max) throw new KmsError(Kms.NOT_ENOUGH_RESOURCES, `Reached KMS threads limit: ${max}`);
  }

  /** `ServerMethods::process` for one text message from a socket bound to `boundSession` ('' if none). */
  async process(text: string, boundSession: string): Promise<Processed> {
    let request: unknown;
    try {
      request = JSON.parse(text);
    } catch {
      throw new NoReply('Parse error.');
    }
    if (boundSession && request !== null && !isObject(request)) throw new NoReply('not an object');
    if (boundSession && isObject(request)) {
      const params = request['params'];
      if (params === null || params === undefined) request['params'] = { sessionId: boundSession };
      else if (isObject(params) && !(hasMember(params, 'sessionId') && toStringOk(params['sessionId']))) params['sessionId'] = boundSession;
    }
    const { response } = await this.handle(request);
    let bindSession = boundSession;
    if (response && hasMember(response, 'error')) bindSession = '';
    else if (response && isObject(response['result']) && hasMember(response['result'], 'sessionId') && toStringOk(response['result']['sessionId'])) {
      bindSession = asString(response['result']['sessionId']);
    }
    return { response: response === null ? '' : writeJson(response), bindSession, request };
  }

  /** `JsonRpc::Handler::process(Json::Value)`: the response (null for a quiet notification) and whether it succeeded. */
  private async handle(msg: unknown): Promise<{ response: JsonObject | null; ok: boolean }> {
    const protocolError = { id: null, jsonrpc: '2.0', error: { code: Rpc.INVALID_REQUEST, message: 'Invalid JSON-RPC request.' } };
    if (!isObject(msg) || msg['jsonrpc'] !== '2.0') return { response: protocolError, ok: false };
    if (hasMember(msg, 'id') && (Array.isArray(msg['id']) || isObject(msg['id']))) return { response: protocolError, ok: false };
    if (typeof msg['method'] !== 'string') return { response: protocolError, ok: false };
    const response: JsonObject = { id: hasMember(msg, 'id') ? msg['id']! : null, jsonrpc: '2.0' };
    const method = this.methods[msg['method']];
    const keep = (r: JsonObject | null) => {
      if (!this.options.disableRequestCache) this.cache.keep(msg, r);
    };
    if (!method || !Object.prototype.hasOwnProperty.call(this.methods, msg['method'])) {
      response['error'] = { code: Rpc.METHOD_NOT_FOUND, message: 'Method not found.' };
      keep(response);
      return { response, ok: false };
    }
    try {
      const cached = this.options.disableRequestCache ? undefined : this.cache.lookup(msg);
      if (cached !== undefined) return { response: cached, ok: !(cached && hasMember(cached, 'error')) };
      const result = await method(msg['params'] ?? null);
      if (!hasMember(msg, 'id') || msg['id'] === null) {
        if (result !== null) throw new RpcError(Rpc.SERVER_ERROR_INIT, 'Ignoring response because of a notification request', result);
        keep(null);
        return { response: null, ok: true };
      }
      response['result'] = result as JsonObject;
      keep(response);
      return { response, ok: true };
    } catch (e) {
      const error = e instanceof RpcError ? e : e instanceof KmsError ? fromKms(e) : new RpcError(Rpc.INTERNAL_ERROR, `Unexpected error while processing method: ${(e as Error).message}`);
      response['error'] = error.toJson() as JsonObject;
      keep(response);
      return { response, ok: false };
    }
  }
}

