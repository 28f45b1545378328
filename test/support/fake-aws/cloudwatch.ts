/**
 * CloudWatch metrics (JSON 1.0, `awsQueryCompatible`, target prefix
 * `GraniteServiceVersion20100801`): PutMetricData, checked like CloudWatch checks it and recorded
 * with the request time and the caller's access key id, and GetMetricStatistics over what was put.
 */
import { AwsError } from './errors.js';
import { epochSeconds, type JsonHandler, type JsonObject, type JsonServiceDef } from './protocol-json.js';

/** One datum of an accepted PutMetricData call. */
export interface MetricRecord {
  namespace: string;
  name: string;
  /** In the order given. */
  dimensions: Record<string, string>;
  /** `Value`; absent when the datum gave `Values` or `StatisticValues`. */
  value?: number;
  values?: number[];
  counts?: number[];
  statisticValues?: { sampleCount: number; sum: number; minimum: number; maximum: number };
  /** `None` when not given. */
  unit: string;
  /** The datum's `Timestamp`, else the request time (ms). */
  timestamp: number;
  /** 60 unless given (1: high resolution). */
  storageResolution: number;
  /** `now()` when the request arrived. */
  at: number;
  /** The caller's access key id (absent for unsigned requests). */
  accessKeyId?: string;
}

export const UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second',
  'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second',
  'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

const invalid = (message: string): AwsError => new AwsError('InvalidParameterValue', message);
const required = (name: string): AwsError => new AwsError('MissingParameter', `The parameter ${name} is required.`);
const combination = (message: string): AwsError => new AwsError('InvalidParameterCombination', message);
const isRecord = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const blank = (v: unknown): boolean => typeof v !== 'string' || v.trim() === '';
const LIMIT = 2 ** 360;
const DAY = 86_400_000;

/** A double as the SDK sends it (`NaN` and the infinities as strings); throws for values CloudWatch refuses. */
function number(v: unknown, param: string): number {
  const n = typeof v === 'number' ? v : Number.NaN;
  if (!Number.isFinite(n) || Math.abs(n) > LIMIT || (n !== 0 && Math.abs(n) < 1 / LIMIT)) throw invalid(`The value ${String(v)} for parameter ${param} is invalid.`);
  return n;
}

/** Milliseconds from an epoch-seconds number (what the SDK sends) or an ISO string. */
function timestampOf(v: unknown, param: string): number {
  const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? Date.parse(v) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(`The value ${String(v)} for parameter ${param} is invalid.`);
  return ms;
}

function datum(d: unknown, i: number, namespace: string, t: number, accessKeyId: string | undefined): MetricRecord {
  const p = `MetricData.member.${i}`;
  if (!isRecord(d)) throw required(p);
  if (blank(d.MetricName)) throw required(`${p}.MetricName`);
  const dims = Array.isArray(d.Dimensions) ? d.Dimensions : [];
  if (dims.length > 30) throw invalid(`The collection ${p}.Dimensions must not contain more than 30 items.`);
  const dimensions: Record<string, string> = {};
  dims.forEach((x: unknown, j) => {
    const dim = isRecord(x) ? x : {};
    if (blank(dim.Name)) throw required(`${p}.Dimensions.member.${j + 1}.Name`);
    if (blank(dim.Value)) throw required(`${p}.Dimensions.member.${j + 1}.Value`);
    dimensions[String(dim.Name)] = String(dim.Value);
  });
  const record: MetricRecord = { namespace, name: String(d.MetricName), dimensions, unit: 'None', timestamp: t, storageResolution: 60, at: t, ...(accessKeyId ? { accessKeyId } : {}) };
  if (d.Value !== undefined && d.Values !== undefined) throw invalid(`The parameters ${p}.Value and ${p}.Values are mutually exclusive and you have specified both.`);
  if (d.Value !== undefined && d.StatisticValues !== undefined) throw combination(`The parameters ${p}.Value and ${p}.StatisticValues are mutually exclusive and you have specified both.`);
  if (d.Value !== undefined) record.value = number(d.Value, `${p}.Value`);
  if (d.Values !== undefined) {
    const values = Array.isArray(d.Values) ? d.Values : [];
    if (values.length > 150) throw invalid(`The collection ${p}.Values must not contain more than 150 items.`);
    record.values = values.map((v: unknown) => number(v, `${p}.Values`));
    if (d.Counts !== undefined) {
      const counts = Array.isArray(d.Counts) ? d.Counts : [];
      if (counts.length !== values.length) throw invalid(`The parameters ${p}.Values and ${p}.Counts must be of the same size.`);
      record.counts = counts.map((c: unknown) => number(c, `${p}.Counts`));
    }
  }
  if (d.StatisticValues !== undefined) {
    const s = isRecord(d.StatisticValues) ? d.StatisticValues : {};
    for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum']) if (s[k] === undefined) throw required(`${p}.StatisticValues.${k}`);
    const [sampleCount, sum, minimum, maximum] = ['SampleCount', 'Sum', 'Minimum', 'Maximum'].map((k) => number(s[k], `${p}.StatisticValues.${k}`)) as [number, number, number, number];
    record.statisticValues = { sampleCount, sum, minimum, maximum };
  }
  if (d.Unit !== undefined) {
    if (typeof d.Unit !== 'string' || !UNITS.has(d.Unit)) throw invalid(`The value ${String(d.Unit)} for parameter ${p}.Unit is invalid.`);
    record.unit = d.Unit;
  }
  if (d.StorageResolution !== undefined) {
    if (d.StorageResolution !== 1 && d.StorageResolution !== 60) throw invalid(`The value ${String(d.StorageResolution)} for parameter ${p}.StorageResolution is invalid.`);
    record.storageResolution = d.StorageResolution;
  }
  if (d.Timestamp !== undefined) {
    const ts = timestampOf(d.Timestamp, `${p}.Timestamp`);
    if (ts < t - 14 * DAY) throw invalid(`The parameter ${p}.Timestamp must specify a time no more than two weeks in the past.`);
    if (ts > t + 2 * 3_600_000) throw invalid(`The parameter ${p}.Timestamp must specify a time no more than two hours in the future.`);
    record.timestamp = ts;
  }
  return record;
}

