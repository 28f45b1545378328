/**
 * The inspector's door: its login (constant-time compare, rate-limited per address on the injected
 * clock), its sessions (HttpOnly, SameSite=Strict, Secure over HTTPS, idle and absolute expiry,
 * logout), nothing served without a session, and the CSRF token every admin action needs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { FailureLimiter, DEFAULT_AUTH_LIMITS, sameCredentials } from '../../src/node/controller/inspector/auth.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { login, postLogin } from '../support/inspector-http.js';

const KEY = 'InspectorAuthKey0123';
const USER = 'ops';
const PASSWORD = 'correct horse battery staple';
let t = Date.UTC(2026, 5, 1, 12, 0, 0);
const lines: string[] = [];
let kms: FakeKms;
let ctl: Controller;
let base = '';

beforeAll(async () => {
  kms = await startFakeKms({ path: KEY });
  ctl = await startController({
    host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1 }, clusterId: 'demo', now: () => t,
    log: (l) => lines.push(l),
    inspector: { user: USER, password: PASSWORD, trustForwardedFor: true },
  });
  await ctl.setNodes([{ id: 'node-a', kmsUrl: kms.url }]);
  base = `http://127.0.0.1:${ctl.port}`;
});

afterAll(async () => {
  await ctl.close();
  await kms.close();
});

/** Every test comes from an address of its own (the rate limit is per address). */
let addressSeq = 0;
const from = () => ({ 'x-forwarded-for': `198.51.100.${++addressSeq}` });

