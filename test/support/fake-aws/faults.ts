/** Injected faults: throttling, server errors, dropped connections, latency, denied access, bad keys. */

/** Selects requests by service signing name (`cloudformation`, `ec2`, `autoscaling`, `sts`) and/or action. */
export interface RequestMatch {
  service?: string;
  action?: string;
}

/** A fault that replaces the answer to one request. */
export type FaultKind = 'throttle' | 'serverError' | 'drop';

/** Whether a request matches (an empty match matches everything). */
export function matchesRequest(match: RequestMatch | undefined, service: string, action: string): boolean {
  return (!match?.service || match.service === service) && (!match?.action || match.action === action);
}

/** The armed faults. */
export class Faults {
  private rules: { kind: FaultKind; remaining: number; match?: RequestMatch }[] = [];
  latencyMs = 0;
  readonly denied = new Set<string>();
  readonly rejectedKeys = new Map<string, 'InvalidClientTokenId' | 'ExpiredToken'>();

  /** Arms `count` faults of a kind for matching requests (after those armed before). */
  add(kind: FaultKind, count: number, match?: RequestMatch): void {
    if (count > 0) this.rules.push({ kind, remaining: count, match });
  }

  /** The fault for this request, if one is armed (and uses it up). */
  take(service: string, action: string): FaultKind | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && matchesRequest(r.match, service, action));
    if (!rule) return undefined;
    rule.remaining--;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return rule.kind;
  }

  /** Disarms everything. */
  clear(): void {
    this.rules = [];
    this.latencyMs = 0;
    this.denied.clear();
    this.rejectedKeys.clear();
  }
}
