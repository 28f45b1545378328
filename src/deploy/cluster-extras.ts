import type { AwsClients } from '../aws/clients.js';
import type { Clock, IoStreams } from '../cli/context.js';
import { note, warn } from '../cli/output.js';
import { secretName } from './cluster-secret.js';

/** What a cluster keeps outside its stack: its secret (by name) and the certificates imported for it (by tag). */
export interface ClusterExtras {
  secret?: string;
  certificates: string[];
}

/** Finds what a cluster keeps outside its stack, e.g. after a deletion nobody followed to its end. */
export async function findClusterExtras(aws: AwsClients, cluster: string): Promise<ClusterExtras> {
  const secret = (await (await aws.secrets()).find(secretName(cluster))) !== undefined ? secretName(cluster) : undefined;
  const certificates = await (await aws.certificates()).taggedFor(cluster);
  return { ...(secret ? { secret } : {}), certificates };
}

/**
 * Removes what a cluster keeps outside its stack: the cluster secret and the certificates elasticrtc
 * imported into ACM for it (tagged with the cluster). Called once the stack is gone, or never was.
 * `imported`: the certificates known to be the cluster's, or 'tagged' to look them up by tag.
 * Failures are reported, with what to remove by hand, rather than hiding the deletion's success.
 * Returns what was removed (the secret is named as removed even when it was already gone).
 */
export async function removeClusterExtras(aws: AwsClients, io: IoStreams, cluster: string, imported: 'tagged' | readonly string[] = 'tagged'): Promise<ClusterExtras> {
  const removed: ClusterExtras = { certificates: [] };
  try {
    await (await aws.secrets()).delete(secretName(cluster));
    removed.secret = secretName(cluster);
  } catch (error) {
    warn(io, `could not delete the secret ${secretName(cluster)}: ${(error as Error).message}; delete it with: aws secretsmanager delete-secret --force-delete-without-recovery --secret-id ${secretName(cluster)}`);
  }
  try {
    const certificates = await aws.certificates();
    const arns = imported === 'tagged' ? await certificates.taggedFor(cluster) : imported;
    for (const arn of arns) {
      if (await certificates.delete(arn)) removed.certificates.push(arn);
      else warn(io, `the certificate ${arn} is still in use; delete it later with: aws acm delete-certificate --certificate-arn ${arn}`);
    }
  } catch (error) {
    warn(io, `could not remove the imported certificate of ${cluster}: ${(error as Error).message}`);
  }
  return removed;
}

/** Waits between attempts to delete a certificate ACM still reports in use: a listener's change reaches ACM after a moment. */
const IN_USE_RETRIES_MS = [5_000, 10_000, 15_000];

/**
 * Deletes the certificates elasticrtc imported for a cluster (tagged with it) that its listener no longer
 * serves: the one an update just replaced, and any an earlier update left (`--no-wait`, or still in use
 * then). ACM refuses a certificate still in use; that refusal is retried briefly, then left with a note
 * saying how to delete it later. Returns the ARNs deleted.
 */
export async function removeUnusedImports(aws: AwsClients, io: IoStreams, clock: Clock, cluster: string, served: string | undefined): Promise<string[]> {
  const certificates = await aws.certificates();
  const unused = (await certificates.taggedFor(cluster)).filter((arn) => arn !== served);
  const removed: string[] = [];
  for (const arn of unused) {
    let deleted = await certificates.delete(arn);
    for (const wait of IN_USE_RETRIES_MS) {
      if (deleted) break;
      await clock.sleep(wait);
      deleted = await certificates.delete(arn);
    }
    if (deleted) removed.push(arn);
    else note(io, `the previous certificate ${arn} is still in use; delete it later with: aws acm delete-certificate --certificate-arn ${arn} --region ${aws.target.region}`);
  }
  return removed;
}
