/**
 * KMS's request cache (ServerMethods::preProcess/postProcess, RequestCache.cpp): every answer,
 * errors included, is kept for 20 s under (sessionId, request id) — the session from the answer's
 * result, else from the request's params — and a repeated pair gets the kept answer back,
 * whatever its method. A request with no session (or no id) is neither looked up nor kept.
 */
import { asString, hasMember, isObject, toStringOk, type JsonObject } from './json.js';

const REQUEST_TIMEOUT_MS = 20_000;

export class RequestCache {
  private readonly entries = new Map<string, { response: JsonObject | null; at: number }>();

  constructor(private readonly now: () => number) {}

  private key(msg: JsonObject, response: JsonObject | null, fromResult: boolean): string | undefined {
    if (!hasMember(msg, 'id') || !toStringOk(msg['id'])) return undefined;
    const result = response?.['result'];
    let sessionId: unknown;
    if (fromResult && isObject(result) && hasMember(result, 'sessionId')) sessionId = result['sessionId'];
    else if (isObject(msg['params']) && hasMember(msg['params'], 'sessionId')) sessionId = msg['params']['sessionId'];
    else return undefined;
    if (!toStringOk(sessionId)) return undefined;
    return JSON.stringify([asString(sessionId), asString(msg['id'])]);
  }

  private live(key: string): { response: JsonObject | null; at: number } | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.at >= REQUEST_TIMEOUT_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** preProcess: the kept answer to this request (a copy), or undefined to handle it. */
  lookup(msg: JsonObject): JsonObject | null | undefined {
    const key = this.key(msg, null, false);
    const entry = key === undefined ? undefined : this.live(key);
    return entry ? structuredClone(entry.response) : undefined;
  }

  /** postProcess: keeps the answer unless one is kept already. */
  keep(msg: JsonObject, response: JsonObject | null): void {
    const key = this.key(msg, response, true);
    if (key === undefined || this.live(key)) return;
    this.entries.set(key, { response: structuredClone(response), at: this.now() });
  }
}
