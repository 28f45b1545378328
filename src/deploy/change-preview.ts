import type { ResourceChange } from '../aws/stack-api.js';
import { formatTable } from '../cli/output.js';

/** Changes that recycle media server nodes, dropping the sessions they hold. */
const RECYCLES_NODES = new Set(['NodeGroup', 'NodeLaunchTemplate']);

/** One row of the preview (`-o json` contract). */
export interface PreviewRow {
  action: string;
  resource: string;
  logicalId: string;
  replacement: 'yes' | 'no' | 'maybe';
  dropsSessions: boolean;
}

/** The change set as rows for people: what changes, what is replaced, which changes drop sessions. */
export function previewRows(changes: readonly ResourceChange[], labels: Readonly<Record<string, string>>): PreviewRow[] {
  return changes.map((c) => {
    const replacement = c.replacement === 'True' ? 'yes' : c.replacement === 'Conditional' ? 'maybe' : 'no';
    return {
      action: c.action.toLowerCase(),
      resource: labels[c.logicalId] ?? c.logicalId,
      logicalId: c.logicalId,
      replacement,
      dropsSessions: RECYCLES_NODES.has(c.logicalId) && c.action !== 'Add',
    };
  });
}

/** The preview table, on stderr, with the warning that matters most first. */
export function renderPreview(rows: readonly PreviewRow[], tty: boolean): string {
  const table = formatTable(
    ['ACTION', 'RESOURCE', 'REPLACED', 'NOTE'],
    rows.map((r) => [r.action, `${r.resource} (${r.logicalId})`, r.replacement, r.dropsSessions ? 'nodes recycled: their sessions are dropped' : '']),
    tty,
  );
  const warning = rows.some((r) => r.dropsSessions) ? '\nwarning: media server nodes will be replaced one by one; sessions on each node are dropped when it goes.\n' : '\n';
  return `${table}${warning}`;
}

/** The confirmation: `Apply this change to cluster demo in account 123456789012, eu-west-1?`, `Apply these 3 changes…`. */
export function applyQuestion(count: number, cluster: string, where: string): string {
  const what = count === 1 ? 'this change' : `these ${count} changes`;
  return `Apply ${what} to cluster ${cluster}${where ? ` ${where}` : ''}?`;
}
