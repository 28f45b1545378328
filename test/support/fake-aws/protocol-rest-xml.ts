/**
 * The REST-XML protocol (S3, Route 53): the operation comes from the method, the path and the
 * query string; answers are XML documents (or only headers). Errors: S3 writes
 * `<Error><Code>…</Code>…</Error>` (nothing for HEAD), Route 53 `<ErrorResponse><Error>…`.
 */
import { AwsError } from './errors.js';
import { hex } from './ids.js';
import type { World } from './world.js';
import type { HttpCall, Reply, Wire } from './wire.js';
import { children, escapeXml, type ItemTag, type XmlObject } from './xml.js';

/** One request as a REST handler sees it. */
export interface RestContext {
  /** Path labels of the matched route, decoded. */
  labels: Record<string, string>;
  query: URLSearchParams;
  method: string;
  /** `now()` when the request arrived. */
  t: number;
  world: World;
}

/** What a REST handler answers: a status (default 200), headers, an XML document. */
export interface RestResult {
  status?: number;
  headers?: Record<string, string>;
  xml?: string;
}

/** Handles one operation. */
export type RestHandler = (ctx: RestContext) => RestResult;

/** Maps requests to an operation: method, path pattern (named groups are labels), a query key. */
export interface RestRoute {
  method: string;
  path: RegExp;
  /** The query string must have this key (`?location`, `?tagging`). */
  queryKey?: string;
  action: string;
}

/** A REST-XML service. */
export interface RestXmlServiceDef {
  /** SigV4 signing name. */
  name: string;
  /** Error document shape and injected fault codes: S3's or Route 53's (the query family). */
  style: 's3' | 'route53';
  xmlns: string;
  /** Tried in order: put routes with a `queryKey` before the plain ones. */
  routes: RestRoute[];
  actions: Record<string, RestHandler>;
}

/** An XML document with one root element in `xmlns`; list items are named by `items` (list name → item name). */
export function xmlDocument(root: string, xmlns: string, value: XmlObject, items: ItemTag = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${children(value, items)}</${root}>`;
}

function match(def: RestXmlServiceDef, call: HttpCall): { route: RestRoute; labels: Record<string, string> } | undefined {
  for (const route of def.routes) {
    if (route.method !== call.method) continue;
    if (route.queryKey && !call.query.has(route.queryKey)) continue;
    const m = route.path.exec(call.path);
    if (!m) continue;
    const labels = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v ?? '')]));
    return { route, labels };
  }
  return undefined;
}

function s3Error(e: AwsError, requestId: string): string {
  const details = Object.entries(e.details).map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message>${details}<RequestId>${requestId}</RequestId><HostId>${hex(56)}</HostId></Error>`;
}

function route53Error(xmlns: string, e: AwsError, requestId: string): string {
  const error = `<Error><Type>${e.faultType}</Type><Code>${escapeXml(e.code)}</Code><Message>${escapeXml(e.message)}</Message></Error>`;
  return `<?xml version="1.0"?>\n<ErrorResponse xmlns="${xmlns}">${error}<RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** A REST-XML service definition as a {@link Wire}. */
export function restXmlWire(def: RestXmlServiceDef): Wire {
  const s3 = def.style === 's3';
  const baseHeaders = (requestId: string): Record<string, string> =>
    s3 ? { 'x-amz-request-id': requestId.replace(/-/g, '').slice(0, 16).toUpperCase(), 'x-amz-id-2': hex(56) } : { 'x-amzn-RequestId': requestId };
  const reply = (call: HttpCall, status: number, headers: Record<string, string>, xml: string | undefined): Reply => {
    const body = call.method === 'HEAD' || xml === undefined ? '' : xml;
    return { status, body, headers: body ? { 'Content-Type': s3 ? 'application/xml' : 'text/xml', ...headers } : headers };
  };
  return {
    name: def.name,
    faultStyle: s3 ? 's3' : 'query',
    claims: () => false,
    operation: (call) => {
      const found = match(def, call);
      const params = { ...Object.fromEntries(call.query), ...found?.labels };
      return { action: found?.route.action ?? `${call.method} ${call.path}`, params };
    },
    answer: (action, call, world, requestId) => {
      const found = match(def, call);
      const handler = Object.hasOwn(def.actions, action) ? def.actions[action] : undefined;
      if (!found || !handler) return undefined;
      const result = handler({ labels: found.labels, query: call.query, method: call.method, t: call.t, world });
      return reply(call, result.status ?? 200, { ...baseHeaders(requestId), ...result.headers }, result.xml);
    },
    unknown: (action) =>
      s3 ? new AwsError('NotImplemented', `The fake AWS server does not implement ${action}`, 501) : new AwsError('InvalidAction', `The fake AWS server does not implement ${action}`),
    error: (e, call, requestId) => reply(call, e.status, baseHeaders(requestId), s3 ? s3Error(e, requestId) : route53Error(def.xmlns, e, requestId)),
  };
}
