import type { IncomingMessage } from 'node:http';

/**
 * Whether a browser request comes from the page's own site: a browser always sends `Origin` on a
 * cross-origin POST or WebSocket, so a request without one is a same-site navigation or not a browser.
 * The inspector's forms and the room demo's WebSocket refuse any other site.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
