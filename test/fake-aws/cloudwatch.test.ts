import { GetMetricStatisticsCommand, PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentClients, queryCode } from './agent-clients.js';
import { rejection, useFake } from './helpers.js';

const env = useFake();
let cw: ReturnType<typeof agentClients>['cw'];
beforeEach(() => {
  cw = agentClients(env.fake.url, 'ASIANODEROLE').cw;
});
afterEach(() => cw.destroy());

const put = (Namespace: string, MetricData: MetricDatum[]) => cw.send(new PutMetricDataCommand({ Namespace, MetricData }));
const load = (value: number, cluster = 'demo'): MetricDatum => ({ MetricName: 'Load', Dimensions: [{ Name: 'Cluster', Value: cluster }], Unit: 'Percent', Value: value });

describe('CloudWatch PutMetricData', () => {
  it('records each datum with the request time and the caller\'s access key id', async () => {
    await put('ElasticRTC', [load(42)]);
    env.clock.advance(60_000);
    const ts = new Date(env.clock.ms - 30_000);
    await put('ElasticRTC', [{ ...load(17, 'other'), Timestamp: ts, StorageResolution: 1 }]);
    await put('Other', [{ MetricName: 'Latency', Values: [1, 2.5], Counts: [3, 1], Unit: 'Milliseconds' }]);
    const t0 = env.clock.ms - 60_000;
    expect(env.fake.metrics('ElasticRTC')).toEqual([
      { namespace: 'ElasticRTC', name: 'Load', dimensions: { Cluster: 'demo' }, value: 42, unit: 'Percent', timestamp: t0, storageResolution: 60, at: t0, accessKeyId: 'ASIANODEROLE' },
      { namespace: 'ElasticRTC', name: 'Load', dimensions: { Cluster: 'other' }, value: 17, unit: 'Percent', timestamp: ts.getTime(), storageResolution: 1, at: env.clock.ms, accessKeyId: 'ASIANODEROLE' },
    ]);
    expect(env.fake.metrics()).toHaveLength(3);
    expect(env.fake.metrics('Other')[0]).toMatchObject({ name: 'Latency', dimensions: {}, values: [1, 2.5], counts: [3, 1], unit: 'Milliseconds' });
    expect(env.fake.metrics('Other')[0]?.value).toBeUndefined();
    expect(env.fake.requests.map((r) => `${r.service} ${r.action} ${r.status}`)).toEqual(Array(3).fill('monitoring PutMetricData 200'));
    expect(env.fake.requests[0]?.params.Namespace).toBe('ElasticRTC');
  });

  it('refuses what CloudWatch refuses, with the query code in Code', async () => {
    const cases: [string, MetricDatum[], string, string, string][] = [
      ['AWS/EC2', [load(1)], 'InvalidParameterValueException', 'InvalidParameterValue', 'The value AWS/ for parameter Namespace is invalid.'],
      ['ElasticRTC', [{ ...load(1), Dimensions: [{ Name: 'Cluster', Value: ' ' }] }], 'MissingRequiredParameterException', 'MissingParameter', 'The parameter MetricData.member.1.Dimensions.member.1.Value is required.'],
      ['ElasticRTC', [load(1), { ...load(1), Dimensions: [{ Name: '', Value: 'x' }] }], 'MissingRequiredParameterException', 'MissingParameter', 'The parameter MetricData.member.2.Dimensions.member.1.Name is required.'],
      ['ElasticRTC', [{ MetricName: '', Value: 1 }], 'MissingRequiredParameterException', 'MissingParameter', 'The parameter MetricData.member.1.MetricName is required.'],
      ['ElasticRTC', [{ ...load(Number.NaN) }], 'InvalidParameterValueException', 'InvalidParameterValue', 'The value NaN for parameter MetricData.member.1.Value is invalid.'],
      ['ElasticRTC', [{ ...load(1), Values: [1] }], 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.'],
      ['ElasticRTC', [{ MetricName: 'M', Values: [1, 2], Counts: [1] }], 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.'],
      ['ElasticRTC', [{ ...load(1), Timestamp: new Date(Date.UTC(2023, 0, 1)) }], 'InvalidParameterValueException', 'InvalidParameterValue', 'The parameter MetricData.member.1.Timestamp must specify a time no more than two weeks in the past.'],
      ['ElasticRTC', Array.from({ length: 1001 }, () => load(1)), 'InvalidParameterValueException', 'InvalidParameterValue', 'The collection MetricData must not contain more than 1000 items.'],
    ];
    for (const [namespace, data, name, code, message] of cases) {
      const e = await rejection(put(namespace, data));
      expect([e.name, queryCode(e), e.message, e.$metadata?.httpStatusCode]).toEqual([name, code, message, 400]);
    }
    expect(env.fake.metrics()).toEqual([]);
    // 1001 data make a body over 10 KB: the SDK gzips it, and the fake reads it anyway.
    const big = env.fake.requests[env.fake.requests.length - 1];
    expect(big?.params.MetricData?.length).toBeGreaterThan(10_240);
  });

  it('takes 1000 data in one (gzipped) call', async () => {
    await put('ElasticRTC', Array.from({ length: 1000 }, (_, i) => load(i % 100, `c${i}`)));
    expect(env.fake.metrics('ElasticRTC')).toHaveLength(1000);
    expect(env.fake.metrics('ElasticRTC')[999]?.dimensions).toEqual({ Cluster: 'c999' });
  });

  it('answers GetMetricStatistics over what was put, per period', async () => {
    const t0 = env.clock.ms;
    await put('ElasticRTC', [load(10), load(30), load(99, 'other')]);
    env.clock.advance(60_000);
    await put('ElasticRTC', [load(50), { MetricName: 'Load', Dimensions: [{ Name: 'Cluster', Value: 'demo' }], Unit: 'Percent', StatisticValues: { SampleCount: 2, Sum: 30, Minimum: 5, Maximum: 25 } }]);
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'ElasticRTC',
        MetricName: 'Load',
        Dimensions: [{ Name: 'Cluster', Value: 'demo' }],
        StartTime: new Date(t0),
        EndTime: new Date(t0 + 120_000),
        Period: 60,
        Statistics: ['Average', 'Maximum', 'SampleCount'],
      }),
    );
    expect(out.Label).toBe('Load');
    expect(out.Datapoints).toEqual([
      { Timestamp: new Date(t0), Average: 20, Maximum: 30, SampleCount: 2, Unit: 'Percent' },
      { Timestamp: new Date(t0 + 60_000), Average: 80 / 3, Maximum: 50, SampleCount: 3, Unit: 'Percent' },
    ]);
  });

  it('answers injected faults in the query family\'s words', async () => {
    env.fake.faults.throttle(1, { service: 'monitoring' });
    const throttled = await rejection(put('ElasticRTC', [load(1)]));
    expect([throttled.name, queryCode(throttled), throttled.$metadata?.httpStatusCode]).toEqual(['Throttling', 'Throttling', 400]);
    env.fake.faults.denyAccess('PutMetricData');
    const denied = await rejection(put('ElasticRTC', [load(1)]));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toContain('cloudwatch:PutMetricData');
  });
});
