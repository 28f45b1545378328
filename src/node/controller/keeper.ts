import type { Clock } from '../context.js';
import type { NodeAddress } from './cluster.js';
import { pollStatus } from './discovery.js';
import type { Controller } from './server.js';

export interface KeeperOptions {
  controller: Controller;
  /** The nodes now (a static list, or the autoscaling group's). */
  nodes: () => Promise<NodeAddress[]>;
  /** This node's agent: when it drains, client sockets close with 1001 and resume elsewhere. */
  ownStatusUrl?: string;
  log?: (line: string) => void;
}

/**
 * One round of the controller's upkeep: the node set (`nodes` given, else asked for), each node's
 * state from its agent, and this node's own drain. Run every 2 s by `elasticrtc-node controller`.
 */
export async function keepController(o: KeeperOptions, known?: NodeAddress[]): Promise<NodeAddress[]> {
  const nodes = known ?? (await o.nodes());
  await o.controller.setNodes(nodes);
  await Promise.all(
    nodes.map(async (n) => {
      if (!n.statusUrl) return;
      const s = await pollStatus(n.statusUrl);
      if (s) o.controller.cluster.status(n.id, s);
    }),
  );
  if (o.ownStatusUrl && (await pollStatus(o.ownStatusUrl))?.state === 'DRAINING' && o.controller.sessions.size > 0) {
    o.log?.(`this node drains: ${o.controller.sessions.size} client(s) asked to resume elsewhere`);
    o.controller.closeClients(1001, 'node draining');
  }
  return nodes;
}

/** The node set is asked for every fifth round (10 s): on AWS it is a DescribeInstances call per node. */
const NODES_EVERY = 5;

/** Keeps the controller until `signal` aborts; a failed round is logged and retried. */
export async function runKeeper(o: KeeperOptions, clock: Clock, signal?: AbortSignal): Promise<void> {
  let known: NodeAddress[] | undefined;
  for (let round = 0; !signal?.aborted; round++) {
    try {
      known = await keepController(o, round % NODES_EVERY === 0 ? undefined : known);
    } catch (e) {
      o.log?.(`nodes: ${e instanceof Error ? e.message : String(e)}`);
      known = undefined;
    }
    await clock.sleep(2_000, signal);
  }
}
