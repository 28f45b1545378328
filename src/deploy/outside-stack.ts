import type { CliContext } from '../cli/context.js';
import { partitionOf } from '../cluster/bucket.js';
import { CLUSTER_TAG } from '../cluster/render.js';
import { removeClusterExtras } from './cluster-extras.js';
import { clusterSecretValue, secretName } from './cluster-secret.js';
import type { Deployment } from './pipeline.js';

/** What a deployment made outside its stack before submitting it, so a failure can take it back. */
export interface OutsideStack {
  /** The cluster secret's ARN (made by a create, the cluster's own for an update). */
  secretArn: string;
  /** The certificate imported from files for this deployment. */
  importedArn?: string;
  /** The certificate the listener is to serve. */
  certificateArn?: string;
  /** Removes what this deployment made outside the stack (a create: the secret too). */
  discard(): Promise<void>;
}

/**
 * Secret and certificate, made outside the stack just before it: a create's secret (values never pass
 * through parameters), and the certificate imported from files (its key goes to ACM and nowhere else).
 * An update keeps the cluster's secret. A dry run makes neither: its change set names a certificate that
 * was not imported, and is deleted unexecuted.
 */
export async function makeOutsideStack(ctx: CliContext, d: Deployment): Promise<OutsideStack> {
  const { aws, region, callerArn } = d.session;
  const s = d.settings;
  const tags = { [CLUSTER_TAG]: s.stackName };
  const create = d.target.kind === 'create';
  const secretArn = d.target.kind === 'update' ? (d.target.stack.parameters.ClusterSecretArn ?? '') : await (await aws.secrets()).put(secretName(s.stackName), await clusterSecretValue(s, new Date(ctx.clock.now())), tags);
  let importedArn: string | undefined;
  const discard = async () => {
    if (create) await removeClusterExtras(aws, ctx.io, s.stackName, importedArn ? [importedArn] : []);
    else if (importedArn) await (await aws.certificates()).delete(importedArn);
  };
  let certificateArn = s.tls.kind === 'acm' ? s.tls.arn : undefined;
  if (d.certificate && d.target.kind === 'update' && d.target.dryRun) {
    const account = callerArn.split(':')[4] ?? 'ACCOUNT';
    certificateArn = `arn:${partitionOf(callerArn)}:acm:${region}:${account}:certificate/not-imported-by-a-dry-run`;
  } else if (d.certificate) {
    const c = d.certificate;
    try {
      importedArn = await (await aws.certificates()).import({ certificate: c.certificatePem, chain: c.chainPem, privateKey: c.privateKeyPem }, tags);
    } catch (error) {
      await discard();
      throw error;
    }
    certificateArn = importedArn;
  }
  return { secretArn, ...(importedArn ? { importedArn } : {}), ...(certificateArn ? { certificateArn } : {}), discard };
}
