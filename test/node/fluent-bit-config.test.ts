/**
 * fluent-bit's YAML as fluent-bit 3.2 reads it (src/config_format/flb_cf_yaml.c, the plugins' config
 * maps): sections `service` and `pipeline` (inputs, outputs), every entry named, values read as raw
 * text (so booleans must be on/off/true/false/yes/no, never 1/0 or null), and only properties the
 * plugin declares (fluent-bit stops at start-up on an unknown one). The property lists below are the
 * config maps of plugins/in_systemd/systemd.c, plugins/out_cloudwatch_logs/cloudwatch_logs.c,
 * plugins/out_s3/s3.c and plugins/out_es/es.c at v3.2.10, plus the properties every input or output takes.
 * The generated files were also started with a real fluent-bit 3.2.10 by hand (docs/node.md).
 */
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { nodeFiles } from '../../src/node/config/files.js';
import { testSecret, nodeInputs } from '../support/node-inputs.js';

const COMMON_INPUT = ['name', 'tag', 'alias', 'log_level', 'mem_buf_limit', 'storage.type', 'threaded'];
const COMMON_OUTPUT = ['name', 'match', 'match_regex', 'alias', 'log_level', 'host', 'port', 'retry_limit', 'tls', 'workers', 'storage.total_limit_size'];
const PLUGINS: Record<string, { kind: 'input' | 'output'; properties: string[]; booleans: string[]; required: string[] }> = {
  systemd: { kind: 'input', properties: ['path', 'systemd_filter', 'systemd_filter_type', 'read_from_tail', 'db', 'db.sync', 'strip_underscores', 'lowercase', 'max_fields', 'max_entries'], booleans: ['read_from_tail', 'strip_underscores', 'lowercase'], required: [] },
  cloudwatch_logs: { kind: 'output', properties: ['region', 'log_group_name', 'log_stream_name', 'log_stream_prefix', 'auto_create_group', 'endpoint', 'log_key', 'log_format', 'role_arn', 'log_retention_days'], booleans: ['auto_create_group'], required: ['region', 'log_group_name'] },
  s3: { kind: 'output', properties: ['bucket', 'region', 's3_key_format', 'total_file_size', 'upload_timeout', 'use_put_object', 'compression', 'store_dir', 'upload_chunk_size', 'content_type', 'storage_class'], booleans: ['use_put_object'], required: ['bucket'] },
  es: { kind: 'output', properties: ['http_user', 'http_passwd', 'logstash_format', 'logstash_prefix', 'suppress_type_name', 'replace_dots', 'index', 'type'], booleans: ['logstash_format', 'suppress_type_name', 'replace_dots', 'tls'], required: ['host'] },
};
const BOOLEAN = /^(on|off|true|false|yes|no)$/i;

/** Problems fluent-bit would stop at, for the YAML text. */
function fluentBitProblems(text: string): string[] {
  const problems: string[] = [];
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return doc.errors.map((e) => e.message);
  const root = doc.toJS() as Record<string, unknown>;
  for (const key of Object.keys(root)) if (!['service', 'pipeline', 'env', 'includes', 'parsers'].includes(key)) problems.push(`unknown section ${key}`);
  const service = (root.service ?? {}) as Record<string, unknown>;
  if (!(Number(service.flush) > 0)) problems.push('service.flush must be above 0');
  const pipeline = (root.pipeline ?? {}) as Record<string, unknown>;
  for (const [section, kind] of [['inputs', 'input'], ['outputs', 'output']] as const) {
    for (const entry of (pipeline[section] ?? []) as Record<string, unknown>[]) {
      const name = String(entry.name ?? '');
      const plugin = PLUGINS[name];
      if (!plugin || plugin.kind !== kind) {
        problems.push(`${section}: no ${kind} plugin named ${name}`);
        continue;
      }
      const allowed = [...(kind === 'input' ? COMMON_INPUT : COMMON_OUTPUT), ...plugin.properties];
      for (const [k, v] of Object.entries(entry)) {
        if (!allowed.includes(k)) problems.push(`${name}: unknown configuration property '${k}'`);
        if (v === null || (typeof v === 'object' && !Array.isArray(v))) problems.push(`${name}.${k}: not a scalar`);
        if (plugin.booleans.includes(k) && !BOOLEAN.test(String(v))) problems.push(`${name}.${k}: ${String(v)} is not a boolean fluent-bit reads`);
      }
      for (const k of plugin.required) if (entry[k] === undefined) problems.push(`${name}: ${k} is required`);
      if (kind === 'output' && entry.match === undefined) problems.push(`${name}: no match`);
    }
  }
  return problems;
}