const putMetricData: JsonHandler = ({ input, t, world, accessKeyId }) => {
  if (blank(input.Namespace)) throw required('Namespace');
  const namespace = String(input.Namespace);
  if (namespace.startsWith('AWS/')) throw invalid('The value AWS/ for parameter Namespace is invalid.');
  if (namespace.length > 255 || namespace.startsWith(':')) throw invalid(`The value ${namespace} for parameter Namespace is invalid.`);
  const data = Array.isArray(input.MetricData) ? input.MetricData : [];
  if (!data.length) throw required('MetricData');
  if (data.length > 1000) throw invalid('The collection MetricData must not contain more than 1000 items.');
  const records = data.map((d: unknown, i) => datum(d, i + 1, namespace, t, accessKeyId));
  world.metrics.push(...records);
  return undefined;
};

/** Every sample a record stands for: `[value, count]` pairs, or its statistic set. */
function samples(r: MetricRecord): { n: number; sum: number; min: number; max: number } {
  if (r.statisticValues) return { n: r.statisticValues.sampleCount, sum: r.statisticValues.sum, min: r.statisticValues.minimum, max: r.statisticValues.maximum };
  const values = r.values ?? (r.value === undefined ? [] : [r.value]);
  const counts = r.counts ?? values.map(() => 1);
  const n = counts.reduce((a, b) => a + b, 0);
  const sum = values.reduce((a, v, i) => a + v * (counts[i] ?? 1), 0);
  return { n, sum, min: Math.min(...values), max: Math.max(...values) };
}

const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

const getMetricStatistics: JsonHandler = ({ input, world }) => {
  for (const k of ['Namespace', 'MetricName', 'StartTime', 'EndTime', 'Period']) if (input[k] === undefined) throw required(k);
  const stats = Array.isArray(input.Statistics) ? input.Statistics.map(String) : [];
  if (!stats.length && !Array.isArray(input.ExtendedStatistics)) throw combination('Must specify either Statistics or ExtendedStatistics');
  const unknown = stats.find((s) => !STATISTICS.includes(s));
  if (unknown) throw invalid(`The value ${unknown} for parameter Statistics is invalid.`);
  const start = timestampOf(input.StartTime, 'StartTime');
  const end = timestampOf(input.EndTime, 'EndTime');
  if (start >= end) throw invalid('The parameter StartTime must be less than the parameter EndTime.');
  const period = Number(input.Period);
  if (!Number.isInteger(period) || period < 1 || (period >= 60 ? period % 60 !== 0 : ![1, 5, 10, 30].includes(period))) throw invalid('The parameter Period must be a multiple of 60.');
  const wanted = Array.isArray(input.Dimensions) ? input.Dimensions.filter(isRecord).map((d) => [String(d.Name), String(d.Value)]) : [];
  const sameDimensions = (r: MetricRecord): boolean =>
    Object.keys(r.dimensions).length === wanted.length && wanted.every(([k, v]) => k !== undefined && r.dimensions[k] === v);
  const buckets = new Map<number, { n: number; sum: number; min: number; max: number; unit: string }>();
  for (const r of world.metrics) {
    if (r.namespace !== input.Namespace || r.name !== input.MetricName || !sameDimensions(r)) continue;
    if (input.Unit !== undefined && r.unit !== input.Unit) continue;
    if (r.timestamp < start || r.timestamp >= end) continue;
    const key = start + Math.floor((r.timestamp - start) / (period * 1000)) * period * 1000;
    const s = samples(r);
    if (s.n === 0) continue;
    const b = buckets.get(key) ?? { n: 0, sum: 0, min: Infinity, max: -Infinity, unit: r.unit };
    buckets.set(key, { n: b.n + s.n, sum: b.sum + s.sum, min: Math.min(b.min, s.min), max: Math.max(b.max, s.max), unit: b.unit });
  }
  const Datapoints = [...buckets.entries()].map(([ts, b]) => {
    const all: Record<string, number> = { SampleCount: b.n, Average: b.sum / b.n, Sum: b.sum, Minimum: b.min, Maximum: b.max };
    return { Timestamp: epochSeconds(ts), ...Object.fromEntries(stats.map((s) => [s, all[s]])), Unit: b.unit };
  });
  return { Label: String(input.MetricName), Datapoints };
};

/** The CloudWatch service (metrics only). */
export const cloudWatch: JsonServiceDef = {
  name: 'monitoring',
  targetPrefix: 'GraniteServiceVersion20100801',
  version: '1.0',
  faultStyle: 'query',
  serverErrorCode: 'InternalServiceError',
  queryCompatible: {
    namespace: 'com.amazonaws.cloudwatch',
    shapes: {
      InvalidParameterValue: 'InvalidParameterValueException',
      MissingParameter: 'MissingRequiredParameterException',
      InvalidParameterCombination: 'InvalidParameterCombinationException',
      InternalServiceError: 'InternalServiceFault',
    },
  },
  actions: { PutMetricData: putMetricData, GetMetricStatistics: getMetricStatistics },
};
