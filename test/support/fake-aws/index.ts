/**
 * A fake AWS endpoint on 127.0.0.1 for end-to-end tests and benchmarks. It speaks the real wire
 * protocols (query for CloudFormation, Auto Scaling and STS; EC2 query for EC2; REST-XML for S3
 * and Route 53; JSON 1.1 for ACM and Secrets Manager; JSON 1.0 for CloudWatch and SQS), so the
 * unmodified AWS SDK v3, or the CLI through `AWS_ENDPOINT_URL`, talks to it. Nothing runs on
 * timers (except SQS long polls, which wait in real time): state is computed from `now()` on each
 * request, so tests can drive a virtual clock.
 */
import { seedCertificate, type CertificateSeed } from './acm-certs.js';
import { changeSetStatus, executionStatus } from './change-set-model.js';
import { seedKeyPair } from './ec2-offerings.js';
import { Faults, matchesRequest, type RequestMatch } from './faults.js';
import { seedHook, sendTestNotification, startTermination, type LifecycleHookSeed, type TerminationOptions } from './lifecycle.js';
import {
  bucketsView,
  certificatesView,
  objectsView,
  recordsView,
  secretsView,
  signalsView,
  stackView,
  type FakeBucket,
  type FakeCertificate,
  type FakeObject,
  type FakeRecordSet,
  type FakeSecret,
  type FakeSignal,
  type FakeStack,
} from './read-models.js';
import { lifecycleActionsView, metricsView, queueView, type FakeLifecycleAction, type FakeMetric, type FakeQueue } from './read-models-agent.js';
import { seedZone, type HostedZoneSeed } from './route53-zones.js';
import { seedBucket, type BucketSeed } from './s3.js';
import { seedImage, seedStack, type ImageSeed, type StackSeed } from './seed.js';
import { startServer, type RecordedRequest } from './server.js';
import { enqueue, queueOrFail, seedQueue, type QueueSettings } from './sqs-queues.js';
import { World } from './world.js';

export type { RecordedRequest } from './server.js';
export type { RequestMatch } from './faults.js';
export type { ImageSeed, StackSeed } from './seed.js';
export type { BucketSeed, ObjectSeed } from './s3.js';
export type { HostedZoneSeed } from './route53-zones.js';
export type { CertificateSeed, CertificateStatus } from './acm-certs.js';
export type { LifecycleHookSeed, TerminationOptions } from './lifecycle.js';
export type { FakeLifecycleAction, FakeMetric, FakeQueue, FakeQueueMessage } from './read-models-agent.js';
/** Queue attributes for `addQueue`, in seconds (as SQS names them). */
export type QueueSeed = Partial<QueueSettings>;
export type {
  FakeBucket,
  FakeBucketEncryption,
  FakeCertificate,
  FakeObject,
  FakePublicAccessBlock,
  FakeRecordSet,
  FakeSecret,
  FakeSignal,
  FakeStack,
  FakeStackEvent,
} from './read-models.js';

/** A change set as `changeSets()` shows it. */
export interface FakeChangeSet {
  id: string;
  name: string;
  /** `Status`: CREATE_IN_PROGRESS, CREATE_COMPLETE or FAILED. */
  status: string;
  /** `ExecutionStatus`: UNAVAILABLE, AVAILABLE, EXECUTE_IN_PROGRESS, EXECUTE_COMPLETE, EXECUTE_FAILED or OBSOLETE. */
  executionStatus: string;
}

/** Options of {@link startFakeAws}. */
export interface FakeAwsOptions {
  /** Milliseconds since the epoch; default `Date.now`. Every request reads it once on arrival. */
  now?: () => number;
  /** Default `eu-west-1`. */
  region?: string;
  /** Default `123456789012`. */
  accountId?: string;
  /** Time between consecutive events of a stack operation; default 20 ms. */
  stepMs?: number;
  /** Time between an operation's last resource event and its final stack event; default `stepMs`. */
  finalLagMs?: number;
  /** False: DescribeStackEvents leaves out `ClientRequestToken`, as LocalStack-style emulators do; default true. */
  eventTokens?: boolean;
  /** Port on 127.0.0.1; default 0 (the OS chooses). */
  port?: number;
}