describe('the login page', () => {
  it('is served without a session, self-contained, with strict headers', async () => {
    const res = await fetch(`${base}/inspector/login`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/inspector/login">');
    expect(html).toContain('name="password" type="password"');
    expect(html).not.toMatch(/<script|<link/); // nothing else is served before a login
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; script-src 'self'; style-src 'self' 'sha256-/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('nothing under /inspector without a session', () => {
  const pages = ['/inspector', '/inspector/', '/inspector/nodes', '/inspector/pipelines', '/inspector/pipelines/x_kurento.MediaPipeline', '/inspector/unknown', '/inspector/logout'];
  const api = ['/inspector/api/nodes', '/inspector/api/pipelines', '/inspector/api/pipelines/x', '/inspector/api/pipelines/x/events', '/inspector/assets/app.js', '/inspector/assets/style.css', '/inspector/api/nope'];

  it.each([['no cookie', ''], ['a made-up cookie', 'erc_inspector=forged-token-value'], ['an empty cookie', 'erc_inspector=']])('with %s: pages redirect to the login, the API answers 401', async (_, cookie) => {
    for (const path of pages) {
      const res = await fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe('/inspector/login');
    }
    for (const path of api) {
      const res = await fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      expect(res.status, path).toBe(401);
      expect(await res.text(), path).not.toContain('MediaPipeline');
    }
    for (const path of ['/inspector/api/pipelines/x/release', '/inspector/api/nodes/node-a/drain', '/inspector/logout']) {
      const res = await fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: cookie ? { cookie } : {} });
      expect([303, 401], path).toContain(res.status);
      expect(res.headers.get('set-cookie'), path).toBeNull();
    }
  });

  it('leaves the other paths as they were: healthz, and 404 for anything else', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    for (const path of ['/', '/inspectorx', '/app', `/${KEY}`]) expect((await fetch(`${base}${path}`)).status, path).toBe(404);
  });

  it('is not there at all when the controller has no inspector login', async () => {
    const bare = await startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: {}, clusterId: 'demo', now: () => t });
    try {
      for (const path of ['/inspector', '/inspector/login', '/inspector/api/nodes']) expect((await fetch(`http://127.0.0.1:${bare.port}${path}`)).status, path).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('logging in', () => {
  it('refuses a wrong password, a wrong user and an empty form, and sets no cookie', async () => {
    const headers = from();
    for (const [user, password] of [[USER, 'wrong'], ['root', PASSWORD], ['', ''], [USER, `${PASSWORD} `]] as const) {
      const res = await postLogin(base, user, password, headers);
      expect(res.status, `${user}/${password}`).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(await res.text()).toContain('Wrong user or password.');
    }
    expect(lines.some((l) => l.includes('inspector: failed login for "root"'))).toBe(true);
  });

  it('gives a session cookie: HttpOnly, SameSite=Strict, for /inspector; Secure when the load balancer says HTTPS', async () => {
    const plain = await postLogin(base, USER, PASSWORD, from());
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe('/inspector/nodes');
    const cookie = plain.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^erc_inspector=v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}; Path=\/inspector; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const https = await postLogin(base, USER, PASSWORD, { ...from(), 'x-forwarded-proto': 'https' });
    expect(https.headers.get('set-cookie')).toMatch(/; Secure$/);
    const s = await login(base, USER, PASSWORD, from());
    const page = await s.get('/inspector/nodes');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-page="nodes"');
    expect((await s.get('/inspector/api/nodes')).status).toBe(200);
    expect((await s.get('/inspector/assets/app.js')).headers.get('content-type')).toMatch(/javascript/);
  });

  it('compares both fields, whatever their lengths', () => {
    expect(sameCredentials('ops', 'pw', 'ops', 'pw')).toBe(true);
    expect(sameCredentials('ops', 'pw', 'ops', 'pw2')).toBe(false);
    expect(sameCredentials('op', 'pw', 'ops', 'pw')).toBe(false);
    expect(sameCredentials('', '', 'ops', 'pw')).toBe(false);
  });
});

describe('the rate limit', () => {
  it('refuses an address with 429 and Retry-After after 5 failures in 15 minutes, even with the right password, until the window passes', async () => {
    const headers = from();
    for (let i = 0; i < 5; i++) expect((await postLogin(base, USER, `guess-${i}`, headers)).status).toBe(401);
    const refused = await postLogin(base, USER, PASSWORD, headers);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(900);
    expect(refused.headers.get('set-cookie')).toBeNull();
    // another address is not affected
    expect((await postLogin(base, USER, PASSWORD, from())).status).toBe(303);
    t += 10 * 60_000;
    const later = await postLogin(base, USER, PASSWORD, headers);
    expect(later.status).toBe(429);
    expect(Number(later.headers.get('retry-after'))).toBe(300);
    t += 5 * 60_000;
    expect((await postLogin(base, USER, PASSWORD, headers)).status).toBe(303);
    expect(lines.some((l) => /inspector: login refused for 198\.51\.100\.\d+: too many failures/.test(l))).toBe(true);
  });

  it('slides: failures older than the window do not count, a success clears them', () => {
    let now = 0;
    const limiter = new FailureLimiter(DEFAULT_AUTH_LIMITS, () => now);
    for (let i = 0; i < 4; i++) limiter.fail('a');
    now += 15 * 60_000;
    limiter.fail('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
    for (let i = 0; i < 4; i++) limiter.fail('a');
    expect(limiter.retryAfterMs('a')).toBe(15 * 60_000);
    limiter.succeed('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
  });
});

describe('sessions expire', () => {
  it('after 30 idle minutes', async () => {
    const s = await login(base, USER, PASSWORD, from());
    t += 29 * 60_000;
    expect((await s.get('/inspector/api/nodes')).status).toBe(200);
    t += 29 * 60_000; // idle time counts from the last use
    expect((await s.get('/inspector/api/nodes')).status).toBe(200);
    t += 30 * 60_000;
    expect((await s.get('/inspector/api/nodes')).status).toBe(401);
    expect((await s.get('/inspector/nodes')).headers.get('location')).toBe('/inspector/login');
  });

  it('12 hours after the login, however busy', async () => {
    const s = await login(base, USER, PASSWORD, from());
    for (let elapsed = 0; elapsed < 11 * 60 + 40; elapsed += 20) {
      t += 20 * 60_000;
      expect((await s.get('/inspector/api/pipelines')).status, `${elapsed + 20} min`).toBe(200);
    }
    t += 20 * 60_000;
    expect((await s.get('/inspector/api/pipelines')).status).toBe(401);
  });

  it('and a renewed cookie says how long the session has left', async () => {
    const s = await login(base, USER, PASSWORD, from());
    t += 2 * 3_600_000 + 60_000 * 20;
    expect((await s.get('/inspector/api/nodes')).status).toBe(401); // idle
    const again = await login(base, USER, PASSWORD, from());
    t += 5 * 60_000;
    const res = await again.get('/inspector/api/nodes');
    expect(res.headers.get('set-cookie')).toMatch(/^erc_inspector=v1\..*; Max-Age=42900$/);
    t += 30_000;
    expect((await again.get('/inspector/api/nodes')).headers.get('set-cookie')).toBeNull(); // renewed at most once a minute
  });

  it('at logout (which needs the CSRF token)', async () => {
    const s = await login(base, USER, PASSWORD, from());
    const form = (csrf: string) => ({ csrf: '', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf }).toString() });
    expect((await s.post('/inspector/logout', form('forged'))).status).toBe(403);
    expect((await s.get('/inspector/api/nodes')).status).toBe(200);
    const out = await s.post('/inspector/logout', form(s.csrf));
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/inspector/login');
    expect(out.headers.get('set-cookie')).toMatch(/^erc_inspector=; Path=\/inspector; HttpOnly; SameSite=Strict; Max-Age=0/);
    expect((await s.get('/inspector/api/nodes')).status).toBe(401);
  });
});

describe('sessions across controllers', () => {
  it('hold at every controller of the cluster (the same secret), not at another, and not once forged or the password changed', async () => {
    const other = (sessionSecret: string, password = PASSWORD) => startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: {}, clusterId: 'demo', now: () => t, inspector: { user: USER, password, sessionSecret } });
    const [a, b, c, d] = await Promise.all([other('cluster-secret'), other('cluster-secret'), other('another-cluster'), other('cluster-secret', 'a new password')]);
    try {
      const s = await login(`http://127.0.0.1:${a.port}`, USER, PASSWORD, from());
      const at = (ctl: Controller, cookie = s.cookie, csrf = s.csrf) =>
        fetch(`http://127.0.0.1:${ctl.port}/inspector/api/pipelines/p_kurento.MediaPipeline/release`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } }).then((r) => r.status);
      expect(await at(a)).toBe(404); // logged in, token accepted, no such pipeline
      expect(await at(b)).toBe(404); // the same at another controller of the cluster
      expect(await at(c)).toBe(401);
      expect(await at(d)).toBe(401);
      const [, body, mac] = s.cookie.split('.');
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), u: 'root' })).toString('base64url');
      expect(await at(b, `erc_inspector=v1.${forged}.${mac}`)).toBe(401);
      expect(await at(b, s.cookie, 'x')).toBe(403);
    } finally {
      await Promise.all([a, b, c, d].map((x) => x.close()));
    }
  });
});

