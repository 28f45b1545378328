/** Shared set-up of the fake AWS tests: a virtual clock, real SDK clients and a cluster template. */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { ACMClient } from '@aws-sdk/client-acm';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../support/fake-aws/index.js';

/** The cluster template used by most tests (YAML, long-form intrinsics). */
export const CLUSTER_YAML = readFileSync(new URL('./fixtures/cluster.yaml', import.meta.url), 'utf8');
/** Number of resources the template creates with default parameters. */
export const CLUSTER_RESOURCES = ['Vpc', 'Subnet', 'SecurityGroup', 'Bucket', 'LaunchTemplate', 'NodeGroup', 'LoadBalancer'];

/** A clock that only moves when told. */
export class VirtualClock {
  constructor(public ms = Date.UTC(2024, 0, 15, 12, 0, 0)) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

interface ClientOptions {
  maxAttempts?: number;
  accessKeyId?: string;
  /** Retries without waiting (real time) between attempts. */
  instantRetries?: boolean;
}

/** A retry strategy like the standard one, minus the back-off delay, so tests never wait. */
function instantRetryStrategy(maxAttempts: number) {
  const token = (count: number) => ({ getRetryCount: () => count, getRetryDelay: () => 0 });
  return {
    mode: 'standard',
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (previous: { getRetryCount(): number }, info: { errorType: string }) => {
      if (info.errorType === 'CLIENT_ERROR' || previous.getRetryCount() + 1 >= maxAttempts) throw new Error('no more retries');
      return token(previous.getRetryCount() + 1);
    },
    recordSuccess: () => undefined,
  };
}

function config(url: string, o: ClientOptions = {}) {
  return {
    region: 'eu-west-1',
    endpoint: url,
    credentials: { accessKeyId: o.accessKeyId ?? 'AKIDTEST', secretAccessKey: 'secret' },
    maxAttempts: o.maxAttempts ?? 1,
    ...(o.instantRetries ? { retryStrategy: instantRetryStrategy(o.maxAttempts ?? 3) } : {}),
  };
}

/** Real SDK clients pointed at the fake. */
export function clients(url: string, o?: ClientOptions) {
  return {
    cfn: new CloudFormationClient(config(url, o)),
    ec2: new EC2Client(config(url, o)),
    asg: new AutoScalingClient(config(url, o)),
    sts: new STSClient(config(url, o)),
    s3: new S3Client({ ...config(url, o), forcePathStyle: true }),
    route53: new Route53Client(config(url, o)),
    acm: new ACMClient(config(url, o)),
    secrets: new SecretsManagerClient(config(url, o)),
  };
}

/** A fake on a virtual clock, with clients; `close()` stops both. */
export async function setup(options: Omit<FakeAwsOptions, 'now'> = {}) {
  const clock = new VirtualClock();
  const fake: FakeAws = await startFakeAws({ ...options, now: clock.now });
  const c = clients(fake.url);
  const step = options.stepMs ?? 20;
  return {
    fake,
    clock,
    step,
    ...c,
    close: async () => {
      for (const client of Object.values(c)) client.destroy();
      await fake.close();
    },
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; attempts?: number }; Code?: string }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

/** What {@link setup} gives a test. */
export type FakeEnv = Awaited<ReturnType<typeof setup>>;

/**
 * A fresh fake (and clients) for every test of the file, closed after it: registers the hooks and
 * returns a handle that always reaches the current test's fake.
 */
export function useFake(options: Omit<FakeAwsOptions, 'now'> = {}): FakeEnv {
  let current: FakeEnv | undefined;
  beforeEach(async () => {
    current = await setup(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as FakeEnv, {
    get: (_target, key) => {
      if (!current) throw new Error('the fake exists only inside a test');
      return current[key as keyof FakeEnv];
    },
  });
}
