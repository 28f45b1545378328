import { randomUUID } from 'node:crypto';
import type { Cluster, ClusterNode } from './cluster.js';
import { type RpcRequest, type RpcResponse, SERVER_MANAGER, errorResponse } from './protocol.js';
import type { ClientSession } from './session.js';

const SUMMED = new Set(['getCpuCount', 'getUsedMemory']);
const CONCATENATED = new Set(['getPipelines', 'getSessions']);

const value = (r: RpcResponse | undefined): unknown => r?.result?.value;

/**
 * `manager_ServerManager` as one cluster-wide object: its description answered here, lists
 * concatenated and counts summed over the nodes, CPU use averaged, its events subscribed on every
 * node (those that join later too), anything else from any node.
 */
export async function serverManager(session: ClientSession, req: RpcRequest, cluster: Cluster): Promise<void> {
  const id = req.id ?? null;
  const v = session.sessionId ?? (typeof req.params?.sessionId === 'string' ? req.params.sessionId : undefined) ?? randomUUID();
  session.sessionId ??= v;
  const p = req.params ?? {};
  const nodes = cluster.up();
  const ok = (result: unknown) => session.respond({ jsonrpc: '2.0', id, result: { value: result, sessionId: v } });
  if (nodes.length === 0) return session.respond(errorResponse(id, 49002, 'no media server is reachable'));
  const onAll = (method: string, params: Record<string, unknown>) => Promise.all(nodes.map((n) => session.own(n, method, params).then((r) => [n, r] as [ClusterNode, RpcResponse])));

  switch (req.method) {
    case 'describe':
      return session.respond({ jsonrpc: '2.0', id, result: { type: 'ServerManager', hierarchy: ['kurento.MediaObject'], qualifiedType: 'kurento.ServerManager', sessionId: v } });
    case 'subscribe': {
      const type = String(p.type ?? '');
      const answers = await onAll('subscribe', { object: SERVER_MANAGER, type });
      const failed = answers.find(([, r]) => r.error);
      if (failed) return session.respond({ ...failed[1], id });
      const subId = `${SERVER_MANAGER}/${randomUUID()}`;
      session.subscriptions.set(subId, { type, perNode: new Map(answers.map(([n, r]) => [n.id, String(value(r))])) });
      return ok(subId);
    }
    case 'unsubscribe': {
      const sub = session.subscriptions.get(String(p.subscription ?? ''));
      if (!sub) return session.respond(errorResponse(id, 40101, `Subscription '${String(p.subscription)}' not found`, 'MEDIA_OBJECT_NOT_FOUND'));
      session.subscriptions.delete(String(p.subscription));
      await Promise.all(nodes.filter((n) => sub.perNode.has(n.id)).map((n) => session.own(n, 'unsubscribe', { object: SERVER_MANAGER, subscription: sub.perNode.get(n.id) })));
      return ok(undefined);
    }
    case 'invoke': {
      const operation = String(p.operation ?? '');
      if (CONCATENATED.has(operation)) {
        // Read on the controller's own connections: nothing is referenced in the client's session.
        const lists = await Promise.all(nodes.map((n) => n.control?.request('invoke', { object: SERVER_MANAGER, operation, operationParams: {} })));
        const ownSessions = new Set(nodes.map((n) => n.controlSession));
        // KMS's getSessions lists N empty strings before the N ids (MediaSet.cpp): they are dropped,
        // and so is this controller's own session on each node.
        const merged = lists.flatMap((r) => (Array.isArray(value(r)) ? (value(r) as unknown[]) : [])).filter((x) => typeof x === 'string' && x !== '' && !ownSessions.has(x));
        return ok(operation === 'getSessions' ? [...new Set(merged)] : merged);
      }
      if (SUMMED.has(operation)) {
        const answers = await onAll('invoke', { object: SERVER_MANAGER, operation, operationParams: p.operationParams ?? {} });
        return ok(answers.reduce((sum, [, r]) => sum + (Number(value(r)) || 0), 0));
      }
      if (operation === 'getUsedCpu') {
        const answers = await onAll('invoke', { object: SERVER_MANAGER, operation, operationParams: p.operationParams ?? {} });
        const values = answers.map(([, r]) => Number(value(r)) || 0);
        return ok(values.reduce((a, b) => a + b, 0) / values.length);
      }
      const node = nodes[0] as ClusterNode;
      const answer = await session.own(node, 'invoke', { ...p });
      return session.respond({ ...answer, id });
    }
    default: {
      const node = nodes[0] as ClusterNode;
      const answer = await session.own(node, req.method, { ...p });
      return session.respond({ ...answer, id });
    }
  }
}
