import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../context.js';
import { Cluster } from '../controller/cluster.js';
import { NODE_PORTS } from '../controller/discovery.js';
import { kmsPipelines } from '../kms-rpc.js';
import type { AgentCloud, LifecycleAction } from './cloud.js';
import { drain, type DrainEnd } from './drain.js';

export interface AgentOptions {
  host: string;
  port: number;
  kmsUrl: string;
  cluster: string;
  group: string;
  hook: string;
  instanceId: string;
  heartbeatTimeoutS: number;
  costMap: Readonly<Record<string, number>>;
  queueUrl?: string;
  cloud: AgentCloud;
  clock: Clock;
  /** The node's own lifecycle state (IMDS `autoscaling/target-lifecycle-state`). */
  lifecycleState?: () => Promise<string | undefined>;
  /** Where another node's agent listens (forwarded lifecycle messages). */
  agentUrl?: (privateIp: string) => string;
  drainPollMs?: number;
  log?: (line: string) => void;
}

export interface NodeStatusReport {
  state: 'SERVING' | 'DRAINING';
  load: number;
  pipelines: number;
  cpus: number;
  instanceId: string;
  drain?: { startedAt: number; limitAt: number; end?: DrainEnd };
}

/** A lifecycle message of the drain queue (what Auto Scaling posts). */
interface LifecycleMessage {
  Event?: string;
  LifecycleTransition?: string;
  EC2InstanceId?: string;
  AutoScalingGroupName?: string;
  LifecycleHookName?: string;
}

/**
 * The node agent: serves the node's status to the controllers, publishes its load, and drains the
 * node when it is to be terminated (the hook's message on the queue, for any node, or the node's own
 * lifecycle state in IMDS), completing the lifecycle action exactly once.
 */
export class Agent {
  state: NodeStatusReport['state'] = 'SERVING';
  private readonly local: Cluster;
  private server: Server | undefined;
  private drained: Promise<DrainEnd> | undefined;
  private drainInfo: NodeStatusReport['drain'];
  port = 0;
  private stopped = false;

  constructor(private readonly o: AgentOptions) {
    this.local = new Cluster({ costMap: o.costMap, now: () => o.clock.now() });
  }

