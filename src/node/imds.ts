/**
 * The instance metadata service, version 2 only (the launch template requires tokens). The endpoint
 * follows the SDK's `AWS_EC2_METADATA_SERVICE_ENDPOINT`, so tests point it at a fake.
 */
export interface InstanceIdentity {
  instanceId: string;
  region: string;
  publicIp: string;
  privateIp: string;
}

export const DEFAULT_IMDS_ENDPOINT = 'http://169.254.169.254';

/** A metadata read that failed; the message says which path and why. */
export class ImdsError extends Error {}

export interface ImdsOptions {
  endpoint?: string;
  /** Per request. */
  timeoutMs?: number;
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class Imds {
  private token: string | undefined;
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly attempts: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: ImdsOptions = {}) {
    this.endpoint = (options.endpoint ?? DEFAULT_IMDS_ENDPOINT).replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 2_000;
    this.attempts = options.attempts ?? 3;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** `init` is made for each attempt: after a 401 the next attempt carries a new token. */
  private async request(path: string, init: () => Promise<RequestInit>): Promise<string> {
    let last = '';
    for (let attempt = 1; attempt <= this.attempts; attempt++) {
      try {
        const res = await fetch(`${this.endpoint}${path}`, { ...(await init()), signal: AbortSignal.timeout(this.timeoutMs) });
        const body = await res.text();
        if (res.ok) return body;
        last = `HTTP ${res.status}`;
        if (res.status === 401) this.token = undefined; // the token expired: take a new one
        else if (res.status < 500) break;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (attempt < this.attempts) await this.sleep(200 * attempt);
    }
    throw new ImdsError(`instance metadata ${path}: ${last}`);
  }

  private async sessionToken(): Promise<string> {
    this.token ??= await this.request('/latest/api/token', () => Promise.resolve({ method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' } }));
    return this.token;
  }

  /** A `meta-data/` path, e.g. `instance-id`. */
  async get(path: string): Promise<string> {
    return (await this.request(`/latest/meta-data/${path}`, async () => ({ headers: { 'X-aws-ec2-metadata-token': await this.sessionToken() } }))).trim();
  }

  async identity(): Promise<InstanceIdentity> {
    const [instanceId, region, publicIp, privateIp] = await Promise.all(['instance-id', 'placement/region', 'public-ipv4', 'local-ipv4'].map((p) => this.get(p)));
    return { instanceId: instanceId ?? '', region: region ?? '', publicIp: publicIp ?? '', privateIp: privateIp ?? '' };
  }
}
