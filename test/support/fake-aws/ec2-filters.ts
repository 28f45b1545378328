/** EC2 request filters (`Filter.N.Name` / `Filter.N.Value.M`, `*` and `?` wildcards) and zone names. */
import { AwsError } from './errors.js';
import { scalarList, structList, type Form } from './form.js';

/** One `Filter.N`. */
export interface Filter {
  name: string;
  values: string[];
}

/** The filters of a request. */
export function filters(params: Form): Filter[] {
  return structList(params, 'Filter').map((f) => ({ name: f.Name ?? '', values: scalarList(f, 'Value') }));
}

/** Whether a value matches any pattern (EC2 filter values accept `*` and `?`). */
export function matches(value: string | undefined, patterns: string[]): boolean {
  if (value === undefined) return false;
  return patterns.some((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(value));
}

/** `tag-key`, `tag-value` and `tag:Name` filters; `undefined` for other filters. */
export function tagFilter(f: Filter, tags: Record<string, string>): boolean | undefined {
  if (f.name === 'tag-key') return Object.keys(tags).some((k) => matches(k, f.values));
  if (f.name === 'tag-value') return Object.values(tags).some((v) => matches(v, f.values));
  if (f.name.startsWith('tag:')) return matches(tags[f.name.slice(4)], f.values);
  return undefined;
}

/** The error for a filter name the action does not know. */
export function invalidFilter(name: string): AwsError {
  return new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`);
}

/** Keeps the items every filter accepts; `field` gives an item's value for a filter name (`undefined`: unknown filter). */
export function applyFilters<T>(items: T[], fs: Filter[], field: (item: T, name: string) => string | undefined, tags?: (item: T) => Record<string, string>): T[] {
  return items.filter((item) =>
    fs.every((f) => {
      const byTag = tags ? tagFilter(f, tags(item)) : undefined;
      if (byTag !== undefined) return byTag;
      const value = field(item, f.name);
      if (value === undefined) throw invalidFilter(f.name);
      return matches(value, f.values);
    }),
  );
}

/** The region's three zones: `REGIONa/b/c` with ids like `euw1-az1`. */
export function availabilityZones(region: string): { name: string; id: string }[] {
  const [area = '', direction = '', n = ''] = region.split('-');
  return ['a', 'b', 'c'].map((z, i) => ({ name: region + z, id: `${area.slice(0, 2)}${direction.slice(0, 1)}${n}-az${i + 1}` }));
}