/** A running fake. */
export interface FakeAws {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  close(): Promise<void>;
  /** Every request in order, faulted ones included. */
  requests: RecordedRequest[];
  count(match?: RequestMatch): number;
  resetRequests(): void;
  faults: {
    /**
     * The next `count` matching requests get 400 `Throttling` "Rate exceeded" (EC2: 503
     * `RequestLimitExceeded`; S3: 503 `SlowDown`; ACM, Secrets Manager: 400 `ThrottlingException`).
     */
    throttle(count: number, match?: RequestMatch): void;
    /** The next `count` matching requests get 500 `InternalFailure` (EC2, S3: `InternalError`; Secrets Manager: `InternalServiceError`). */
    serverError(count: number, match?: RequestMatch): void;
    /** The next `count` matching requests have their connection destroyed without an answer. */
    drop(count: number, match?: RequestMatch): void;
    /** Delays every answer by `ms` of real time (0 turns it off). */
    latency(ms: number): void;
    /** That action gets 403 `AccessDenied` (EC2: `UnauthorizedOperation`; ACM, Secrets Manager: 400 `AccessDeniedException`). */
    denyAccess(action: string): void;
    /**
     * Requests signed with that key get 403 with that code (EC2: 401 `AuthFailure` / 400
     * `RequestExpired`; S3: 403 `InvalidAccessKeyId` / 400 `ExpiredToken`; JSON services: 400
     * `UnrecognizedClientException` / `ExpiredTokenException`).
     */
    rejectCredentials(accessKeyId: string, code?: 'InvalidClientTokenId' | 'ExpiredToken'): void;
    clear(): void;
  };
  scenario: {
    /** The next CreateStack fails at that resource, then rolls back (per its OnFailure). */
    failNextCreate(logicalId: string, reason?: string): void;
    /** With failNextCreate: the rollback fails at that resource → `ROLLBACK_FAILED`. */
    failNextRollback(logicalId: string): void;
    /** The next DeleteStack ends `DELETE_FAILED` at that resource. */
    failNextDelete(logicalId: string, reason?: string): void;
    /** The next update (UpdateStack or ExecuteChangeSet) fails at that resource → `UPDATE_ROLLBACK_COMPLETE`. */
    failNextUpdate(logicalId: string, reason?: string): void;
  };
  addStack(def: StackSeed): string;
  addImage(def: ImageSeed): void;
  /**
   * A bucket that exists from the start (another account's with `otherAccount`), with the
   * configuration and objects given (none: no public access block, no ownership controls).
   */
  addBucket(def: BucketSeed): void;
  /** A hosted zone with NS and SOA records plus `records`; returns its id (`Z0…`, no `/hostedzone/` prefix). */
  addHostedZone(def: HostedZoneSeed): string;
  /** An Amazon-issued certificate; returns its ARN. */
  addCertificate(def: CertificateSeed): string;
  /** An EC2 key pair; returns its id (`key-…`). */
  addKeyPair(name: string): string;
  /** DescribeInstanceTypeOfferings stops offering `type` in those zones (default: anywhere in the region). */
  withholdInstanceType(type: string, zones?: string[]): void;
  /** A live stack by name, any stack by id, else the newest deleted stack of that name. */
  stack(nameOrId: string): FakeStack | undefined;
  /** Change sets not deleted, of the live stack of that name (or any stack by id), oldest first, as of `now()`. */
  changeSets(stackName: string): FakeChangeSet[];
  /** Accepted SignalResource calls, oldest first; with `stackName`, only that stack's (name or id). */
  signals(stackName?: string): FakeSignal[];
  /** Buckets that exist at `now()`, with their configuration. */
  buckets(): FakeBucket[];
  /** Objects of a bucket at `now()`, in key order. Throws for a bucket that does not exist. */
  objects(bucket: string): FakeObject[];
  /** Record sets of a zone (id with or without `/hostedzone/`) at `now()`, in Route 53's order. Throws for an unknown zone. */
  hostedZoneRecords(zoneId: string): FakeRecordSet[];
  /** Certificates in ACM at `now()`. */
  certificates(): FakeCertificate[];
  /** Every secret created by `now()`, deleted ones included (`deleted: true`). */
  secrets(): FakeSecret[];
  /** Instances not terminated at `now()`. */
  instanceCount(): number;
  /** PutMetricData data accepted so far, oldest first; with `namespace`, only that namespace's. */
  metrics(namespace?: string): FakeMetric[];
  /** A standard queue that exists from `now()` (SQS's default attributes unless given); returns its URL. */
  addQueue(name: string, attributes?: QueueSeed): string;
  /** A live queue by name, URL or ARN, with its messages at `now()`. Throws when there is none. */
  queue(nameOrUrl: string): FakeQueue;
  /** Sends a message at `now()` (long polls wake up); returns its id. */
  sendToQueue(nameOrUrl: string, body: string): string;
  /** A lifecycle hook of a live Auto Scaling group (a stack's, or a seeded stack's), from `now()`. */
  addLifecycleHook(groupName: string, def: LifecycleHookSeed): void;
  /**
   * A scale-in of one instance at `now()`: it goes to `Terminating:Wait` until CompleteLifecycleAction
   * or the heartbeat timeout, and Auto Scaling's `autoscaling:EC2_INSTANCE_TERMINATING` message goes to
   * `options.queue`, else to the hook's notification target when that is a queue of the fake. Returns
   * the action token.
   */
  startTermination(groupName: string, instanceId: string, options?: TerminationOptions): string;
  /** Sends Auto Scaling's `autoscaling:TEST_NOTIFICATION` for a group to a queue (name, URL or ARN). */
  sendTestNotification(queue: string, groupName: string): void;
  /** Lifecycle actions started so far, oldest first, as of `now()`. */
  lifecycleActions(): FakeLifecycleAction[];
}

