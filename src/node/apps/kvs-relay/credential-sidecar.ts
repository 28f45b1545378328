import { access } from 'node:fs/promises';
import type { Clock } from '../../context.js';
import { writeFileAtomic } from './atomic-file.js';
import { KVS_CREDENTIAL_READ_GRACE_MS, type RoleCredentials, formatKvsCredentials, kvsExpiration, sameCredentials } from './credential-file.js';
import type { CredentialSource } from './credential-source.js';

/** The sidecar's timing. Defaults: see {@link SIDECAR_DEFAULTS}. */
export interface SidecarTiming {
  /** Ask IMDS this often while the credentials have more than `refreshBeforeMs` left. */
  pollMs: number;
  /** Below this much time left, ask every `nearPollMs` until IMDS serves new credentials. */
  refreshBeforeMs: number;
  nearPollMs: number;
  /** After a failed read: `backoffBaseMs`, doubled each failure, at most `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
}

/**
 * IMDS makes new role credentials available at least 5 minutes before the old ones expire
 * (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html#instance-metadata-security-credentials),
 * so within the last 15 minutes the sidecar asks every minute: the file then always holds credentials
 * with about 4 minutes or more left, far above the 38 s at which kvssink reads it again.
 */
export const SIDECAR_DEFAULTS: SidecarTiming = { pollMs: 5 * 60_000, refreshBeforeMs: 15 * 60_000, nearPollMs: 60_000, backoffBaseMs: 1_000, backoffMaxMs: 60_000 };

/** What the status shows of the credential file; never a key. */
export interface CredentialStatus {
  /** `pending`: nothing written yet; `fresh`; `expiring`: less than `refreshBeforeMs` left; `expired`. */
  state: 'pending' | 'fresh' | 'expiring' | 'expired';
  /** The written credentials' end, as in the file. */
  expiration?: string;
  /** When the file was last replaced (ISO 8601). */
  writtenAt?: string;
  /** How many times it was replaced since start. */
  writes: number;
  /** Failed IMDS reads in a row, and the last failure. */
  failures: number;
  lastError?: string;
}

export interface SidecarOptions {
  /** kvssink's `credential-path`. */
  file: string;
  source: CredentialSource;
  clock: Clock;
  log: (line: string) => void;
  timing?: Partial<SidecarTiming>;
  /** Called after every change of {@link CredentialSidecar.status}. */
  onChange?: () => void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Keeps kvssink's credential file filled with the instance role's credentials: reads them from IMDS,
 * replaces the file atomically (0600) whenever IMDS serves new ones, asks more often as their end
 * nears, backs off on failures. kvssink picks the new file up by itself, so no pipeline restarts.
 */
export class CredentialSidecar {
  private readonly timing: SidecarTiming;
  private written: RoleCredentials | undefined;
  private writtenAt: number | undefined;
  private writes = 0;
  private failures = 0;
  private lastError: string | undefined;
  private warnedStale: string | undefined;
  private readonly firstWrite: Promise<void>;
  private resolveFirst: () => void = () => undefined;

  constructor(private readonly options: SidecarOptions) {
    this.timing = { ...SIDECAR_DEFAULTS, ...options.timing };
    this.firstWrite = new Promise((resolve) => (this.resolveFirst = resolve));
  }

  /** Resolves once the file holds credentials (kvssink refuses to start without the file). */
  ready(): Promise<void> {
    return this.firstWrite;
  }

  status(): CredentialStatus {
    const out: CredentialStatus = { state: 'pending', writes: this.writes, failures: this.failures };
    if (this.written) {
      const left = this.written.expiration - this.options.clock.now();
      out.state = left <= 0 ? 'expired' : left <= this.timing.refreshBeforeMs ? 'expiring' : 'fresh';
      out.expiration = kvsExpiration(this.written.expiration);
    }
    if (this.writtenAt !== undefined) out.writtenAt = iso(this.writtenAt);
    if (this.lastError !== undefined) out.lastError = this.lastError;
    return out;
  }

  /** One round: read IMDS, replace the file when needed. Returns how long to wait before the next. */
  async refresh(): Promise<number> {
    const { clock, file, log } = this.options;
    try {
      const credentials = await this.options.source.roleCredentials();
      const now = clock.now();
      if (credentials.expiration - now <= KVS_CREDENTIAL_READ_GRACE_MS) {
        throw new Error(`instance metadata served credentials ending at ${kvsExpiration(credentials.expiration)}: too close for kvssink`);
      }
      const text = formatKvsCredentials(credentials);
      if (!sameCredentials(this.written, credentials) || !(await exists(file))) {
        await writeFileAtomic(file, text, 0o600);
        const first = this.written === undefined;
        this.written = credentials;
        this.writtenAt = now;
        this.writes++;
        log(`credentials ${first ? 'written' : 'replaced'}: ${file}, valid until ${kvsExpiration(credentials.expiration)}`);
        if (first) this.resolveFirst();
      }
      const recovered = this.failures > 0;
      this.failures = 0;
      this.lastError = undefined;
      const left = credentials.expiration - now;
      if (left <= this.timing.refreshBeforeMs && this.warnedStale !== credentials.accessKeyId) {
        this.warnedStale = credentials.accessKeyId;
        log(`instance metadata still serves credentials ending at ${kvsExpiration(credentials.expiration)}: asking every ${this.timing.nearPollMs / 1000} s`);
      }
      if (recovered) log('instance metadata answers again');
      this.options.onChange?.();
      // Wake up when the window opens, then poll fast inside it.
      return left <= this.timing.refreshBeforeMs ? this.timing.nearPollMs : Math.max(this.timing.nearPollMs, Math.min(this.timing.pollMs, left - this.timing.refreshBeforeMs));
    } catch (error) {
      this.failures++;
      this.lastError = error instanceof Error ? error.message : String(error);
      const delay = Math.min(this.timing.backoffBaseMs * 2 ** (this.failures - 1), this.timing.backoffMaxMs);
      log(`credentials not refreshed (failure ${this.failures}, next try in ${delay / 1000} s): ${this.lastError}`);
      this.options.onChange?.();
      return delay;
    }
  }

  /** Refreshes until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const wait = await this.refresh();
      if (signal.aborted) break;
      await this.options.clock.sleep(wait, signal);
    }
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
