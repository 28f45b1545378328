import type { AwsClients } from '../aws/clients.js';
import type { HostedZoneInfo } from '../aws/services.js';
import { UsageError } from '../cli/errors.js';
import { type DnsPlan, planDns } from '../cluster/dns-naming.js';
import { describeProblem, type Problem } from '../cluster/problems.js';
import type { ClusterSettings } from '../cluster/settings.js';
import { certificateCovers } from '../tls/certificate-covers.js';
import { isCluster } from './cluster.js';

/** What the read-only checks learned, for rendering. */
export interface PreflightFacts {
  /** The bucket does not exist (yet, or any more): the CLI creates it before the stack. */
  createBucket: boolean;
  zones?: [string, string];
  dns: DnsPlan;
}

/** The names of the certificate that will serve wss://, and where they come from. */
export type CertificateNames = { kind: 'none' } | { kind: 'files'; names: string[] } | { kind: 'acm'; arn: string };

/** The cluster's DNS plan, and the certificate names it was planned from (read from ACM for an ARN). */
export interface DnsFacts {
  dns: DnsPlan;
  certificateNames?: string[];
}

/** Reads the hosted zone (and an ACM certificate's names) and plans the cluster's DNS name; `aws` undefined: no look-ups. */
export async function planClusterDns(aws: AwsClients | undefined, s: ClusterSettings, certificate: CertificateNames, problems: Problem[]): Promise<DnsFacts> {
  let zone: HostedZoneInfo | undefined;
  if (s.hostedZoneId !== undefined && aws) {
    zone = await (await aws.dns()).hostedZone(s.hostedZoneId);
    if (!zone) problems.push({ flag: 'hosted-zone-id', value: s.hostedZoneId, expected: 'is not a Route 53 hosted zone of this account' });
  }
  let names: string[] | undefined;
  if (certificate.kind === 'files') names = certificate.names;
  if (certificate.kind === 'acm' && aws) {
    const details = await (await aws.certificates()).describe(certificate.arn);
    if (!details) problems.push({ flag: 'certificate-arn', value: certificate.arn, expected: 'is not a certificate in ACM in this region and account' });
    else if (details.status !== 'ISSUED') problems.push({ flag: 'certificate-arn', value: certificate.arn, expected: `is ${details.status}; only an ISSUED certificate can serve the cluster` });
    else names = details.names;
  }
  const known = names ? { certificateNames: names } : {};
  const planned = planDns({ stackName: s.stackName, ...known, ...(zone ? { zone } : {}) });
  if ('problems' in planned) {
    problems.push(...planned.problems);
    return { dns: { kind: 'LoadBalancer', scheme: 'ws' }, ...known };
  }
  if (names && planned.plan.kind !== 'LoadBalancer' && !certificateCovers(names, planned.plan.name)) {
    problems.push({ flag: certificate.kind === 'acm' ? 'certificate-arn' : 'ssl-cert', value: names.join(', '), expected: `does not cover the cluster name ${planned.plan.name}` });
  }
  return { dns: planned.plan, ...known };
}

/** The certificate's own name (not a wildcard's): another stack name would not change the DNS name. */
const namedByCertificate = (names: readonly string[] | undefined, host: string): boolean => (names ?? []).some((n) => n.trim().toLowerCase().replace(/\.$/, '') === host);

/**
 * An existing record of the cluster's DNS name in its hosted zone: the stack would fail to create it, so it
 * is a problem before anything is made (create, its dry run, and an update that moves the name). The
 * problem names the flag that chose the name: the certificate's (`--ssl-cert`, `--certificate-arn`) when
 * the name is the certificate's own, else `--stack-name` (`<stack-name>.<zone>`). `keep`: the name the
 * cluster already has (its own record).
 */
