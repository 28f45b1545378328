/**
 * A fake EC2 instance metadata service, IMDSv2 only, on 127.0.0.1. Point the SDK (and the node
 * runtime) at it with `AWS_EC2_METADATA_SERVICE_ENDPOINT=<url>`: the SDK's default credentials chain
 * then takes the instance role's credentials from it.
 *
 * - `PUT /latest/api/token` needs `X-aws-ec2-metadata-token-ttl-seconds` (1–21600, else 400) and no
 *   `X-Forwarded-For` (403); it answers a token, echoing the TTL header.
 * - Every `GET /latest/…` needs a valid, unexpired `X-aws-ec2-metadata-token` (else 401). A path
 *   with a value answers it; a directory lists its entries (sub-directories end with `/`); else 404.
 * - Credentials are served under `iam/security-credentials/` and `iam/security-credentials-extended/`
 *   (the latter with `AccountId`, as newer SDKs read first; `extendedCredentials: false` makes it 404
 *   so they fall back), plus `iam/info`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The instance role's credentials as served. Times in milliseconds since the epoch. */
export interface FakeImdsCredentials {
  roleName: string;
  accessKeyId: string;
  secretAccessKey: string;
  token: string;
  expiration: number;
  lastUpdated: number;
}

/** Options of {@link startFakeImds}. */
export interface FakeImdsOptions {
  /** Milliseconds since the epoch, for token lifetimes and default credential times; default `Date.now`. The SDK compares `Expiration` with the real clock. */
  now?: () => number;
  /** Port on 127.0.0.1; default 0 (the OS chooses). */
  port?: number;
  /** Default `i-0123456789abcdef0`. */
  instanceId?: string;
  /** Default `eu-west-1`. */
  region?: string;
  /** Default the region's `a` zone. */
  availabilityZone?: string;
  /** Default `203.0.113.10`. */
  publicIpv4?: string;
  /** Default `10.0.1.10`. */
  localIpv4?: string;
  /** Default `0a:1b:2c:3d:4e:5f`. */
  mac?: string;
  /** Account of the instance profile (`AccountId` of extended credentials, `iam/info`); default `123456789012`. */
  accountId?: string;
  /** The first credentials; missing fields are generated (role `elasticrtc-node`, expiring 6 hours after `now()`). */
  credentials?: Partial<FakeImdsCredentials>;
  /** Serve `iam/security-credentials-extended/`; default true (false: 404 there). */
  extendedCredentials?: boolean;
}

/** One request as the fake saw it. `status` is 0 for a dropped connection. */
export interface FakeImdsRequest {
  method: string;
  path: string;
  status: number;
  /** `now()` when it arrived. */
  at: number;
  /** Whether it carried an `X-aws-ec2-metadata-token` header (valid or not). */
  withToken: boolean;
  /** The TTL a token request asked for. */
  ttlSeconds?: string;
}

/** A running fake IMDS. */
export interface FakeImds {
  /** `http://127.0.0.1:PORT`, the value for `AWS_EC2_METADATA_SERVICE_ENDPOINT`. */
  url: string;
  close(): Promise<void>;
  /** Every request in order, failed ones included. */
  requests: FakeImdsRequest[];
  /**
   * Sets (or with `undefined` removes) a value. `path` is under `/latest/meta-data/`
   * (`autoscaling/target-lifecycle-state`), or absolute when it starts with `/`.
   */
  set(path: string, value: string | undefined): void;
  /** Rotates the credentials: given fields are used, the others are generated anew (expiry: 6 hours after `now()`). Returns what is now served. */
  setCredentials(next?: Partial<FakeImdsCredentials>): FakeImdsCredentials;
  /** The credentials served now. */
  credentials(): FakeImdsCredentials;
  /** The next `times` requests (default: all) for `path` (as for `set`) answer `status`, or have their connection destroyed with `'drop'`. */
  failPath(path: string, failure: number | 'drop', times?: number): void;
  clearFailures(): void;
  /** Every token issued so far stops being valid (the next GET with one answers 401). */
  expireTokens(): void;
}

const TOKEN_PATH = '/latest/api/token';
const META = '/latest/meta-data/';
const CREDENTIALS = `${META}iam/security-credentials/`;
const EXTENDED = `${META}iam/security-credentials-extended/`;
const SIX_HOURS = 6 * 3600_000;

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const upper = (n: number): string => [...randomBytes(n)].map((b) => ALNUM[b % ALNUM.length]).join('');
/** ISO 8601 without milliseconds, as IMDS writes times. */
const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const absolute = (path: string): string => (path.startsWith('/') ? path : `${META}${path}`);
const trimSlash = (path: string): string => path.replace(/\/+$/, '');

