import type { AwsTarget } from './config.js';
import type { ComputeApi } from './compute-api.js';
import type { StackApi } from './stack-api.js';
import type { CertificateApi, DnsApi, SecretApi, StorageApi } from './services.js';
import type { IdentityApi } from './sts.js';

export type { AwsTarget } from './config.js';

/**
 * The AWS facades for one region and identity. Each is loaded on first use, so a command pays only
 * for the SDK clients it needs, and `--help` or `--dry-run` for none.
 */
export interface AwsClients {
  readonly target: AwsTarget;
  stacks(): Promise<StackApi>;
  compute(): Promise<ComputeApi>;
  identity(): Promise<IdentityApi>;
  storage(): Promise<StorageApi>;
  dns(): Promise<DnsApi>;
  certificates(): Promise<CertificateApi>;
  secrets(): Promise<SecretApi>;
}

const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
};

/** The real factory, over the AWS SDK v3 clients. */
export function createAwsClients(target: AwsTarget): AwsClients {
  return {
    target,
    stacks: once(async () => (await import('./sdk.js')).createStackApi(target)),
    compute: once(async () => (await import('./sdk.js')).createComputeApi(target)),
    identity: once(async () => (await import('./sdk.js')).createIdentityApi(target)),
    storage: once(async () => (await import('./sdk.js')).createStorageApi(target)),
    dns: once(async () => (await import('./sdk.js')).createDnsApi(target)),
    certificates: once(async () => (await import('./sdk.js')).createCertificateApi(target)),
    secrets: once(async () => (await import('./sdk.js')).createSecretApi(target)),
  };
}
