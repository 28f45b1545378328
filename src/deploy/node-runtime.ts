import type { AwsClients } from '../aws/clients.js';
import { isAwsFailure } from '../aws/errors.js';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { note } from '../cli/output.js';
import { type LifecycleRule, partitionOf } from '../cluster/bucket.js';
import { type RuntimeRef, runtimeRef } from '../cluster/node-runtime.js';
import { CLUSTER_TAG } from '../cluster/render.js';
import { TOOL_VERSION } from '../version.js';

/** The runtime bundle of this CLI as the template names it: its digest only (no bytes read, no AWS). */
export async function currentRuntime(ctx: CliContext): Promise<RuntimeRef> {
  return runtimeRef(TOOL_VERSION, await ctx.nodeRuntime.digest());
}

/** Where the runtime goes, and whether preflight found the bucket. */
export interface RuntimeStaging {
  cluster: string;
  bucket: string;
  region: string;
  /** Preflight found no bucket of that name: it is created and hardened first. */
  createBucket: boolean;
  /** The caller's ARN (from STS): the bucket policy's ARNs use its partition. */
  callerArn: string;
  runtime: RuntimeRef;
  /** The apps' lifecycle rules (audio-archive's `staging/`, each camera's recordings): added beside the bucket's others. */
  lifecycle?: readonly LifecycleRule[];
}

/**
 * Readies the cluster bucket before the stack is created or updated: creates and hardens it when preflight
 * found none, then stores the node runtime bundle under its key, where the nodes' launcher fetches it at
 * boot. S3 checks the upload against the digest. The bucket and the object stay whatever happens next.
 */
export async function stageNodeRuntime(ctx: CliContext, aws: AwsClients, o: RuntimeStaging): Promise<void> {
  const storage = await aws.storage();
  if (o.createBucket) {
    note(ctx.io, `creating the bucket ${o.bucket}; it is kept when the cluster is deleted`);
    try {
      await storage.createClusterBucket(o.bucket, o.region, { [CLUSTER_TAG]: o.cluster }, partitionOf(o.callerArn));
    } catch (error) {
      // Free at preflight, taken by someone else since.
      if (isAwsFailure(error) && error.code === 'BucketAlreadyExists') {
        throw new UsageError('BucketTaken', `--aws-s3-bucket-name ${o.bucket}: was just taken by another AWS account; nothing else was created`, 'choose another name with --aws-s3-bucket-name');
      }
      throw error;
    }
  }
  await storage.putRuntime(o.bucket, o.runtime.key, await ctx.nodeRuntime.bytes(), o.runtime.sha256);
  // audio-archive: both recorders' copies wait in staging/ for the reconciler (minutes); the archive, final/,
  // never expires. cameras: each camera's recordings expire after its retention.
  if (o.lifecycle?.length) await storage.putLifecycleRules(o.bucket, o.lifecycle);
}
