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
 * One round of the controller's upkeep: the node set, each node's state from its agent, and this
 * node's own drain. Run every 2 s by `elasticrtc-node controller`.
 */
export async function keepController(o: KeeperOptions): Promise<void> {
  const nodes = await o.nodes();
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
}

/** Keeps the controller until `signal` aborts; a failed round is logged and retried. */
export async function runKeeper(o: KeeperOptions, clock: Clock, signal?: AbortSignal): Promise<void> {
  while (!signal?.aborted) {
    await keepController(o).catch((e: unknown) => o.log?.(`nodes: ${e instanceof Error ? e.message : String(e)}`));
    await clock.sleep(2_000, signal);
  }
}