describe('admin actions need the session\'s CSRF token', () => {
  it('refuses a POST without it, with another one, or from another origin; logs the refusal', async () => {
    const s = await login(base, USER, PASSWORD, from());
    const other = await login(base, USER, PASSWORD, from());
    expect(other.csrf).not.toBe(s.csrf);
    for (const path of ['/inspector/api/pipelines/p_kurento.MediaPipeline/release', '/inspector/api/nodes/node-a/drain']) {
      expect((await s.post(path, { csrf: '' })).status, path).toBe(403);
      expect((await s.post(path, { csrf: other.csrf })).status, path).toBe(403);
      expect((await s.post(path, { headers: { origin: 'https://evil.example' } })).status, path).toBe(403);
    }
    expect(lines.some((l) => l === `inspector: ${USER}: release pipeline p_kurento.MediaPipeline refused: no valid CSRF token`)).toBe(true);
    // with the token the action runs (here: no such pipeline, no agent)
    expect((await s.post('/inspector/api/pipelines/p_kurento.MediaPipeline/release')).status).toBe(404);
    const drain = await s.post('/inspector/api/nodes/node-a/drain');
    expect(drain.status).toBe(409);
    expect(await drain.json()).toEqual({ error: 'node node-a has no agent to drain it' });
  });

  it('answers GET only for reading: an admin path read with GET is not found', async () => {
    const s = await login(base, USER, PASSWORD, from());
    expect((await s.get('/inspector/api/pipelines/p_kurento.MediaPipeline/release')).status).toBe(404);
  });
});