const yamlOf = (env: Record<string, string>, secret = testSecret()) => nodeFiles(nodeInputs(env, secret)).find((f) => f.path === 'fluent-bit/fluent-bit.yaml')?.content;

describe('fluent-bit configuration', () => {
  it('catches what fluent-bit refuses', () => {
    expect(fluentBitProblems('service:\n  flush: 0\npipeline:\n  outputs:\n    - name: cloudwatch_logs\n      match: x\n      log_groop_name: g\n      auto_create_group: 1\n')).toEqual([
      'service.flush must be above 0',
      "cloudwatch_logs: unknown configuration property 'log_groop_name'",
      'cloudwatch_logs.auto_create_group: 1 is not a boolean fluent-bit reads',
      'cloudwatch_logs: region is required',
      'cloudwatch_logs: log_group_name is required',
    ]);
  });

  it.each([['cloudwatch'], ['s3'], ['elasticsearch']])('is valid for --log-storage %s', (storage) => {
    const text = yamlOf({ LOG_STORAGE: storage, ES_HOST: 'es.example.com', ES_USER: 'elastic', ES_SSL: 'true' });
    expect(text).toBeDefined();
    expect(fluentBitProblems(text ?? '')).toEqual([]);
  });

  it('ships each stream of the node to CloudWatch under its instance', () => {
    const doc = parseDocument(yamlOf({}) ?? '').toJS() as { pipeline: { inputs: Record<string, string>[]; outputs: Record<string, string>[] } };
    expect(doc.pipeline.inputs.map((i) => [i.tag, i.systemd_filter])).toEqual([
      ['media-server', 'CONTAINER_NAME=kms'],
      ['turn', '_SYSTEMD_UNIT=elasticrtc-turn.service'],
      ['controller', '_SYSTEMD_UNIT=elasticrtc-controller.service'],
      ['agent', '_SYSTEMD_UNIT=elasticrtc-agent.service'],
    ]);
    expect(doc.pipeline.outputs.map((o) => [o.match, o.log_group_name, o.log_stream_name])).toEqual([
      ['media-server', '/elasticrtc/demo', 'media-server/i-0123456789abcdef0'],
      ['turn', '/elasticrtc/demo', 'turn/i-0123456789abcdef0'],
      ['controller', '/elasticrtc/demo', 'controller/i-0123456789abcdef0'],
      ['agent', '/elasticrtc/demo', 'agent/i-0123456789abcdef0'],
    ]);
  });

  it('writes S3 logs under log/<stream>/date/ with the instance in the name', () => {
    const doc = parseDocument(yamlOf({ LOG_STORAGE: 's3' }) ?? '').toJS() as { pipeline: { outputs: Record<string, string>[] } };
    expect(doc.pipeline.outputs[0]).toMatchObject({ bucket: 'eu-west-1-demo', region: 'eu-west-1', s3_key_format: '/log/$TAG/%Y/%m/%d/i-0123456789abcdef0-%H%M%S-$UUID.gz', compression: 'gzip' });
  });

  it('keeps the Elasticsearch password out of the file: it reaches fluent-bit as a variable, verbatim', () => {
    const password = 'p\\a$${x}ss\\\\"\'';
    const secret = { ...testSecret(), elasticsearchPassword: password };
    const files = nodeFiles(nodeInputs({ LOG_STORAGE: 'elasticsearch', ES_HOST: 'es.example.com', ES_USER: 'elastic' }, secret));
    const yaml = files.find((f) => f.path === 'fluent-bit/fluent-bit.yaml')?.content ?? '';
    expect(yaml).not.toContain(password);
    expect(yaml).toContain('http_passwd: ${ES_PASSWORD}');
    const env = files.find((f) => f.path === 'logs.env');
    // docker --env-file takes each line literally: no quotes, no escapes, no expansion.
    expect(env).toMatchObject({ content: `ES_PASSWORD=${password}\n`, mode: 0o600 });
  });

  it('has no shipper for --log-storage none', () => {
    const files = nodeFiles(nodeInputs({ LOG_STORAGE: 'none' }));
    expect(files.filter((f) => f.path.includes('fluent-bit') || f.path.includes('logs'))).toEqual([]);
  });
});
