/**
 * The inspector's login: credentials compared in constant time, failures limited per source
 * address, sessions (signed tokens every controller accepts) that expire when idle and at an
 * absolute limit, a CSRF token per session. Time is the controller's injected clock.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface AuthLimits {
  /** A session unused this long ends (ms); default 30 minutes. */
  idleMs: number;
  /** A session ends this long after login whatever its use (ms); default 12 hours. */
  maxMs: number;
  /** Failed logins from one address within `failureWindowMs` before it is refused (429). */
  maxFailures: number;
  failureWindowMs: number;
}

export const DEFAULT_AUTH_LIMITS: AuthLimits = { idleMs: 30 * 60_000, maxMs: 12 * 3_600_000, maxFailures: 5, failureWindowMs: 15 * 60_000 };

/** Entries kept at most (addresses with failures; revoked sessions): the oldest go first. */
const MAX_ENTRIES = 10_000;

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Both hashed, so lengths leak nothing; both compared, so which one failed leaks nothing. */
export function sameCredentials(user: string, password: string, expectedUser: string, expectedPassword: string): boolean {
  const u = timingSafeEqual(digest(user), digest(expectedUser));
  const p = timingSafeEqual(digest(password), digest(expectedPassword));
  return u && p;
}

export const sameToken = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

/** Failed logins per source address, in a sliding window. */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: AuthLimits, private readonly now: () => number) {}

  private recent(key: string): number[] {
    const since = this.now() - this.limits.failureWindowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limits.maxFailures) return 0;
    const oldest = list[list.length - this.limits.maxFailures] ?? this.now();
    return Math.max(1, oldest + this.limits.failureWindowMs - this.now());
  }

  fail(key: string): void {
    const list = this.recent(key);
    this.failures.delete(key);
    this.failures.set(key, [...list, this.now()]);
    if (this.failures.size > MAX_ENTRIES) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}

export interface InspectorSession {
  user: string;
  /** Sent back with every admin action (header `x-csrf-token` or form field `csrf`); the same at every controller. */
  csrf: string;
  createdAt: number;
  lastSeenAt: number;
  /** A fresh cookie token to set, when the one presented should be renewed (its last-seen time moves on). */
  renewed?: string;
}

interface TokenBody {
  /** user */
  u: string;
  /** the session's random id */
  n: string;
  /** created at (ms) */
  c: number;
  /** last seen at (ms) */
  s: number;
}

/** How stale a token's last-seen time may get before a request renews its cookie. */
const RENEW_AFTER_MS = 60_000;

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/**
 * Sessions as signed cookie tokens (`v1.<body>.<HMAC-SHA256>`), so that every controller of a
 * cluster (the load balancer sends each request to any of them) accepts the sessions of the
 * others: the key comes from a secret they share and from the inspector login, so changing the
 * password ends every session. The idle limit counts from the token's last-seen time, renewed at
 * most once a minute; the absolute limit from its creation. A logout revokes the session at this
 * controller (and the browser forgets the cookie).
 */
export class SessionTokens {
  private readonly key: Buffer;
  private readonly revoked = new Map<string, number>();

  constructor(private readonly limits: AuthLimits, private readonly now: () => number, sharedSecret: string, user: string, password: string) {
    this.key = createHmac('sha256', sharedSecret).update(`elasticrtc inspector session v1\0${user}\0${password}`).digest();
  }

  private sign(body: TokenBody): string {
    const payload = b64(JSON.stringify(body));
    return `v1.${payload}.${b64(createHmac('sha256', this.key).update(payload).digest())}`;
  }

  private csrfOf(nonce: string): string {
    return b64(createHmac('sha256', this.key).update(`csrf\0${nonce}`).digest());
  }

  /** A new session; returns the token for the cookie. */
  create(user: string): { token: string; session: InspectorSession } {
    const now = this.now();
    const body: TokenBody = { u: user, n: b64(randomBytes(18)), c: now, s: now };
    return { token: this.sign(body), session: { user, csrf: this.csrfOf(body.n), createdAt: now, lastSeenAt: now } };
  }

  private verify(token: string | undefined): TokenBody | undefined {
    const [version, payload, mac] = (token ?? '').split('.');
    if (version !== 'v1' || !payload || !mac) return undefined;
    const expected = createHmac('sha256', this.key).update(payload).digest();
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    try {
      const body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenBody;
      return typeof body.u === 'string' && typeof body.n === 'string' && Number.isFinite(body.c) && Number.isFinite(body.s) ? body : undefined;
    } catch {
      return undefined;
    }
  }

  /** The live session of a token, or undefined: forged, revoked, idle too long or too old. */
  get(token: string | undefined): InspectorSession | undefined {
    const body = this.verify(token);
    if (!body || this.revoked.has(body.n)) return undefined;
    const now = this.now();
    if (now - body.s >= this.limits.idleMs || now - body.c >= this.limits.maxMs || body.s > now + RENEW_AFTER_MS) return undefined;
    const renew = now - body.s >= RENEW_AFTER_MS;
    return { user: body.u, csrf: this.csrfOf(body.n), createdAt: body.c, lastSeenAt: renew ? now : body.s, ...(renew ? { renewed: this.sign({ ...body, s: now }) } : {}) };
  }

  /** Ends a session here: its token is refused until it would have expired anyway. */
  end(token: string | undefined): void {
    const body = this.verify(token);
    if (!body) return;
    const now = this.now();
    for (const [n, until] of this.revoked) if (until <= now) this.revoked.delete(n);
    this.revoked.set(body.n, body.c + this.limits.maxMs);
    if (this.revoked.size > MAX_ENTRIES) this.revoked.delete(this.revoked.keys().next().value as string);
  }
}

export const COOKIE = 'erc_inspector';

/** The value of a cookie in a `Cookie` header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie: HttpOnly, SameSite=Strict, scoped to /inspector, Secure over HTTPS. */
export function sessionCookie(token: string, secure: boolean, maxAgeS: number): string {
  return `${COOKIE}=${token}; Path=/inspector; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

export const clearedCookie = (secure: boolean): string => `${COOKIE}=; Path=/inspector; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
