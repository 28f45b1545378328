/**
 * The cluster bucket as elasticrtc makes it (the CLI creates it before the stack: it must hold the node
 * runtime first; docs/decisions.md). Pure: the S3 facade applies these settings.
 */

/** The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`…), so policies name resources as AWS spells them there. */
export function partitionOf(arn: string): string {
  const partition = arn.split(':')[1];
  return arn.startsWith('arn:') && partition ? partition : 'aws';
}

/** An IAM policy document. */
export interface PolicyDocumentJson {
  Version: '2012-10-17';
  Statement: Record<string, unknown>[];
}

/** The bucket policy: every request without TLS is denied, on the bucket and on its objects. */
export function tlsOnlyBucketPolicy(bucket: string, partition: string): PolicyDocumentJson {
  const arn = `arn:${partition}:s3:::${bucket}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TlsOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/** A lifecycle rule of the cluster bucket, as S3's API spells it. */
export interface LifecycleRule {
  ID: string;
  Filter: { Prefix: string };
  Status: 'Enabled';
  Expiration: { Days: number };
}

/** How long audio-archive's staged copies stay: the reconciler reads them within minutes (docs/apps.md). */
export const STAGING_EXPIRY_DAYS = 7;

/** audio-archive's rule: `staging/` (every recorder's copies) expires; `final/` (the archive) never does. */
export const stagingExpiryRule = (): LifecycleRule => ({
  ID: 'elasticrtc-audio-archive-staging',
  Filter: { Prefix: 'staging/' },
  Status: 'Enabled',
  Expiration: { Days: STAGING_EXPIRY_DAYS },
});

/**
 * The cameras app's rules, one per camera: its recordings (`cameras/<name>/`: segments and daily MP4s)
 * expire after its retention, as its Kinesis video stream's do (docs/apps.md#cameras).
 */
export const cameraExpiryRules = (cameras: readonly { name: string; retentionDays: number }[]): LifecycleRule[] =>
  cameras.map((c) => ({ ID: `elasticrtc-cameras-${c.name}`, Filter: { Prefix: `cameras/${c.name}/` }, Status: 'Enabled', Expiration: { Days: c.retentionDays } }));

/** The bucket's lifecycle rules the cluster's apps need. */
export function appLifecycleRules(s: { apps: readonly string[]; cameras: readonly { name: string; retentionDays: number }[] }): LifecycleRule[] {
  return [...(s.apps.includes('audio-archive') ? [stagingExpiryRule()] : []), ...(s.apps.includes('cameras') ? cameraExpiryRules(s.cameras) : [])];
}
