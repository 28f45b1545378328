/**
 * What an update changes, as `DescribeChangeSet` reports it. Kept simple on purpose:
 * - a resource is `Modify` when its properties (parameters resolved, references to other resources
 *   kept symbolic) differ; `Replacement` is `True` when a changed property is in the short
 *   per-type list of {@link replaces}, else `False`;
 * - a resource that `Ref`s a replaced resource, or `Fn::GetAtt`s any modified one (a launch
 *   template's `LatestVersionNumber`, say), is modified too (`Conditional` if that property would
 *   replace it, else `False`): so a change in launch template data modifies the launch template in
 *   place and rolls the Auto Scaling group that uses it;
 * - resources that are not in the new template are `Remove`d, new ones `Add`ed.
 */
import { validationError } from './errors.js';
import { replaces } from './resource-types.js';
import { StackEval, type ActiveResource } from './stack-eval.js';
import type { Stack, StackConfig } from './stack.js';
import type { World } from './world.js';

/** One resource change. */
export interface ResourceChange {
  action: 'Add' | 'Modify' | 'Remove';
  logicalId: string;
  type: string;
  physicalId?: string;
  replacement?: 'True' | 'False' | 'Conditional';
  /** Changed (or dependent) top-level properties. */
  properties: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resources referenced by a value: `Ref`s and `Fn::GetAtt`s (also inside `Fn::Sub`). */
function references(value: unknown, out: { refs: Set<string>; atts: Set<string> }): void {
  if (Array.isArray(value)) return value.forEach((v) => references(v, out));
  if (!isRecord(value)) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'Ref' && typeof v === 'string') out.refs.add(v);
    else if (k === 'Fn::GetAtt') out.atts.add(String(Array.isArray(v) ? v[0] : String(v).split('.')[0]));
    else if (k === 'Fn::Sub') {
      const text = String(Array.isArray(v) ? v[0] : v);
      for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const [id, attr] = (m[1] ?? '').split('.');
        if (id) (attr ? out.atts : out.refs).add(id);
      }
      if (Array.isArray(v)) references(v[1], out);
    } else references(v, out);
  }
}

/** A symbolic evaluation: resources resolve to markers so that only real changes show. */
function symbolic(world: World, stack: Stack, config: StackConfig): StackEval {
  const evaluation = new StackEval(world, stack, config);
  for (const id of Object.keys(config.template.Resources)) evaluation.physical.set(id, `{${id}}`);
  return evaluation;
}

/** Compares the live resources of `stack` at `t` with what `next` declares. */
export function diffStack(world: World, stack: Stack, t: number, next: StackConfig): ResourceChange[] {
  const live = new Map(stack.liveResources(t).map((r) => [r.logicalId, r]));
  const before = symbolic(world, stack, stack.config);
  const after = symbolic(world, stack, next);
  const wanted = after.resources();
  const changes = new Map<string, ResourceChange>();
  for (const r of wanted) {
    const current = live.get(r.logicalId);
    if (!current) {
      changes.set(r.logicalId, { action: 'Add', logicalId: r.logicalId, type: r.type, properties: [] });
      continue;
    }
    if (current.type !== r.type) throw validationError(`Update of resource type is not permitted. The new template modifies resource type of the following resources: [${r.logicalId}]`);
    const a = before.props(r.logicalId);
    const b = after.props(r.logicalId);
    const changed = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    if (changed.length) {
      const replacement = changed.some((p) => replaces(r.type, p)) ? 'True' : 'False';
      changes.set(r.logicalId, { action: 'Modify', logicalId: r.logicalId, type: r.type, physicalId: current.physicalId, replacement, properties: changed });
    }
  }
  propagate(wanted, next, live, changes);
  const keep = new Set(wanted.map((r) => r.logicalId));
  for (const r of live.values()) {
    if (!keep.has(r.logicalId)) changes.set(r.logicalId, { action: 'Remove', logicalId: r.logicalId, type: r.type, physicalId: r.physicalId, properties: [] });
  }
  return [...changes.values()];
}

function propagate(wanted: ActiveResource[], next: StackConfig, live: Map<string, { physicalId: string }>, changes: Map<string, ResourceChange>): void {
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of wanted) {
      let own = changes.get(r.logicalId);
      if (own?.action === 'Add') continue;
      for (const [prop, value] of Object.entries(next.template.Resources[r.logicalId]?.Properties ?? {})) {
        if (own?.properties.includes(prop)) continue;
        const found = { refs: new Set<string>(), atts: new Set<string>() };
        references(value, found);
        const hit = [...found.refs].some((id) => changes.get(id)?.replacement === 'True') || [...found.atts].some((id) => changes.get(id)?.action === 'Modify');
        if (!hit) continue;
        const replacement = replaces(r.type, prop) ? 'Conditional' : 'False';
        if (own) {
          own.properties.push(prop);
          if (own.replacement === 'False' && replacement === 'Conditional') own.replacement = replacement;
        } else {
          own = { action: 'Modify', logicalId: r.logicalId, type: r.type, physicalId: live.get(r.logicalId)?.physicalId, replacement, properties: [prop] };
          changes.set(r.logicalId, own);
        }
        grew = true;
      }
    }
  }
}
