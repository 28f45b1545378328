import type { NodeAddress } from './cluster.js';

/** Ports of a node's pieces on the private network (templates/cluster.yaml opens them between nodes). */
export const NODE_PORTS = { controller: 8888, kms: 8889, agent: 8890 } as const;

/** A node's addresses from its private IPv4. */
export const nodeAddress = (id: string, privateIp: string, apiKey: string): NodeAddress => ({
  id,
  kmsUrl: `ws://${privateIp}:${NODE_PORTS.kms}/${apiKey}`,
  statusUrl: `http://${privateIp}:${NODE_PORTS.agent}/status`,
});

/** `--nodes URL,…` (KMS JSON-RPC URLs) with `--agents URL,…` (their agents' status URLs, same order, optional). */
export function staticNodes(nodes: string, agents?: string): NodeAddress[] {
  const urls = nodes.split(',').map((s) => s.trim()).filter(Boolean);
  const statuses = agents?.split(',').map((s) => s.trim()) ?? [];
  return urls.map((kmsUrl, i) => ({ id: kmsUrl.replace(/\/[^/]*$/, ''), kmsUrl, ...(statuses[i] ? { statusUrl: statuses[i] } : {}) }));
}

/** The running instances of the cluster's autoscaling group (EC2 DescribeInstances, by the group's tag). */
export async function groupNodes(region: string, groupName: string, apiKey: string): Promise<NodeAddress[]> {
  const { DescribeInstancesCommand, EC2Client } = await import('@aws-sdk/client-ec2');
  const ec2 = new EC2Client({ region, maxAttempts: 4 });
  const nodes: NodeAddress[] = [];
  let token: string | undefined;
  do {
    const out = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: 'tag:aws:autoscaling:groupName', Values: [groupName] },
          { Name: 'instance-state-name', Values: ['running'] },
        ],
        NextToken: token,
      }),
    );
    for (const r of out.Reservations ?? []) for (const i of r.Instances ?? []) if (i.InstanceId && i.PrivateIpAddress) nodes.push(nodeAddress(i.InstanceId, i.PrivateIpAddress, apiKey));
    token = out.NextToken;
  } while (token);
  return nodes;
}

/** Polls each node's agent for its state; a node whose agent does not answer goes stale (not placed on). */
export async function pollStatus(url: string, timeoutMs = 2_000): Promise<{ state: 'SERVING' | 'DRAINING' } | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { state?: unknown };
    return body.state === 'DRAINING' ? { state: 'DRAINING' } : body.state === 'SERVING' ? { state: 'SERVING' } : undefined;
  } catch {
    return undefined;
  }
}