  async start(): Promise<void> {
    await this.local.setNodes([{ id: 'local', kmsUrl: this.o.kmsUrl }]);
    this.server = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/status') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(this.status()));
        return;
      }
      if (req.method === 'POST' && req.url === '/drain') {
        let body = '';
        req.on('data', (d) => (body += String(d)));
        req.on('end', () => {
          let msg: LifecycleMessage;
          try {
            msg = JSON.parse(body) as LifecycleMessage;
          } catch {
            res.writeHead(400).end();
            return;
          }
          if (msg.EC2InstanceId !== this.o.instanceId) {
            res.writeHead(409, { 'content-type': 'text/plain' }).end('not this node\n');
            return;
          }
          void this.beginDrain('forwarded lifecycle message');
          res.writeHead(202).end();
        });
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server?.listen(this.o.port, this.o.host, resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  status(): NodeStatusReport {
    const node = this.local.nodes.get('local');
    return {
      state: this.state,
      load: node?.load(this.o.costMap) ?? 0,
      pipelines: node?.pipelines.size ?? 0,
      cpus: node?.cpus ?? 0,
      instanceId: this.o.instanceId,
      ...(this.drainInfo ? { drain: this.drainInfo } : {}),
    };
  }

  /** One data point of `ElasticRTC/Load` (dimension `Cluster`), the node's load in percent. */
  async publish(): Promise<number> {
    const { load } = this.status();
    await this.o.cloud.putLoad(this.o.cluster, load);
    return load;
  }

  private action(instanceId = this.o.instanceId): LifecycleAction {
    return { group: this.o.group, hook: this.o.hook, instanceId };
  }

  /** Turns DRAINING and holds the lifecycle action until the last pipeline goes or the limit; once. */
  beginDrain(why: string): Promise<DrainEnd> {
    if (this.drained) return this.drained;
    this.state = 'DRAINING';
    const limitMs = this.o.heartbeatTimeoutS * 1000;
    const startedAt = this.o.clock.now();
    this.drainInfo = { startedAt, limitAt: startedAt + limitMs };
    this.o.log?.(`draining (${why})`);
    this.drained = drain(
      {
        pipelines: async () => (await kmsPipelines(this.o.kmsUrl)).length,
        heartbeat: () => this.o.cloud.heartbeat(this.action()),
        // A drain asked for by hand (the inspector) has no lifecycle action to complete: the node stays
        // DRAINING, empty, until the group terminates it or it restarts. Nothing to complete is not a crash.
        complete: () =>
          this.o.cloud.complete(this.action()).catch((e: unknown) => this.o.log?.(`drained; no lifecycle action to complete (${e instanceof Error ? e.message : String(e)}): the node stays DRAINING until it is terminated or restarted`)),
      },
      { limitMs, clock: this.o.clock, ...(this.o.drainPollMs ? { pollMs: this.o.drainPollMs } : {}), ...(this.o.log ? { log: this.o.log } : {}) },
    ).then((end) => {
      if (this.drainInfo) this.drainInfo.end = end;
      return end;
    });
    return this.drained;
  }

  /** Reads the queue once: this node's message starts its drain; another node's is handed to that node's agent. */
  async pollQueue(waitS = 20): Promise<void> {
    const url = this.o.queueUrl;
    if (!url) return;
    for (const m of await this.o.cloud.receive(url, waitS)) {
      let msg: LifecycleMessage;
      try {
        msg = JSON.parse(m.body) as LifecycleMessage;
      } catch {
        msg = {};
      }
      if (msg.Event === 'autoscaling:TEST_NOTIFICATION' || msg.LifecycleTransition !== 'autoscaling:EC2_INSTANCE_TERMINATING' || !msg.EC2InstanceId) {
        await this.o.cloud.remove(url, m.receipt);
        continue;
      }
      if (msg.EC2InstanceId === this.o.instanceId) void this.beginDrain('lifecycle message');
      else await this.handOver(msg);
      await this.o.cloud.remove(url, m.receipt);
    }
  }

  /** Another node's termination: its agent drains it; if it cannot be reached, it has nothing to drain. */
  private async handOver(msg: LifecycleMessage): Promise<void> {
    const id = msg.EC2InstanceId as string;
    const ip = await this.o.cloud.privateIp(id).catch(() => undefined);
    const url = ip ? (this.o.agentUrl ?? ((a) => `http://${a}:${NODE_PORTS.agent}`))(ip) : undefined;
    const delivered = url ? await fetch(`${url}/drain`, { method: 'POST', body: JSON.stringify(msg), signal: AbortSignal.timeout(3_000) }).then((r) => r.status === 202, () => false) : false;
    if (!delivered) {
      this.o.log?.(`the agent of ${id} cannot be reached: its lifecycle action completes now`);
      await this.o.cloud.complete(this.action(id)).catch(() => undefined);
    }
  }

  /** Checks the node's own lifecycle state: `Terminated` means the group is waiting for this node's drain. */
  async pollLifecycle(): Promise<void> {
    const state = await this.o.lifecycleState?.().catch(() => undefined);
    if (state === 'Terminated' || state?.startsWith('Terminating')) void this.beginDrain(`lifecycle state ${state}`);
  }

  /** Runs until stopped: status, the metric every 60 s, the lifecycle state every 5 s, the queue. */
  async run(): Promise<void> {
    let nextMetric = 0;
    const queue = (async () => {
      while (!this.stopped && this.o.queueUrl) await this.pollQueue().catch(() => this.o.clock.sleep(5_000));
    })();
    while (!this.stopped) {
      if (this.o.clock.now() >= nextMetric) {
        await this.publish().catch((e: unknown) => this.o.log?.(`metric: ${String(e)}`));
        nextMetric = this.o.clock.now() + 60_000;
      }
      await this.pollLifecycle();
      await this.o.clock.sleep(5_000);
    }
    await queue;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.local.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