const simulated = (logicalId: string, what: string): string =>
  `Resource handler returned message: "Simulated ${what} failure of ${logicalId}" (HandlerErrorCode: GeneralServiceException)`;

/** Starts a fake AWS endpoint. Close it when done. */
export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const world = new World({
    now: options.now ?? Date.now,
    region: options.region ?? 'eu-west-1',
    accountId: options.accountId ?? '123456789012',
    stepMs: options.stepMs ?? 20,
    ...(options.finalLagMs !== undefined ? { finalLagMs: options.finalLagMs } : {}),
    ...(options.eventTokens === false ? { eventTokens: false } : {}),
  });
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const server = await startServer(world, faults, requests, options.port ?? 0);
  const now = (): number => world.options.now();
  return {
    url: server.url,
    close: () => server.close(),
    requests,
    count: (match) => requests.filter((r) => matchesRequest(match, r.service, r.action)).length,
    resetRequests: () => void requests.splice(0),
    faults: {
      throttle: (count, match) => faults.add('throttle', count, match),
      serverError: (count, match) => faults.add('serverError', count, match),
      drop: (count, match) => faults.add('drop', count, match),
      latency: (ms) => void (faults.latencyMs = ms),
      denyAccess: (action) => void faults.denied.add(action),
      rejectCredentials: (key, code = 'InvalidClientTokenId') => void faults.rejectedKeys.set(key, code),
      clear: () => faults.clear(),
    },
    scenario: {
      failNextCreate: (logicalId, reason = simulated(logicalId, 'create')) => void (world.scenario.failCreate = { logicalId, reason }),
      failNextRollback: (logicalId) => void (world.scenario.failRollback = { logicalId }),
      failNextDelete: (logicalId, reason = simulated(logicalId, 'delete')) => void (world.scenario.failDelete = { logicalId, reason }),
      failNextUpdate: (logicalId, reason = simulated(logicalId, 'update')) => void (world.scenario.failUpdate = { logicalId, reason }),
    },
    addStack: (def) => seedStack(world, def),
    addImage: (def) => seedImage(world, def),
    addBucket: (def) => seedBucket(world, def),
    addHostedZone: (def) => seedZone(world, def),
    addCertificate: (def) => seedCertificate(world, def),
    addKeyPair: (name) => seedKeyPair(world, name),
    withholdInstanceType: (type, zones) => {
      const before = world.withheldTypes.get(type);
      const everywhere = !zones || (world.withheldTypes.has(type) && before === undefined);
      world.withheldTypes.set(type, everywhere ? undefined : [...(before ?? []), ...zones]);
    },
    stack: (nameOrId) => stackView(world, nameOrId, now()),
    changeSets: (stackName) => {
      const t = now();
      const stack = world.findStack(stackName, t);
      return world.changeSets.filter((cs) => cs.stack === stack).map((cs) => ({ id: cs.id, name: cs.name, status: changeSetStatus(cs, t), executionStatus: executionStatus(cs, t) }));
    },
    signals: (stackName) => signalsView(world, stackName),
    buckets: () => bucketsView(world, now()),
    objects: (bucket) => objectsView(world, bucket, now()),
    hostedZoneRecords: (zoneId) => recordsView(world, zoneId, now()),
    certificates: () => certificatesView(world, now()),
    secrets: () => secretsView(world, now()),
    instanceCount: () => {
      const t = now();
      return world.fleet.instancesAt(t).filter((i) => world.fleet.state(i, t) !== 'terminated').length;
    },
    metrics: (namespace) => metricsView(world, namespace),
    addQueue: (name, attributes) => seedQueue(world, name, attributes),
    queue: (nameOrUrl) => queueView(world, nameOrUrl, now()),
    sendToQueue: (nameOrUrl, body) => {
      const t = now();
      return enqueue(world, queueOrFail(world, nameOrUrl, t), body, t, world.options.accountId).id;
    },
    addLifecycleHook: (groupName, def) => seedHook(world, groupName, def),
    startTermination: (groupName, instanceId, options) => startTermination(world, groupName, instanceId, options),
    sendTestNotification: (queue, groupName) => sendTestNotification(world, queue, groupName),
    lifecycleActions: () => lifecycleActionsView(world, now()),
  };
}
