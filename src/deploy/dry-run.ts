import type { AwsClients } from '../aws/clients.js';
import type { CliContext } from '../cli/context.js';
import { note } from '../cli/output.js';
import type { Problem } from '../cluster/problems.js';
import type { ClusterSettings } from '../cluster/settings.js';
import { type CertificateNames, checkRecordFree, planClusterDns, preflightFailed } from './preflight.js';

/** The credential flags given, if any. */
export interface CredentialFlags {
  'aws-access-key-id'?: string | undefined;
  'aws-secret-access-key'?: string | undefined;
  profile?: string | undefined;
}

/** Keys that give a profile credentials (or a way to get them), as the SDK reads the shared files. */
const CREDENTIAL_KEYS = /^\s*(aws_access_key_id|aws_secret_access_key|sso_session|sso_start_url|role_arn|credential_process|web_identity_token_file|credential_source)\s*=/;

/** Whether an INI text has a section among `sections` holding a credential key. */
function hasCredentialSection(text: string, sections: readonly string[]): boolean {
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[\s*([^\]]*?)\s*\]/.exec(line);
    if (header) inside = sections.includes((header[1] ?? '').replace(/\s+/g, ' '));
    else if (inside && CREDENTIAL_KEYS.test(line)) return true;
  }
  return false;
}

/**
 * Whether AWS credentials are configured where the SDK looks, told without any AWS call or network:
 * credential flags, a named profile (`--profile`, `AWS_PROFILE`), environment keys (half of them too: the
 * error then names the missing half), a container or web-identity role, or a default profile with
 * credentials in the shared files. An EC2 instance role cannot be told offline and counts as none.
 */
export async function credentialsConfigured(env: Readonly<Record<string, string | undefined>>, o: CredentialFlags): Promise<boolean> {
  if (o['aws-access-key-id'] !== undefined || o['aws-secret-access-key'] !== undefined || o.profile !== undefined) return true;
  const variables = ['AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'];
  if (variables.some((v) => env[v])) return true;
  const { readFile } = await import('node:fs/promises');
  const { homedir } = await import('node:os');
  const { join } = await import('node:path');
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const read = (file: string) => readFile(file, 'utf8').catch(() => '');
  const credentials = await read(env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'));
  const config = await read(env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'));
  return hasCredentialSection(credentials, ['default']) || hasCredentialSection(config, ['default', 'profile default']);
}

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
