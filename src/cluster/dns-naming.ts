import type { Problem } from './problems.js';

/** A Route 53 hosted zone as read from AWS. */
export interface HostedZone {
  id: string;
  /** The zone's domain, e.g. `example.com` (no trailing dot needed, any case). */
  name: string;
  private: boolean;
}

/** How the cluster is reached: which DNS name, who creates it, and the URL scheme. */
export type DnsPlan =
  /** No certificate and no zone: the URL uses the load balancer's own name. */
  | { kind: 'LoadBalancer'; scheme: 'ws' }
  /** The stack creates an alias record `name` in `zone`. */
  | { kind: 'Record'; name: string; zone: HostedZone; scheme: 'ws' | 'wss' }
  /** No zone: the user must create a CNAME `name` → the load balancer. */
  | { kind: 'Manual'; name: string; scheme: 'wss' };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_NAME = 253;

const normalise = (name: string): string => name.trim().toLowerCase().replace(/\.$/, '');
const isWildcard = (name: string): boolean => name.startsWith('*.');
const inZone = (name: string, zone: string): boolean => name === zone || name.endsWith(`.${zone}`);

/** The domain to suggest a zone for: a wildcard's domain, else the name's parent (or the name). */
function suggestedZone(name: string): string {
  if (isWildcard(name)) return name.slice(2);
  const parent = name.slice(name.indexOf('.') + 1);
  return parent.includes('.') ? parent : name;
}

/** `<stack-name>.<domain>`, or a problem when the stack name cannot be that DNS label. */
function stackHost(stackName: string, domain: string): { name: string } | { problem: Problem } {
  const label = stackName.toLowerCase();
  const name = `${label}.${domain}`;
  const problem = (expected: string) => ({ problem: { flag: 'stack-name', value: stackName, expected } });
  if (label.length > 63) {
    return problem(`is ${label.length} characters long; as the first label of the cluster's DNS name in ${domain} it may have at most 63`);
  }
  if (!LABEL.test(label)) {
    return problem(`cannot be the first label of the cluster's DNS name in ${domain}: use letters, digits and "-", not at the start or end`);
  }
  if (name.length > MAX_NAME) return problem(`makes the cluster's DNS name ${name.length} characters long; at most ${MAX_NAME} are allowed`);
  return { name };
}

type Target = { host: string } | { stackIn: string } | { mismatch: true };

/** Picks the cluster's name from the certificate's names (non-empty) and the zone's domain. */
function target(names: string[], zone: string | undefined): Target {
  const exact = names.filter((n) => !isWildcard(n));
  const wild = names.filter(isWildcard).map((n) => n.slice(2));
  if (zone === undefined) {
    const first = exact[0];
    return first !== undefined ? { host: first } : { stackIn: wild[0] ?? '' };
  }
  const host = exact.find((n) => inZone(n, zone));
  if (host !== undefined) return { host };
  return wild.includes(zone) ? { stackIn: zone } : { mismatch: true };
}

/**
 * Plans the cluster's DNS name from the stack name, the certificate's DNS names (omitted or empty
 * when there is no certificate) and the hosted zone (omitted when there is none). Names compare
 * case-insensitively; a certificate needs its name inside the zone, a wildcard `*.d` needs zone `d`.
 */
export function planDns(input: {
  stackName: string;
  certificateNames?: readonly string[];
  zone?: HostedZone;
}): { plan: DnsPlan } | { problems: Problem[] } {
  const names = (input.certificateNames ?? []).map(normalise).filter((n) => n !== '');
  const { zone } = input;
  const domain = zone ? normalise(zone.name) : undefined;
  const problems: Problem[] = [];
  const zoneProblem = (expected: string) => problems.push({ flag: 'hosted-zone-id', value: zone?.id ?? '', expected });
  if (zone?.private) {
    const hint = names[0] === undefined ? '' : ` for ${suggestedZone(names[0])}`;
    zoneProblem(`hosted zone ${domain} is private; the cluster needs a public DNS name, so use a public hosted zone${hint}`);
  }
  if (names.length === 0 && domain === undefined) return { plan: { kind: 'LoadBalancer', scheme: 'ws' } };
  const scheme = names.length > 0 ? 'wss' : 'ws';
  const picked: Target = names.length === 0 ? { stackIn: domain ?? '' } : target(names, domain);
  let host: string | undefined;
  if ('mismatch' in picked) {
    const suggest = suggestedZone(names[0] ?? '');
    zoneProblem(
      `hosted zone ${domain} does not contain the certificate's names (${names.join(', ')}); use a zone for ${suggest} or a certificate for a name in ${domain}`,
    );
  } else if ('host' in picked) {
    host = picked.host;
  } else {
    const made = stackHost(input.stackName, picked.stackIn);
    if ('problem' in made) problems.push(made.problem);
    else host = made.name;
  }
  if (problems.length > 0 || host === undefined) return { problems };
  if (zone) return { plan: { kind: 'Record', name: host, zone, scheme } };
  return { plan: { kind: 'Manual', name: host, scheme: 'wss' } };
}
