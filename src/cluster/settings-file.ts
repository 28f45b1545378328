import type { Problem } from './problems.js';
import type { ClusterSettings } from './settings.js';
import { CONFIG_KEYS, PATH_KEYS } from './setting-table.js';
import { suggest } from './suggest.js';

type Scalar = string | number | boolean;
/** A config value as the settings read it: a scalar, or a structured list (`streams:`, `cameras:`). */
type RawValue = Scalar | readonly unknown[];

/**
 * Turns a parsed config document into raw settings keyed by flag name. Lists become comma-separated
 * values; `tags` may be a mapping; `streams` and `cameras` pass through as the lists they are. Unknown keys and nested values are problems naming the key.
 * Pure: `resolvePath` maps a relative path in the file to one the process can open.
 */
export function configToRaw(doc: unknown, file: string, resolvePath: (p: string) => string): { raw: Record<string, RawValue>; problems: Problem[] } {
  const raw: Record<string, RawValue> = {};
  const problems: Problem[] = [];
  if (doc === null || doc === undefined) return { raw, problems };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { raw, problems: [{ flag: 'config', value: file, expected: 'expected a YAML mapping of flag names to values, e.g. "min-capacity: 2"' }] };
  }
  const known = new Set<string>(CONFIG_KEYS);
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    if (!known.has(key)) {
      const guess = suggest(key, CONFIG_KEYS);
      problems.push({ flag: 'config', value: `${file}: ${key}`, expected: guess ? `is not a setting; did you mean ${guess}?` : 'is not a setting; keys are long flag names such as min-capacity, ssl-cert, log-storage' });
      continue;
    }
    if ((key === 'streams' || key === 'cameras') && value !== null) {
      // Structured: a list of mappings, validated in settings.ts with every problem named (streams[1].url).
      raw[key] = Array.isArray(value) ? value : [value];
    } else if (key === 'tags' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      raw.tags = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${String(v)}`).join(',');
    } else if (Array.isArray(value) && value.every((v) => ['string', 'number'].includes(typeof v))) {
      raw[key] = value.join(',');
    } else if (['string', 'number', 'boolean'].includes(typeof value)) {
      raw[key] = PATH_KEYS.has(key) ? resolvePath(String(value)) : (value as Scalar);
    } else if (value !== null) {
      problems.push({ flag: 'config', value: `${file}: ${key}`, expected: 'expected a single value (a string, number or boolean), or a list' });
    }
  }
  return { raw, problems };
}

/**
 * The settings as a config file keyed by flag names (`min-capacity: 2`), the form `-f` reads.
 * `create --dry-run -o yaml` prints it. Secrets are never written: they stay where they were given.
 */
export function settingsToFlags(s: ClusterSettings): Record<string, RawValue> {
  const policy = (steps: ClusterSettings['scaleOut']) => steps.map((p) => `${p.threshold}=${p.percent}`).join(',');
  const tags = Object.entries(s.tags).map(([k, v]) => `${k}=${v}`).join(',');
  return {
    'stack-name': s.stackName,
    region: s.region,
    version: s.kmsVersion,
    'aws-instance-type': s.instanceType,
    'aws-app-instance-type': s.appInstanceType,
    'aws-instance-tenancy': s.tenancy,
    ...(s.keyName !== undefined ? { 'aws-key-name': s.keyName } : {}),
    'aws-s3-bucket-name': s.bucketName,
    'api-origin': s.apiOrigin.join(','),
    'control-origin': s.controlOrigin.join(','),
    ...(s.tls.kind === 'files' ? { 'ssl-cert': s.tls.certFile, 'ssl-key': s.tls.keyFile } : {}),
    ...(s.tls.kind === 'acm' ? { 'certificate-arn': s.tls.arn } : {}),
    ...(s.hostedZoneId !== undefined ? { 'hosted-zone-id': s.hostedZoneId } : {}),
    'desired-capacity': s.capacity.desired,
    'min-capacity': s.capacity.min,
    'max-capacity': s.capacity.max,
    'scale-out-policy': policy(s.scaleOut),
    'scale-in-policy': policy(s.scaleIn),
    'cost-map': Object.entries(s.costMap).map(([k, v]) => `${k}=${v}`).join(','),
    'log-storage': s.logStorage,
    ...(s.elasticsearch
      ? {
          'elasticsearch-transport': `${s.elasticsearch.host}:${s.elasticsearch.port}`,
          'elasticsearch-ssl': s.elasticsearch.ssl,
          ...(s.elasticsearch.user !== undefined ? { 'elasticsearch-user': s.elasticsearch.user } : {}),
        }
      : {}),
    'inspector-user': s.inspectorUser,
    'enable-turn': String(s.turn),
    'enable-app': s.apps.length === 0 ? 'none' : s.apps.join(','),
    // The stream URLs may hold credentials: they live in the cluster secret, never here (nor in the template).
    ...(s.streams.length > 0 ? { streams: s.streams.map((x) => ({ name: x.name, 'segment-seconds': x.segmentSeconds })) } : {}),
    ...(s.cameras.length > 0 ? { cameras: s.cameras.map((x) => ({ name: x.name, 'retention-days': x.retentionDays })) } : {}),
    'health-check-grace-period': s.healthCheckGracePeriod,
    'autoscaling-heartbeat-timeout': s.heartbeatTimeout,
    'session-reconnection-time': s.reconnectionTime,
    ...(tags ? { tags } : {}),
  };
}
