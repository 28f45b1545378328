import type { AwsClients } from '../../aws/clients.js';
import type { StackDescription } from '../../aws/stack-api.js';
import type { CliContext } from '../../cli/context.js';
import { outputFormat } from '../../cli/global-options.js';
import { formatTable, formatTime, printResult, warn } from '../../cli/output.js';
import { toCliError } from '../../cli/report-error.js';
import { openAws } from '../../cli/session.js';
import { KMS_VERSION_TAG_KEY } from '../../cluster/render.js';
import { isCluster } from '../shared/cluster.js';
import type { ListOptions } from './command.js';

/** How many regions are listed at once with `--all-regions`. */
const REGION_CONCURRENCY = 4;

/** One row of `list` (`-o json` contract). */
export interface ClusterSummary {
  name: string;
  region: string;
  status: string;
  version: string | null;
  nodes: { desired: number | null; min: number | null; max: number | null };
  created: string;
  stackId: string;
}

const num = (v: string | undefined): number | null => (v !== undefined && /^\d+$/.test(v) ? Number(v) : null);

/** Summarises a stack; anything odd in a stack's data degrades to null rather than breaking the list. */
export function summarise(stack: StackDescription, region: string): ClusterSummary {
  return {
    name: stack.name,
    region,
    status: stack.status,
    version: stack.tags[KMS_VERSION_TAG_KEY] ?? null,
    nodes: { desired: num(stack.parameters.DesiredCapacity), min: num(stack.parameters.MinCapacity), max: num(stack.parameters.MaxCapacity) },
    created: new Date(Number.isFinite(stack.created) ? stack.created : 0).toISOString(),
    stackId: stack.id,
  };
}

async function clustersIn(aws: AwsClients, region: string): Promise<ClusterSummary[]> {
  const stacks = await aws.stacks();
  const found: ClusterSummary[] = [];
  for await (const page of stacks.pages()) {
    for (const stack of page) if (isCluster(stack)) found.push(summarise(stack, region));
  }
  return found;
}

/** Runs `work` over `items` with at most `limit` at once, keeping the input order in the result. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const nodesText = (n: ClusterSummary['nodes']): string => {
  if (n.desired === null) return '-';
  return n.min !== null && n.max !== null && n.min !== n.max ? `${n.desired} (${n.min}-${n.max})` : String(n.desired);
};

/** Lists clusters (stacks tagged `elasticrtc:cluster`): one DescribeStacks call per page of stacks. */
export async function runList(ctx: CliContext, opts: ListOptions): Promise<void> {
  const { aws, region } = await openAws(ctx, opts);
  const regions = opts['all-regions'] ? await (await aws.compute()).regions() : [region];
  const failures: { region: string; message: string }[] = [];
  const perRegion = await mapLimited(regions, REGION_CONCURRENCY, async (r) => {
    try {
      return await clustersIn(r === region ? aws : ctx.aws({ ...aws.target, region: r }), r);
    } catch (error) {
      if (!opts['all-regions']) throw error;
      const message = toCliError(error).message;
      failures.push({ region: r, message });
      warn(ctx.io, `could not list ${r}: ${message}`);
      return [];
    }
  });
  const clusters = perRegion.flat().sort((a, b) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name));
  const data = { clusters, ...(failures.length > 0 ? { failedRegions: failures } : {}) };
  if (clusters.length === 0 && outputFormat(opts) === 'text') {
    ctx.io.err.write(`no clusters in ${opts['all-regions'] ? 'any region' : region}\n`);
  }
  await printResult(ctx.io, outputFormat(opts), data, (d) =>
    d.clusters.length === 0
      ? ''
      : formatTable(
          ['NAME', ...(opts['all-regions'] ? ['REGION'] : []), 'STATUS', 'VERSION', 'NODES', 'CREATED'],
          d.clusters.map((c) => [c.name, ...(opts['all-regions'] ? [c.region] : []), c.status, c.version ?? '-', nodesText(c.nodes), formatTime(Date.parse(c.created), ctx.io.stdoutIsTty)]),
          ctx.io.stdoutIsTty,
        ),
  );
}
