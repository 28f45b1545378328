/**
 * The cameras page's files as served: each with its type, the page's security headers, an ETag, and
 * gzip for a browser that takes it (hls.js is 390 KB, about 120 KB gzipped).
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { hlsScript } from './hls-script.js';
import { BASE, camerasPage, PAGE_CSS, PAGE_JS } from './page.js';

/**
 * A strict Content-Security-Policy, as the ROOM page's: scripts, styles and connections (XHR for
 * the HLS, the WebSocket) from this server only; media from blob: (hls.js's MediaSource) and
 * mediastream: (WebRTC). hls.js runs without its worker (a blob: script).
 */
const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob: mediastream:; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** A file of the page: its bytes, gzipped once when first asked for, and an ETag so a reload costs a 304. */
export class Asset {
  private gz: Buffer | undefined;
  readonly etag: string;
  constructor(
    readonly type: string,
    readonly body: Buffer,
  ) {
    this.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  }
  send(req: IncomingMessage, res: ServerResponse): void {
    const headers = { 'content-type': this.type, etag: this.etag, vary: 'accept-encoding', ...PAGE_HEADERS };
    if (req.headers['if-none-match'] === this.etag) return void res.writeHead(304, headers).end();
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && this.body.length > 1024;
    const body = gzip ? (this.gz ??= gzipSync(this.body)) : this.body;
    res.writeHead(200, { ...headers, 'content-length': body.length, ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

const JS = 'text/javascript; charset=utf-8';

/**
 * The page's files by path: the page (at `/app/cameras` and `/app/cameras/`), its script and
 * stylesheet, and hls.js (read when first asked for).
 */
export function pageAssets(names: readonly string[], live: boolean): (path: string) => Asset | undefined {
  const page = new Asset('text/html; charset=utf-8', Buffer.from(camerasPage(names, live)));
  const files = new Map<string, Asset>([
    [BASE, page],
    [`${BASE}/`, page],
    [`${BASE}/cameras.js`, new Asset(JS, Buffer.from(PAGE_JS))],
    [`${BASE}/cameras.css`, new Asset('text/css; charset=utf-8', Buffer.from(PAGE_CSS))],
  ]);
  return (path) => {
    if (path === `${BASE}/hls.js` && !files.has(path)) files.set(path, new Asset(JS, Buffer.from(hlsScript())));
    return files.get(path);
  };
}
