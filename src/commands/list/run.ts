import type { AwsClients } from '../../aws/clients.js';
import type { StackDescription } from '../../aws/stack-api.js';
import type { CliContext } from '../../cli/context.js';
import { outputFormat } from '../../cli/global-options.js';
import { formatTable, formatTime, note, printResult, warn } from '../../cli/output.js';
import { toCliError } from '../../cli/report-error.js';
import { openAws } from '../../cli/auth/session.js';
import { checkStackName } from '../../cluster/naming.js';
import { KMS_VERSION_TAG_KEY } from '../../cluster/render.js';
import { isCluster } from '../../deploy/cluster.js';
import { secretName } from '../../deploy/cluster-secret.js';
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

/**
 * A cluster whose stack is gone but whose secret is still there (a deletion nobody followed to its
 * end): `elasticrtc delete --stack-name <name>` removes it (`-o json` contract).
 */
export interface ClusterLeftover {
  name: string;
  region: string;
  secret: string;
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

const SECRET_PREFIX = secretName('');

/**
 * The names of the clusters that have a secret (`elasticrtc/<name>`) in the region: one ListSecrets
 * call (per 100 such secrets). Undefined, with a warning, when Secrets Manager could not be read.
 */
async function secretOwners(aws: AwsClients, region: string, io: CliContext['io']): Promise<string[] | undefined> {
  try {
    const names = await (await aws.secrets()).names(SECRET_PREFIX);
    return names.map((n) => n.slice(SECRET_PREFIX.length)).filter((n) => checkStackName(n).length === 0);
  } catch (error) {
    warn(io, `could not look for what deleted clusters left in ${region}: ${toCliError(error).message}`);
    return undefined;
  }
}

/**
 * Secrets of clusters whose stack is gone. Certificates are not looked for here (that costs a call per
 * certificate in the region): `show --stack-name <name>` names them.
 */
const leftoversOf = (owners: readonly string[], clusters: readonly ClusterSummary[], region: string): ClusterLeftover[] => {
  const live = new Set(clusters.map((c) => c.name));
  return owners.filter((n) => !live.has(n)).map((name) => ({ name, region, secret: secretName(name) }));
};

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

/**
 * Lists clusters (stacks tagged `elasticrtc:cluster`): one DescribeStacks call per page of stacks, and
 * one ListSecrets call for the secrets deleted clusters left behind.
 */
export async function runList(ctx: CliContext, opts: ListOptions): Promise<void> {
  const { aws, region } = await openAws(ctx, opts);
  const regions = opts['all-regions'] ? await (await aws.compute()).regions() : [region];
  const failures: { region: string; message: string }[] = [];
  const perRegion = await mapLimited(regions, REGION_CONCURRENCY, async (r) => {
    const regional = r === region ? aws : ctx.aws({ ...aws.target, region: r });
    const owners = secretOwners(regional, r, ctx.io); // at the same time as the stacks; never rejects
    let clusters: ClusterSummary[];
    try {
      clusters = await clustersIn(regional, r);
    } catch (error) {
      if (!opts['all-regions']) throw error;
      const message = toCliError(error).message;
      failures.push({ region: r, message });
      warn(ctx.io, `could not list ${r}: ${message}`);
      await owners;
      return { clusters: [], leftovers: [] };
    }
    return { clusters, leftovers: leftoversOf((await owners) ?? [], clusters, r) };
  });
  const byRegionAndName = (a: { region: string; name: string }, b: { region: string; name: string }) => a.region.localeCompare(b.region) || a.name.localeCompare(b.name);
  const clusters = perRegion.flatMap((p) => p.clusters).sort(byRegionAndName);
  const leftovers = perRegion.flatMap((p) => p.leftovers).sort(byRegionAndName);
  const data = { clusters, leftovers, ...(failures.length > 0 ? { failedRegions: failures } : {}) };
  if (outputFormat(opts) === 'text') {
    if (clusters.length === 0) ctx.io.err.write(`no clusters in ${opts['all-regions'] ? 'any region' : region}\n`);
    for (const l of leftovers) {
      note(ctx.io, `note: cluster ${l.name} (${l.region}) is gone but left its secret ${l.secret}; remove it with: elasticrtc delete --stack-name ${l.name} --region ${l.region}`);
    }
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
