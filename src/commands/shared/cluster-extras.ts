import type { AwsClients } from '../../aws/clients.js';
import { warn } from '../../cli/output.js';
import type { IoStreams } from '../../cli/context.js';
import { secretName } from '../create/cluster-secret.js';

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
