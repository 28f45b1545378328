/**
 * The inspector, served by the controller under `/inspector`: a login, three pages (nodes,
 * pipelines, one pipeline) and their JSON API under `/inspector/api/…`. Without a session only
 * the login page and its form are served: the API answers 401, pages redirect to the login.
 * Admin actions (release a pipeline, drain a node) need the session's CSRF token and are logged
 * with the user, the action and the target. See docs/inspector.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from '../cluster.js';
import { randomBytes } from 'node:crypto';
import { DEFAULT_AUTH_LIMITS, type AuthLimits, COOKIE, FailureLimiter, type InspectorSession, SessionTokens, clearedCookie, cookieValue, sameCredentials, sameToken, sessionCookie } from './auth.js';
import { APP_JS } from './client.js';
import { ActionError, drainNode, releasePipeline } from './admin.js';
import { LOGIN_STYLE_HASH, loginPage, pageShell } from './pages.js';
import { STYLE_CSS } from './style.js';
import { Tails } from './tail.js';
import { sameOrigin } from '../../same-origin.js';
import { ClusterViews, type Thresholds } from './views.js';

export type { Thresholds } from './views.js';

/** What the controller passes to serve the inspector. */
export interface InspectorOptions {
  /** The cluster secret's `inspectorUser` and `inspectorPassword`. */
  user: string;
  password: string;
  /** The scaling alarms' thresholds, drawn against each node's load; default 75 and 25. */
  thresholds?: Thresholds;
  /** A pipeline at least this old (ms) into which no media flows is flagged "possibly leaked"; default 4 h. */
  leakAfterMs?: number;
  /**
   * A secret every controller of the cluster shares (from the cluster secret): sessions are signed
   * with it, so a login at one controller holds at all. Default: random, sessions of this controller only.
   */
  sessionSecret?: string;
  /** Session and login limits; defaults in {@link DEFAULT_AUTH_LIMITS}. */
  limits?: Partial<AuthLimits>;
  /** Behind the load balancer: the client address is the last `X-Forwarded-For` entry (the one the ALB added). */
  trustForwardedFor?: boolean;
  /** An event tail ends after this long (ms); default 5 minutes. */
  tailMaxMs?: number;
}

export interface InspectorDeps {
  cluster: Cluster;
  costMap: Readonly<Record<string, number>>;
  now: () => number;
  log?: (line: string) => void;
}

export interface Inspector {
  /** Serves a request under `/inspector`. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

const HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // not no-referrer: with it, Chromium sends `Origin: null` on the page's own form posts
  'referrer-policy': 'same-origin',
  'content-security-policy': `default-src 'none'; script-src 'self'; style-src 'self' ${LOGIN_STYLE_HASH}; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

const MAX_BODY = 8 * 1024;

/** True for a path the inspector serves (`/inspector` and below). */
export const isInspectorPath = (url: string | undefined): boolean => {
  const path = (url ?? '').split('?', 1)[0] ?? '';
  return path === '/inspector' || path.startsWith('/inspector/');
};

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => {
      body += d.toString('utf8');
      if (body.length > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(undefined));
  });
}

