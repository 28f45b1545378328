import type { ClusterSettings } from './settings.js';

/**
 * The settings as a config file keyed by long flag names (`min-capacity: 2`), the form `-f` reads.
 * `create --dry-run -o yaml` prints it. Secrets are never written here.
 */
export function settingsToFlags(s: ClusterSettings): Record<string, string | number> {
  const tags = Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    'stack-name': s.stackName,
    region: s.region,
    version: s.kmsVersion,
    'aws-instance-type': s.instanceType,
    'desired-capacity': s.capacity.desired,
    'min-capacity': s.capacity.min,
    'max-capacity': s.capacity.max,
    ...(s.keyName !== undefined ? { 'aws-key-name': s.keyName } : {}),
    'api-origin': s.apiOrigin.join(','),
    'control-origin': s.controlOrigin.join(','),
    ...(tags ? { tags } : {}),
  };
}
