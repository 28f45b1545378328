/**
 * The inspector's two admin actions. Each returns what happened (the caller logs it with the user)
 * or throws: an {@link ActionError} when it cannot apply to its target, any other error when the
 * node or its agent failed.
 */
import type { Cluster } from '../cluster.js';
import { withSession } from './kms-session.js';
import { type ClusterViews, agentStatus } from './views.js';

/** An admin action that cannot run: 404 (no such target) or 409 (not possible for it). */
export class ActionError extends Error {
  constructor(readonly status: 404 | 409, message: string) {
    super(message);
  }
}

/** Kurento's `release` of a pipeline (every session's reference), on a short session of its node. */
export async function releasePipeline(views: ClusterViews, id: string): Promise<string> {
  const node = views.nodeOf(id);
  if (!node) throw new ActionError(404, `no node holds pipeline ${id}`);
  await withSession(node.address.kmsUrl, (k) => k.release(id));
  return `released on node ${node.id}`;
}

/**
 * Drains a node through its agent, with the message one agent hands another for a lifecycle
 * notification (`POST /drain`, src/node/agent/agent.ts): the node turns DRAINING and takes no new
 * pipeline; this controller stops placing on it at once.
 */
export async function drainNode(cluster: Cluster, id: string): Promise<string> {
  const node = cluster.nodes.get(id);
  if (!node) throw new ActionError(404, `no node ${id}`);
  const statusUrl = node.address.statusUrl;
  if (!statusUrl) throw new ActionError(409, `node ${id} has no agent to drain it`);
  const status = await agentStatus(statusUrl);
  if (!status?.instanceId) throw new Error(`the agent of node ${id} does not answer`);
  const res = await fetch(statusUrl.replace(/\/status$/, '/drain'), {
    method: 'POST',
    body: JSON.stringify({ EC2InstanceId: status.instanceId, LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING', Origin: 'inspector' }),
    signal: AbortSignal.timeout(3_000),
  });
  if (res.status !== 202) throw new Error(`the agent of node ${id} answered ${res.status}`);
  cluster.status(id, { state: 'DRAINING' });
  return 'draining';
}
