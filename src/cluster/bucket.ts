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
