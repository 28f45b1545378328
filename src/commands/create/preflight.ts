import type { AwsClients } from '../../aws/clients.js';
import type { HostedZoneInfo } from '../../aws/services.js';
import { UsageError } from '../../cli/errors.js';
import { type DnsPlan, planDns } from '../../cluster/dns-naming.js';
import { describeProblem, type Problem } from '../../cluster/problems.js';
import type { ClusterSettings } from '../../cluster/settings.js';
import { certificateCovers } from '../../tls/certificate-covers.js';
import { isCluster } from '../shared/cluster.js';

/** What the read-only checks learned, for rendering. */
export interface PreflightFacts {
  /** The bucket does not exist (yet, or any more): the CLI creates it before the stack. */
  createBucket: boolean;
  zones?: [string, string];
  dns: DnsPlan;
}

/** The names of the certificate that will serve wss://, and where they come from. */
export type CertificateNames = { kind: 'none' } | { kind: 'files'; names: string[] } | { kind: 'acm'; arn: string };

/** Reads the hosted zone and plans the cluster's DNS name; needs only read access (also for dry runs). */
export async function planClusterDns(aws: AwsClients | undefined, s: ClusterSettings, certificate: CertificateNames, problems: Problem[]): Promise<DnsPlan> {
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
  const planned = planDns({ stackName: s.stackName, ...(names ? { certificateNames: names } : {}), ...(zone ? { zone } : {}) });
  if ('problems' in planned) {
    problems.push(...planned.problems);
    return { kind: 'LoadBalancer', scheme: 'ws' };
  }
  if (names && planned.plan.kind !== 'LoadBalancer' && !certificateCovers(names, planned.plan.name)) {
    problems.push({ flag: certificate.kind === 'acm' ? 'certificate-arn' : 'ssl-cert', value: names.join(', '), expected: `does not cover the cluster name ${planned.plan.name}` });
  }
  return planned.plan;
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

  const dns = await planClusterDns(aws, s, certificate, problems);
  if (dns.kind === 'Record' && dns.name !== update?.dnsName && (await (await aws.dns()).hasRecord(dns.zone.id, dns.name))) {
    problems.push({ flag: 'hosted-zone-id', value: dns.zone.id, expected: `already has a record ${dns.name}; remove it or choose another --stack-name` });
  }

  if (problems.length > 0) {
    const lines = problems.map(describeProblem);
    throw new UsageError('PreflightFailed', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} problems found before creating anything:\n  ${lines.join('\n  ')}`, 'nothing was created');
  }
  return { createBucket: !bucket.exists, ...(zones ? { zones } : {}), dns };
}
