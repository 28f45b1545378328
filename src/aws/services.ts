import type { LifecycleRule } from '../cluster/bucket.js';
/** What `HeadBucket` and `GetBucketLocation` tell about a bucket name. */
export type BucketState = { exists: false } | { exists: true; owned: true; region: string } | { exists: true; owned: false };

/** The narrow view of S3 the tool uses. */
export interface StorageApi {
  bucket(name: string): Promise<BucketState>;
  /**
   * Creates the cluster bucket in `region` and hardens it: public access blocked, SSE-S3 encryption,
   * ACLs off (`BucketOwnerEnforced`), a policy refusing requests without TLS (ARNs in `partition`),
   * and `tags`. A bucket already ours is hardened the same way.
   */
  createClusterBucket(name: string, region: string, tags: Record<string, string>, partition: string): Promise<void>;
  /** Stores the node runtime bundle; S3 refuses it unless its SHA-256 is `sha256Hex`. */
  putRuntime(bucket: string, key: string, bytes: Uint8Array, sha256Hex: string): Promise<void>;
  /** Adds (or replaces, by its ID) one lifecycle rule; the bucket's other rules stay. */
  putLifecycleRules(bucket: string, rules: readonly LifecycleRule[]): Promise<void>;
}

export interface HostedZoneInfo {
  id: string;
  name: string;
  private: boolean;
}

/** The narrow view of Route 53 the tool uses. */
export interface DnsApi {
  /** The zone, or undefined when there is no such zone. */
  hostedZone(id: string): Promise<HostedZoneInfo | undefined>;
  /** Whether the zone already holds a record of that name (any type). */
  hasRecord(zoneId: string, name: string): Promise<boolean>;
}

export interface CertificateDetails {
  arn: string;
  status: string;
  domainName: string;
  names: string[];
  notAfter?: number;
}

/** The narrow view of ACM the tool uses. */
export interface CertificateApi {
  import(pem: { certificate: string; chain: string; privateKey: string }, tags: Record<string, string>): Promise<string>;
  describe(arn: string): Promise<CertificateDetails | undefined>;
  /** Deletes a certificate; false when it is still in use (the caller may retry later). */
  delete(arn: string): Promise<boolean>;
  /** Imported certificates tagged with this cluster name. */
  taggedFor(cluster: string): Promise<string[]>;
}

/** The narrow view of Secrets Manager the tool uses. */
export interface SecretApi {
  /** Creates the secret, or replaces the value of an existing one of that name; returns its ARN. */
  put(name: string, value: string, tags: Record<string, string>): Promise<string>;
  /** The ARN of the secret of that name, if any. */
  find(name: string): Promise<string | undefined>;
  /** The names of the secrets whose name starts with `prefix` (not those scheduled for deletion): one call per 100. */
  names(prefix: string): Promise<string[]>;
  /** Deletes at once (no recovery window): the cluster it served is gone. */
  delete(nameOrArn: string): Promise<void>;
}
