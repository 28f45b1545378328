import type { AwsClients } from '../aws/clients.js';
import type { CliContext } from '../cli/context.js';
import { note } from '../cli/output.js';
import type { Problem } from '../cluster/problems.js';
import type { ClusterSettings } from '../cluster/settings.js';
import { type CredentialFlags, credentialsConfigured } from '../cli/auth/files.js';
import { type CertificateNames, checkRecordFree, planClusterDns, preflightFailed } from './preflight.js';


/**
 * The cluster's DNS name for `create --dry-run`, checked as create's preflight checks it: the hosted zone
 * and an ACM certificate are read, and an existing record of the name is the same usage error (exit 2).
 * Those look-ups need credentials; with none configured the dry run stays offline, says on stderr what it
 * did not check, and shows the name with a placeholder for the zone's domain.
 */
export async function dryRunDnsName(ctx: CliContext, o: CredentialFlags, s: ClusterSettings, certificate: CertificateNames, open: () => Promise<AwsClients>): Promise<string | undefined> {
  const problems: Problem[] = [];
  const needsLookup = s.hostedZoneId !== undefined || certificate.kind === 'acm';
  let aws: AwsClients | undefined;
  if (needsLookup && (await credentialsConfigured(ctx.env, o))) {
    aws = await open();
  } else if (needsLookup) {
    const what = [...(s.hostedZoneId !== undefined ? [`the hosted zone ${s.hostedZoneId} (its domain, and whether it already has a record of the cluster's name)`] : []), ...(certificate.kind === 'acm' ? [`the certificate ${certificate.arn}`] : [])];
    note(ctx.io, `note: no AWS credentials are configured, so this dry run did not read ${what.join(' or ')}; create checks them before making anything`);
  }
  const facts = await planClusterDns(aws, s, certificate, problems);
  if (aws) await checkRecordFree(aws, s, certificate, facts, problems);
  if (problems.length > 0) throw preflightFailed(problems, 'nothing was created');
  if (facts.dns.kind !== 'LoadBalancer') return facts.dns.name;
  // The zone was not read: the record is <stack-name>.<its domain>, shown as a placeholder like the secret's ARN.
  return s.hostedZoneId !== undefined && !aws ? `${s.stackName.toLowerCase()}.(domain of ${s.hostedZoneId})` : undefined;
}
