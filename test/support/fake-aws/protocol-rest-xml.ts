/**
 * The REST-XML protocol (S3, Route 53): the operation comes from the method, the path and the
 * query string; answers are XML documents, other bytes (S3 objects, bucket policies) or only
 * headers. Errors: S3 writes
 * `<Error><Code>…</Code>…</Error>` (nothing for HEAD), Route 53 `<ErrorResponse><Error>…`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { credentialScope } from './dispatch.js';
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
  /** Header names in lower case. */
  headers: IncomingHttpHeaders;
  /** The request body's bytes. */
  body: Buffer;
  /** The region of the SigV4 credential scope; the fake's region for unsigned requests. */
  region: string;
  /** `now()` when the request arrived. */
  t: number;
  world: World;
}

/** What a REST handler answers: a status (default 200), headers, an XML document or other bytes. */
export interface RestResult {
  status?: number;
  headers?: Record<string, string>;
  xml?: string;
  /** A payload that is not XML (S3 objects, bucket policies); `headers` give its `Content-Type`. */
  body?: string | Buffer;
}

/** Handles one operation. */
export type RestHandler = (ctx: RestContext) => RestResult;

/** Maps requests to an operation: method, path pattern (named groups are labels), a query key. */
export interface RestRoute {
  method: string;
  path: RegExp;
  /** The query string must have this key (`?location`, `?tagging`). */
  queryKey?: string;
  /** The query string must have none of these keys (S3's subresources, for the plain routes). */
  without?: readonly string[];
  /** The request must have this header (lower case): S3's CopyObject is a PutObject with `x-amz-copy-source`. */
  header?: string;
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
    if (route.without?.some((key) => call.query.has(key))) continue;
    if (route.header && call.headers[route.header] === undefined) continue;
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
  const payload = (call: HttpCall, status: number, headers: Record<string, string>, body: string | Buffer): Reply =>
    call.method === 'HEAD' ? { status, body: '', headers } : { status, body, headers };
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
      const region = credentialScope(call.authorization).region ?? world.options.region;
      const ctx: RestContext = { labels: found.labels, query: call.query, method: call.method, headers: call.headers, body: call.raw, region, t: call.t, world };
      const result = handler(ctx);
      const headers = { ...baseHeaders(requestId), ...result.headers };
      const status = result.status ?? 200;
      return result.body === undefined ? reply(call, status, headers, result.xml) : payload(call, status, headers, result.body);
    },
    unknown: (action) =>
      s3 ? new AwsError('NotImplemented', `The fake AWS server does not implement ${action}`, 501) : new AwsError('InvalidAction', `The fake AWS server does not implement ${action}`),
    error: (e, call, requestId) => reply(call, e.status, baseHeaders(requestId), s3 ? s3Error(e, requestId) : route53Error(def.xmlns, e, requestId)),
  };
}
