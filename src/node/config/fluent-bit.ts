import { stringify } from 'yaml';
import type { NodeSettings } from '../node-settings.js';

/** A fluent-bit plugin section: its name and properties, keys as fluent-bit spells them. */
export interface FluentBitPlugin {
  name: string;
  [property: string]: string | number | undefined;
}

/** fluent-bit's YAML configuration (the `service` and `pipeline` sections). */
export interface FluentBitConfig {
  service: Record<string, string | number>;
  pipeline: { inputs: FluentBitPlugin[]; outputs: FluentBitPlugin[] };
}

/** A log stream of the node: its fluent-bit tag and the journal entries that feed it. */
export interface LogSource {
  stream: 'media-server' | 'turn' | 'controller' | 'agent';
  /** A journal match, `FIELD=value`. */
  match: string;
}

/** Where the journal is inside the shipper's container (mounted from the host). */
export const JOURNAL_PATH = '/var/log/journal';
/** Read positions survive a restart, so nothing is shipped twice and nothing is skipped. */
export const FLUENT_BIT_STATE_DIR = '/var/lib/elasticrtc/fluent-bit';
/** The Elasticsearch password reaches fluent-bit as this environment variable, never in the file. */
export const ES_PASSWORD_VARIABLE = 'ES_PASSWORD';

function outputs(s: NodeSettings, instanceId: string, streams: readonly LogSource['stream'][]): FluentBitPlugin[] {
  switch (s.logStorage) {
    case 'cloudwatch':
      return streams.map((stream) => ({
        name: 'cloudwatch_logs',
        match: stream,
        region: s.region,
        log_group_name: `/elasticrtc/${s.stackName}`,
        log_stream_name: `${stream}/${instanceId}`,
        auto_create_group: 'false',
      }));
    case 's3':
      return [
        {
          name: 's3',
          match: '*',
          bucket: s.bucket,
          region: s.region,
          s3_key_format: `/log/$TAG/%Y/%m/%d/${instanceId}-%H%M%S-$UUID.gz`,
          compression: 'gzip',
          use_put_object: 'on',
          total_file_size: '50M',
          upload_timeout: '5m',
          store_dir: `${FLUENT_BIT_STATE_DIR}/s3`,
        },
      ];
    case 'elasticsearch': {
      const es = s.elasticsearch;
      if (!es) throw new Error('elasticsearch log storage without a host');
      return [
        {
          name: 'es',
          match: '*',
          host: es.host,
          port: es.port,
          tls: es.ssl ? 'on' : 'off',
          ...(es.user !== undefined ? { http_user: es.user, http_passwd: `\${${ES_PASSWORD_VARIABLE}}` } : {}),
          logstash_format: 'on',
          logstash_prefix: 'kurento',
          suppress_type_name: 'on',
          replace_dots: 'on',
        },
      ];
    }
    case 'none':
      return [];
  }
}

/**
 * The shipper's configuration: one journal input per stream (tagged with the stream's name), and the
 * outputs of `--log-storage`. Undefined for `none` (logs stay in the node's journal).
 */
export function fluentBitConfig(s: NodeSettings, instanceId: string, sources: readonly LogSource[]): FluentBitConfig | undefined {
  if (s.logStorage === 'none') return undefined;
  return {
    service: { flush: 5, log_level: 'warn', 'storage.path': `${FLUENT_BIT_STATE_DIR}/buffer` },
    pipeline: {
      inputs: sources.map((src) => ({
        name: 'systemd',
        tag: src.stream,
        path: JOURNAL_PATH,
        systemd_filter: src.match,
        read_from_tail: 'on',
        strip_underscores: 'on',
        db: `${FLUENT_BIT_STATE_DIR}/${src.stream}.db`,
        'storage.type': 'filesystem',
      })),
      outputs: outputs(s, instanceId, sources.map((src) => src.stream)),
    },
  };
}

/** The YAML text fluent-bit reads (`fluent-bit -c fluent-bit.yaml`). */
export const fluentBitYaml = (c: FluentBitConfig): string => stringify(c, { lineWidth: 0 });