export async function checkRecordFree(aws: AwsClients, s: ClusterSettings, certificate: CertificateNames, facts: DnsFacts, problems: Problem[], keep?: string): Promise<void> {
  const { dns } = facts;
  if (dns.kind !== 'Record' || dns.name === keep) return;
  if (!(await (await aws.dns()).hasRecord(dns.zone.id, dns.name))) return;
  const taken = `hosted zone ${dns.zone.name} (${dns.zone.id}) already has a record ${dns.name}`;
  if (certificate.kind !== 'none' && namedByCertificate(facts.certificateNames, dns.name)) {
    const flag = certificate.kind === 'acm' ? 'certificate-arn' : 'ssl-cert';
    const value = certificate.kind === 'acm' ? certificate.arn : s.tls.kind === 'files' ? s.tls.certFile : dns.name;
    problems.push({ flag, value, expected: `${taken}, the certificate's name for the cluster; remove that record, or use a certificate for another name in the zone` });
    return;
  }
  problems.push({ flag: 'stack-name', value: s.stackName, expected: `${taken}, the cluster's DNS name; remove that record or choose another --stack-name` });
}

/**
 * Read-only checks against AWS before anything is created: the name is free, the instance types are
 * offered in two zones, the key pair exists, the bucket is free or ours in this region, the DNS name is
 * free in its zone. Every problem at once, as a usage error (exit 2); access denied surfaces as exit 4.
 */
export async function preflight(aws: AwsClients, s: ClusterSettings, certificate: CertificateNames, update?: { dnsName: string }): Promise<PreflightFacts> {
  const problems: Problem[] = [];
  const stacks = await aws.stacks();
  const existing = update ? undefined : await stacks.describe(s.stackName);
  if (existing && existing.status !== 'DELETE_COMPLETE') {
    problems.push({
      flag: 'stack-name',
      value: s.stackName,
      expected: `is taken: a stack of that name exists in ${s.region} (${existing.status})${isCluster(existing) ? `; see it with "elasticrtc show --stack-name ${s.stackName}"` : ''}`,
    });
  }

  const compute = await aws.compute();
  const offered = await compute.zonesOffering(s.instanceType);
  if (offered.length < 2) {
    problems.push({ flag: 'aws-instance-type', value: s.instanceType, expected: offered.length === 0 ? `is not offered in ${s.region}` : `is offered in only one zone of ${s.region} (${offered.join('')}); the cluster spans two` });
  }
  const zones = offered.length >= 2 ? ([offered[0], offered[1]] as [string, string]) : undefined;

  if (s.keyName !== undefined && !(await compute.keyPairExists(s.keyName))) {
    problems.push({ flag: 'aws-key-name', value: s.keyName, expected: `is not an EC2 key pair in ${s.region}` });
  }

  // Free (the CLI creates it), or ours in this region. An update keeps the cluster's bucket, and makes it
  // again if it was removed: the nodes fetch their runtime from it.
  const bucket = await (await aws.storage()).bucket(s.bucketName);
  if (bucket.exists && !bucket.owned) problems.push({ flag: 'aws-s3-bucket-name', value: s.bucketName, expected: 'belongs to another AWS account; choose another name' });
  if (bucket.exists && bucket.owned && bucket.region !== s.region) {
    problems.push({ flag: 'aws-s3-bucket-name', value: s.bucketName, expected: `is in ${bucket.region}, not in the cluster's region ${s.region}` });
  }

  const facts = await planClusterDns(aws, s, certificate, problems);
  await checkRecordFree(aws, s, certificate, facts, problems, update?.dnsName);
  if (problems.length > 0) throw preflightFailed(problems, 'nothing was created');
  return { createBucket: !bucket.exists, ...(zones ? { zones } : {}), dns: facts.dns };
}

/** Every problem preflight found, as one usage error (exit 2). */
export function preflightFailed(problems: readonly Problem[], hint: string): UsageError {
  const lines = problems.map(describeProblem);
  return new UsageError('PreflightFailed', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} problems found before creating anything:\n  ${lines.join('\n  ')}`, hint);
}

/** The names the certificate of the settings will serve: from the files read and checked, or an ACM ARN. */
export function certificateNames(s: ClusterSettings, files: { names: string[] } | undefined): CertificateNames {
  if (files) return { kind: 'files', names: files.names };
  return s.tls.kind === 'acm' ? { kind: 'acm', arn: s.tls.arn } : { kind: 'none' };
}