function newCredentials(now: number, given: Partial<FakeImdsCredentials> = {}, roleName = 'elasticrtc-node'): FakeImdsCredentials {
  return {
    roleName,
    accessKeyId: `ASIA${upper(16)}`,
    secretAccessKey: randomBytes(30).toString('base64'),
    token: randomBytes(120).toString('base64'),
    expiration: now + SIX_HOURS,
    lastUpdated: now,
    ...given,
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Starts a fake IMDSv2 endpoint. Close it when done. */
export async function startFakeImds(options: FakeImdsOptions = {}): Promise<FakeImds> {
  const now = options.now ?? Date.now;
  const region = options.region ?? 'eu-west-1';
  const accountId = options.accountId ?? '123456789012';
  const extended = options.extendedCredentials ?? true;
  const values = new Map<string, string>(
    Object.entries({
      'instance-id': options.instanceId ?? 'i-0123456789abcdef0',
      'placement/region': region,
      'placement/availability-zone': options.availabilityZone ?? `${region}a`,
      'public-ipv4': options.publicIpv4 ?? '203.0.113.10',
      'local-ipv4': options.localIpv4 ?? '10.0.1.10',
      mac: options.mac ?? '0a:1b:2c:3d:4e:5f',
      'autoscaling/target-lifecycle-state': 'InService',
    }).map(([k, v]) => [absolute(k), v]),
  );
  let creds = newCredentials(now(), options.credentials, options.credentials?.roleName);
  const tokens = new Map<string, number>();
  const failures = new Map<string, { failure: number | 'drop'; left: number }>();
  const requests: FakeImdsRequest[] = [];

  /** Every path with a value now: the static ones and the credential documents. */
  const served = (): Map<string, string> => {
    const all = new Map(values);
    const document = {
      Code: 'Success',
      LastUpdated: isoSeconds(creds.lastUpdated),
      Type: 'AWS-HMAC',
      AccessKeyId: creds.accessKeyId,
      SecretAccessKey: creds.secretAccessKey,
      Token: creds.token,
      Expiration: isoSeconds(creds.expiration),
    };
    all.set(`${CREDENTIALS}${creds.roleName}`, JSON.stringify(document, null, 2));
    if (extended) all.set(`${EXTENDED}${creds.roleName}`, JSON.stringify({ ...document, AccountId: accountId }, null, 2));
    const profile = { Code: 'Success', LastUpdated: isoSeconds(creds.lastUpdated), InstanceProfileArn: `arn:aws:iam::${accountId}:instance-profile/${creds.roleName}`, InstanceProfileId: 'AIPAFAKEIMDSPROFILE01' };
    all.set(`${META}iam/info`, JSON.stringify(profile, null, 2));
    return all;
  };

  /** The value at `path`, a directory listing, or `undefined`. */
  const lookup = (path: string): string | undefined => {
    const all = served();
    const exact = all.get(trimSlash(path));
    if (exact !== undefined) return exact;
    const dir = `${trimSlash(path)}/`;
    const entries = new Set<string>();
    for (const key of all.keys()) {
      if (!key.startsWith(dir)) continue;
      const rest = key.slice(dir.length);
      const slash = rest.indexOf('/');
      entries.add(slash < 0 ? rest : rest.slice(0, slash + 1));
    }
    return entries.size ? [...entries].join('\n') : undefined;
  };

  const answer = (req: IncomingMessage, path: string, t: number): { status: number; body: string; headers?: Record<string, string> } => {
    if (path === TOKEN_PATH) {
      if (req.method !== 'PUT') return { status: 405, body: '', headers: { Allow: 'OPTIONS, PUT' } };
      if (header(req, 'x-forwarded-for') !== undefined) return { status: 403, body: 'Forbidden' };
      const ttl = header(req, 'x-aws-ec2-metadata-token-ttl-seconds');
      const seconds = Number(ttl);
      if (ttl === undefined || !/^\d+$/.test(ttl) || seconds < 1 || seconds > 21600) return { status: 400, body: 'Bad Request' };
      const token = randomBytes(42).toString('base64');
      tokens.set(token, t + seconds * 1000);
      return { status: 200, body: token, headers: { 'X-Aws-Ec2-Metadata-Token-Ttl-Seconds': String(seconds) } };
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, body: '', headers: { Allow: 'OPTIONS, GET, HEAD' } };
    const token = header(req, 'x-aws-ec2-metadata-token');
    const until = token === undefined ? undefined : tokens.get(token);
    if (until === undefined || until <= t) return { status: 401, body: 'Unauthorized' };
    if (!extended && path.startsWith(EXTENDED)) return { status: 404, body: 'Not Found' };
    const value = path.startsWith('/latest/') ? lookup(path) : undefined;
    return value === undefined ? { status: 404, body: 'Not Found' } : { status: 200, body: value };
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const t = now();
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const ttlSeconds = header(req, 'x-aws-ec2-metadata-token-ttl-seconds');
    const record: FakeImdsRequest = { method: req.method ?? 'GET', path, status: 0, at: t, withToken: header(req, 'x-aws-ec2-metadata-token') !== undefined };
    if (path === TOKEN_PATH && ttlSeconds !== undefined) record.ttlSeconds = ttlSeconds;
    requests.push(record);
    const failure = failures.get(trimSlash(path));
    if (failure && failure.left > 0) {
      failure.left--;
      if (failure.failure === 'drop') {
        req.socket.destroy();
        return;
      }
      record.status = failure.failure;
      res.writeHead(failure.failure, { 'Content-Type': 'text/plain' }).end('Injected failure');
      return;
    }
    const out = answer(req, path, t);
    record.status = out.status;
    res.writeHead(out.status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(out.body), ...out.headers });
    res.end(req.method === 'HEAD' ? undefined : out.body);
  };

  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handle(req, res));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e ? reject(e) : resolve()));
        server.closeAllConnections();
      }),
    requests,
    set: (path, value) => void (value === undefined ? values.delete(trimSlash(absolute(path))) : values.set(trimSlash(absolute(path)), value)),
    setCredentials: (next = {}) => {
      creds = newCredentials(now(), next, next.roleName ?? creds.roleName);
      return { ...creds };
    },
    credentials: () => ({ ...creds }),
    failPath: (path, failure, times = Infinity) => void failures.set(trimSlash(absolute(path)), { failure, left: times }),
    clearFailures: () => failures.clear(),
    expireTokens: () => tokens.clear(),
  };
}
