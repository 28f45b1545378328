/**
 * Everything the fake knows: options, stacks, change sets, resource signals, instances, images,
 * buckets and their policies, hosted zones, certificates, secrets, key pairs, metrics, queues,
 * lifecycle hooks and actions, and test scenarios.
 */
import type { CertificateRecord, CertificateUse } from './acm-certs.js';
import type { ChangeSet } from './change-set-model.js';
import type { SignalRecord } from './cloudformation-signals.js';
import type { MetricRecord } from './cloudwatch.js';
import type { KeyPairRecord } from './ec2-offerings.js';
import { Fleet, type InstanceTermination } from './fleet.js';
import type { HookRecord } from './lifecycle.js';
import type { ZoneRecord } from './route53-zones.js';
import type { BucketRecord } from './s3-buckets.js';
import type { BucketPolicyRecord } from './s3-model.js';
import type { SecretRecord } from './secrets.js';
import type { Poller, QueueRecord } from './sqs-queues.js';
import type { Stack } from './stack.js';

/** Settings every service reads. */
export interface WorldOptions {
  now: () => number;
  region: string;
  accountId: string;
  stepMs: number;
  /** Gap before an operation's final stack event; default `stepMs`. */
  finalLagMs?: number;
  /** False: stack events carry no `ClientRequestToken` (as some emulators answer); default true. */
  eventTokens?: boolean;
}

/** An AMI registered with `addImage`. */
export interface ImageRecord {
  imageId: string;
  name: string;
  tags: Record<string, string>;
  ownerId: string;
  creationDate: number;
}

/** Failures armed for the next operations (each is used once). */
export interface Scenario {
  failCreate?: { logicalId: string; reason: string };
  failRollback?: { logicalId: string };
  failDelete?: { logicalId: string; reason: string };
  failUpdate?: { logicalId: string; reason: string };
}

/** The shared state behind every service. */
export class World {
  readonly stacks: Stack[] = [];
  readonly changeSets: ChangeSet[] = [];
  readonly images: ImageRecord[] = [];
  readonly buckets: BucketRecord[] = [];
  readonly bucketPolicies: BucketPolicyRecord[] = [];
  /** Accepted SignalResource calls, oldest first. */
  readonly signals: SignalRecord[] = [];
  readonly zones: ZoneRecord[] = [];
  readonly certificates: CertificateRecord[] = [];
  readonly certificateUses: CertificateUse[] = [];
  readonly secrets: SecretRecord[] = [];
  readonly keyPairs: KeyPairRecord[] = [];
  /** Accepted PutMetricData data, oldest first. */
  readonly metrics: MetricRecord[] = [];
  readonly queues: QueueRecord[] = [];
  /** SQS long polls waiting for a message. */
  readonly pollers = new Set<Poller>();
  readonly lifecycleHooks: HookRecord[] = [];
  /** Lifecycle actions started by `startTermination`, oldest first. */
  readonly lifecycleActions: InstanceTermination[] = [];
  /** The endpoint's URL (`http://127.0.0.1:PORT`), known once it listens: queue URLs use it. */
  endpointUrl = 'http://127.0.0.1';
  /** Instance types taken away by `withholdInstanceType`: from the given zones, or (`undefined`) everywhere. */
  readonly withheldTypes = new Map<string, string[] | undefined>();
  readonly fleet: Fleet;
  readonly scenario: Scenario = {};
  private seq = 0;

  constructor(readonly options: WorldOptions) {
    this.fleet = new Fleet(options.region, options.stepMs);
  }

  /** A number that grows with every call. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** By id: any stack, deleted ones included. By name: the live stack of that name at `t`. */
  findStack(nameOrId: string, t: number): Stack | undefined {
    if (nameOrId.startsWith('arn:')) return this.stacks.find((s) => s.id === nameOrId);
    return this.stacks.find((s) => s.name === nameOrId && s.isLive(t));
  }

  /** Like {@link findStack}, or else the newest deleted stack of that name (for test assertions). */
  findAnyStack(nameOrId: string, t: number): Stack | undefined {
    const found = this.findStack(nameOrId, t);
    if (found) return found;
    for (let i = this.stacks.length - 1; i >= 0; i--) {
      const s = this.stacks[i];
      if (s && s.name === nameOrId) return s;
    }
    return undefined;
  }
}