export function createInspector(o: InspectorOptions, d: InspectorDeps): Inspector {
  const limits: AuthLimits = { ...DEFAULT_AUTH_LIMITS, ...o.limits };
  const sessions = new SessionTokens(limits, d.now, o.sessionSecret ?? randomBytes(32).toString('hex'), o.user, o.password);
  const limiter = new FailureLimiter(limits, d.now);
  const thresholds = o.thresholds ?? { scaleOut: 75, scaleIn: 25 };
  const leakAfterMs = o.leakAfterMs ?? 4 * 3_600_000;
  const views = new ClusterViews({ cluster: d.cluster, costMap: d.costMap, now: d.now, thresholds, leakAfterMs });
  const tails = new Tails({ cluster: d.cluster, maxMs: o.tailMaxMs ?? 5 * 60_000, maxTails: 16 });
  const log = (line: string) => d.log?.(`inspector: ${line}`);

  const secure = (req: IncomingMessage) => String(req.headers['x-forwarded-proto'] ?? '').split(',', 1)[0]?.trim() === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true;
  const source = (req: IncomingMessage) => {
    const forwarded = o.trustForwardedFor ? String(req.headers['x-forwarded-for'] ?? '').split(',').map((s) => s.trim()).filter(Boolean).at(-1) : undefined;
    return forwarded ?? req.socket.remoteAddress ?? 'unknown';
  };
  const send = (res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { ...HEADERS, 'content-type': type, ...extra }).end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown): void => send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  const redirect = (res: ServerResponse, to: string, extra: Record<string, string> = {}): void => {
    res.writeHead(303, { ...HEADERS, location: to, ...extra }).end();
  };

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const from = source(req);
    const wait = limiter.retryAfterMs(from);
    if (wait > 0) {
      log(`login refused for ${from}: too many failures, retry in ${Math.ceil(wait / 1000)} s`);
      return send(res, 429, 'text/html; charset=utf-8', loginPage(`Too many failed logins from your address: try again in ${Math.ceil(wait / 60_000)} minute(s).`), { 'retry-after': String(Math.ceil(wait / 1000)) });
    }
    const body = await readBody(req);
    const form = new URLSearchParams(body ?? '');
    const user = form.get('user') ?? '';
    if (!sameOrigin(req) || body === undefined || !sameCredentials(user, form.get('password') ?? '', o.user, o.password)) {
      limiter.fail(from);
      log(`failed login for ${JSON.stringify(user.slice(0, 64))} from ${from}`);
      return send(res, 401, 'text/html; charset=utf-8', loginPage('Wrong user or password.'));
    }
    limiter.succeed(from);
    const { token } = sessions.create(user);
    log(`${user} logged in from ${from}`);
    redirect(res, '/inspector/nodes', { 'set-cookie': sessionCookie(token, secure(req), Math.floor(limits.maxMs / 1000)) });
  }

  /** An admin action: a POST with the session's CSRF token, logged with user, action and target. */
  async function admin(req: IncomingMessage, res: ServerResponse, s: InspectorSession, action: string, target: string, run: () => Promise<string>): Promise<void> {
    const token = String(req.headers['x-csrf-token'] ?? '');
    if (!sameOrigin(req) || !token || !sameToken(token, s.csrf)) {
      log(`${s.user}: ${action} ${target} refused: no valid CSRF token`);
      return json(res, 403, { error: 'missing or wrong CSRF token' });
    }
    try {
      const outcome = await run();
      log(`${s.user}: ${action} ${target}: ${outcome}`);
      json(res, 200, { ok: true, outcome });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      log(`${s.user}: ${action} ${target} failed: ${message}`);
      json(res, e instanceof ActionError ? e.status : 502, { error: message });
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://inspector');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const token = cookieValue(req.headers.cookie, COOKIE);
    if (path === '/inspector/login') {
      if (method === 'POST') return login(req, res);
      if (method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, POST' });
      if (sessions.get(token)) return redirect(res, '/inspector/nodes');
      return send(res, 200, 'text/html; charset=utf-8', loginPage());
    }
    const s = sessions.get(token);
    const isApi = path.startsWith('/inspector/api/') || path.startsWith('/inspector/assets/');
    if (!s) return isApi ? json(res, 401, { error: 'log in first: /inspector/login' }) : redirect(res, '/inspector/login');
    if (s.renewed) res.setHeader('set-cookie', sessionCookie(s.renewed, secure(req), Math.max(1, Math.floor((s.createdAt + limits.maxMs - d.now()) / 1000))));
    if (path === '/inspector/logout' && method === 'POST') {
      const form = new URLSearchParams((await readBody(req)) ?? '');
      if (!sameOrigin(req) || !sameToken(form.get('csrf') ?? '', s.csrf)) return json(res, 403, { error: 'missing or wrong CSRF token' });
      sessions.end(token);
      log(`${s.user} logged out`);
      return redirect(res, '/inspector/login', { 'set-cookie': clearedCookie(secure(req)) });
    }
    const parts = path.split('/').slice(2).map((x) => {
      try {
        return decodeURIComponent(x);
      } catch {
        return '\u0000'; // matches no route
      }
    }); // after '/inspector'
    if (method === 'POST' && parts[0] === 'api') {
      if (parts[1] === 'pipelines' && parts[2] && parts[3] === 'release' && parts.length === 4) return admin(req, res, s, 'release pipeline', parts[2], () => releasePipeline(views, parts[2] as string));
      if (parts[1] === 'nodes' && parts[2] && parts[3] === 'drain' && parts.length === 4) return admin(req, res, s, 'drain node', parts[2], () => drainNode(d.cluster, parts[2] as string));
      return json(res, 404, { error: 'not found' });
    }
    if (method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed\n', { allow: 'GET' });
    const html = (page: Parameters<typeof pageShell>[0], id?: string) => send(res, 200, 'text/html; charset=utf-8', pageShell(page, s.user, s.csrf, id));
    switch (parts[0]) {
      case undefined:
      case '':
        return redirect(res, '/inspector/nodes');
      case 'nodes':
        return parts.length === 1 ? html('nodes') : json(res, 404, { error: 'not found' });
      case 'pipelines':
        return parts.length === 1 ? html('pipelines') : parts.length === 2 && parts[1] ? html('pipeline', parts[1]) : json(res, 404, { error: 'not found' });
      case 'assets':
        if (parts[1] === 'app.js') return send(res, 200, 'text/javascript; charset=utf-8', APP_JS);
        if (parts[1] === 'style.css') return send(res, 200, 'text/css; charset=utf-8', STYLE_CSS);
        return json(res, 404, { error: 'not found' });
      case 'api':
        return api(req, res, parts.slice(1));
      default:
        return json(res, 404, { error: 'not found' });
    }
  }

  async function api(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
    const now = d.now();
    if (parts[0] === 'nodes' && parts.length === 1) return json(res, 200, { now, thresholds, nodes: await views.nodes() });
    if (parts[0] === 'pipelines' && parts.length === 1) return json(res, 200, { now, leakAfterMs, pipelines: await views.pipelines() });
    if (parts[0] === 'pipelines' && parts[1] && parts.length === 2) {
      const p = await views.pipeline(parts[1]);
      return p ? json(res, 200, { ...p, ageMs: p.createdAt === undefined ? undefined : Math.max(0, now - p.createdAt) }) : json(res, 404, { error: `no pipeline ${parts[1]}` });
    }
    if (parts[0] === 'pipelines' && parts[1] && parts[2] === 'events' && parts.length === 3) {
      const node = views.nodeOf(parts[1]);
      return node ? tails.serve(req, res, node, parts[1]) : json(res, 404, { error: `no pipeline ${parts[1]}` });
    }
    return json(res, 404, { error: 'not found' });
  }

  return {
    handle(req, res) {
      route(req, res).catch((e: unknown) => {
        log(`${req.method} ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
        if (!res.headersSent) json(res, 500, { error: 'the inspector failed; see the controller log' });
        else res.end();
      });
    },
  };
}
