/**
 * `ServerMethods::transaction`: the operations run in order through the JSON-RPC handler, each in
 * the transaction's session and under a unique id; "newref:N" anywhere in an operation's params
 * becomes the `value` of operation N's result; the first failing operation ends the run, and the
 * answer lists every response so far. A malformed transaction fails as a whole (40008), after the
 * operations before the fault have run.
 */
import { randomUUID } from 'node:crypto';
import { Kms, missingParam, Rpc, RpcError, wrongParam } from './errors.js';
import { asNumber, hasMember, isObject, toUintOk, type JsonObject } from './json.js';

const NEW_REF = 'newref:';

/** Runs one request through the handler: its response (null for a quiet notification) and whether it succeeded. */
export type Handle = (msg: unknown) => Promise<{ response: JsonObject | null; ok: boolean }>;

const malformed = (message: string) => new RpcError(Kms.MALFORMED_TRANSACTION, message, { type: 'MALFORMED_TRANSACTION' });
const jsoncppAssertion = () => new RpcError(Rpc.INTERNAL_ERROR, 'Unexpected error while processing method: in Json::Value::operator[](char const*): requires objectValue');

export async function runTransaction(params: JsonObject, sessionId: string, handle: Handle): Promise<unknown> {
  if (!hasMember(params, 'operations')) throw missingParam('operations');
  const operations = params['operations'];
  if (!Array.isArray(operations)) throw wrongParam('operations', 'an array');
  const unique = randomUUID();
  const responses: JsonObject[] = [];
  for (let i = 0; i < operations.length; i++) {
    if (operations[i] === null) operations[i] = {};
    const op = operations[i];
    if (!isObject(op) || (op['params'] !== undefined && op['params'] !== null && !isObject(op['params']))) throw jsoncppAssertion();
    const reqParams: JsonObject = isObject(op['params']) ? op['params'] : (op['params'] = {});
    reqParams['sessionId'] = sessionId;
    const id = op['id'] ?? null;
    if (!toUintOk(id) || asNumber(id) !== i) throw malformed(`Id of request '${i}' should be '${i}'`);
    op['id'] = `${unique}_${i}`;
    injectRefs(reqParams, responses);
    const { response, ok } = await handle(op);
    responses[i] = { ...(response ?? {}), id: i };
    if (!ok) break;
  }
  return { value: responses, sessionId };
}

/** `std::stoi`: leading digits after optional blanks and sign; none ⇒ invalid; too large ⇒ out of range. */
function stoi(text: string): number | 'invalid' | 'range' {
  const m = /^\s*([+-]?\d+)/.exec(text);
  if (!m) return 'invalid';
  const n = Number(m[1]);
  return n > 2147483647 || n < -2147483648 ? 'range' : n;
}

/** Replaces every "newref:N" string under `params` by the `value` of operation N's result. */
function injectRefs(params: JsonObject | unknown[], responses: JsonObject[]): void {
  const entries: [string | number, unknown][] = Array.isArray(params) ? params.map((v, i) => [i, v]) : Object.entries(params);
  for (const [key, value] of entries) {
    if (isObject(value) || Array.isArray(value)) {
      injectRefs(value, responses);
      continue;
    }
    if (typeof value !== 'string' || value.length <= NEW_REF.length || !value.startsWith(NEW_REF)) continue;
    const ref = value.slice(NEW_REF.length);
    const index = stoi(ref);
    if (index === 'invalid') throw malformed(`Invalid index of newref '${ref}'`);
    // std::out_of_range is not caught there: it reaches the handler as an internal error
    if (index === 'range') throw new RpcError(Rpc.INTERNAL_ERROR, 'Unexpected error while processing method: stoi');
    const result = index >= 0 ? responses[index]?.['result'] : undefined;
    if (!isObject(result)) throw malformed(`Result not found on request ${index}`);
    (params as Record<string | number, unknown>)[key] = result['value'] ?? null;
  }
}
