import { describe, expect, it } from 'vitest';
import { NODE_RELEASE, runtimeKey } from '../../src/cluster/node-runtime.js';
import { activeResourceCount, isArmInstanceType, renderCluster, resourceLabels } from '../../src/cluster/render.js';
import type { CfnTemplate } from '../../src/cluster/template-types.js';
import { checkTemplate } from '../support/cfn-spec/index.js';
import { applyMergePatch, mergePatchOf, readGolden, strayGoldens } from '../support/golden.js';
import { CERT_ARN, RUNTIME, RUNTIME_SHA256, SCENARIOS, SECRET_ARN, renderScenario, settings } from './scenarios.js';

/** What a scenario sends to CloudFormation; the template as its body says, so the golden is what AWS gets. */
interface Rendering {
  parameters: Record<string, string>;
  tags: Record<string, string>;
  template: CfnTemplate;
}
const rendering = (name: string): Rendering => {
  const { parameters, tags, templateBody } = renderScenario(name);
  return { parameters, tags, template: JSON.parse(templateBody) as CfnTemplate };
};

/**
 * The goldens (test/golden/cluster/README.md): the base scenario's whole rendering, and for every other
 * scenario only what differs from it, as a JSON merge patch. A missing golden fails the test;
 * `UPDATE_GOLDEN=1 npx vitest run test/cluster/render.test.ts` writes them all from the code.
 */
const BASE_SCENARIO = 'minimal';
const GOLDENS = new URL('../golden/cluster/', import.meta.url);
const patchName = (scenario: string) => `${scenario}.patch`;
const GOLDEN_NAMES = Object.keys(SCENARIOS).map((name) => (name === BASE_SCENARIO ? name : patchName(name)));

let full: Rendering | undefined;
const expectedRendering = (name: string): Rendering => {
  full ??= readGolden(new URL(`${BASE_SCENARIO}.json`, GOLDENS), rendering(BASE_SCENARIO));
  if (name === BASE_SCENARIO) return full;
  // Written against the base as the code renders it now, so one update run rewrites a consistent set.
  const patch = readGolden(new URL(`${patchName(name)}.json`, GOLDENS), mergePatchOf(rendering(BASE_SCENARIO), rendering(name)));
  return applyMergePatch(full, patch);
};

const ingressRules = (t: CfnTemplate) =>
  Object.entries(t.Resources).flatMap(([id, r]) => [
    ...((r.Properties?.SecurityGroupIngress as any[]) ?? []).map((rule) => ({ id, ...rule })),
    ...(r.Type === 'AWS::EC2::SecurityGroupIngress' ? [{ id, ...r.Properties }] : []),
  ]);

describe.each(Object.keys(SCENARIOS))('scenario %s', (name) => {
  const rendered = renderScenario(name);

  it('passes the CloudFormation resource specification check', async () => {
    expect(await checkTemplate(rendered.template)).toEqual([]);
  });

  it('matches its golden, parameter by parameter and resource by resource', () => {
    const expected = expectedRendering(name);
    const actual = rendering(name);
    // The same resources (CloudFormation reads them in any order; a merge patch appends what it adds).
    expect(Object.keys(actual.template.Resources).sort()).toEqual(Object.keys(expected.template.Resources).sort());
    for (const [id, resource] of Object.entries(actual.template.Resources)) expect(resource, id).toEqual(expected.template.Resources[id]);
    for (const [key, value] of Object.entries(actual.parameters)) expect(value, key).toBe(expected.parameters[key]);
    expect(actual.tags).toEqual(expected.tags);
    expect(actual.template.Outputs).toEqual(expected.template.Outputs);
    for (const section of ['Conditions', 'Parameters', 'Metadata'] as const) {
      for (const [key, value] of Object.entries(actual.template[section] ?? {})) expect(value, `${section}.${key}`).toEqual(expected.template[section]?.[key]);
    }
    // Anything else: a parameter or section the golden has and the rendering lost, the description…
    expect(actual).toEqual(expected);
  });

  it('stays under the 51,200-byte inline template limit', () => {
    expect(Buffer.byteLength(rendered.templateBody)).toBeLessThan(51_200);
  });

  it('requires IMDSv2 and encrypted volumes on every launch template', () => {
    for (const r of Object.values(rendered.template.Resources).filter((x) => x.Type === 'AWS::EC2::LaunchTemplate')) {
      const data = r.Properties?.LaunchTemplateData as any;
      expect(data.MetadataOptions.HttpTokens).toBe('required');
      expect(data.BlockDeviceMappings[0].Ebs.Encrypted).toBe(true);
    }
  });

  it('never opens port 8888 to an address range', () => {
    for (const rule of ingressRules(rendered.template)) {
      if (rule.IpProtocol === 'tcp' && rule.FromPort <= 8888 && rule.ToPort >= 8888) expect(rule.CidrIp, rule.id).toBeUndefined();
    }
  });

  it('carries no secret: every secret-like parameter is an ARN, and the body holds no generated value', () => {
    expect(rendered.parameters.ClusterSecretArn).toBe(SECRET_ARN);
    for (const key of Object.keys(rendered.parameters)) expect(key).not.toMatch(/Password|Pass$|ApiKey|SslKey|Secret$/);
    expect(rendered.templateBody).not.toMatch(/PRIVATE KEY/);
  });

  it('creates no bucket: the CLI makes it before the stack, so deleting the stack never touches it', () => {
    expect(Object.values(rendered.template.Resources).filter((r) => r.Type.startsWith('AWS::S3::'))).toEqual([]);
    expect(JSON.stringify(rendered.template)).not.toMatch(/CreateBucket|ShouldCreateBucket/);
  });

  it('gives every template parameter a value, and no parameter the template lacks', () => {
    const declared = Object.entries(rendered.template.Parameters ?? {});
    for (const [key, p] of declared) if (p.Default === undefined) expect(rendered.parameters, key).toHaveProperty(key);
    expect(Object.keys(rendered.parameters).filter((k) => !rendered.template.Parameters?.[k])).toEqual([]);
  });

  it('labels every resource for people', () => {
    expect(Object.keys(resourceLabels(rendered.template)).sort()).toEqual(Object.keys(rendered.template.Resources).sort());
  });
});

describe('the goldens', () => {
  it('are the base scenario in full and a merge patch per other scenario, and nothing else', () => {
    expect(strayGoldens(GOLDENS, GOLDEN_NAMES)).toEqual([]);
  });

  it('patch as RFC 7386 says: members replaced or added, null removes, arrays whole', () => {
    const base = { a: 1, b: { c: [1, 2], d: 'x' }, e: true };
    const target = { a: 1, b: { c: [1, 3], f: 'y' }, g: { h: 0 } };
    const patch = mergePatchOf(base, target);
    expect(patch).toEqual({ b: { c: [1, 3], d: null, f: 'y' }, e: null, g: { h: 0 } });
    expect(applyMergePatch(base, patch)).toEqual(target);
    expect(base.b.d).toBe('x');
    expect(mergePatchOf(base, base)).toEqual({});
    expect(() => mergePatchOf(base, { ...base, e: null })).toThrow('$.e holds a null');
  });
});

describe('renderCluster', () => {
  it('is deterministic', () => {
    expect(renderScenario('autoscaling').templateBody).toBe(renderScenario('autoscaling').templateBody);
  });

  it('generates numeric step scaling from the policies (the 2016 example)', () => {
    const t = renderScenario('autoscaling').template.Resources;
    expect(t.LoadHighAlarm?.Properties?.Threshold).toBe(65);
    expect(t.ScaleOutPolicy?.Properties?.StepAdjustments).toEqual([
      { MetricIntervalLowerBound: 0, MetricIntervalUpperBound: 20, ScalingAdjustment: 10 },
      { MetricIntervalLowerBound: 20, ScalingAdjustment: 40 },
    ]);
    expect(t.LoadLowAlarm?.Properties?.Threshold).toBe(35);
    expect(t.ScaleInPolicy?.Properties?.StepAdjustments).toEqual([
      { MetricIntervalUpperBound: -20, ScalingAdjustment: -40 },
      { MetricIntervalLowerBound: -20, MetricIntervalUpperBound: 0, ScalingAdjustment: -10 },
    ]);
  });

  it('orders thresholds as numbers: 5 and 25, 80 and 100 (2016 sorted them as strings)', () => {
    const t = renderCluster(settings({ 'scale-in-policy': '5=40,25=10', 'scale-out-policy': '80=10,100=40' }), { toolVersion: '1', secretArn: SECRET_ARN, runtime: RUNTIME }).template.Resources;
    expect(t.LoadLowAlarm?.Properties?.Threshold).toBe(25);
    expect(t.ScaleInPolicy?.Properties?.StepAdjustments).toEqual([
      { MetricIntervalUpperBound: -20, ScalingAdjustment: -40 },
      { MetricIntervalLowerBound: -20, MetricIntervalUpperBound: 0, ScalingAdjustment: -10 },
    ]);
    expect(t.LoadHighAlarm?.Properties?.Threshold).toBe(80);
  });

  it('forwards only /<api-key>, and only from --api-origin, four blocks per rule', () => {
    const t = renderScenario('dedicated').template.Resources;
    const rules = Object.entries(t).filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule' && JSON.stringify(r).includes('apiKey'));
    expect(rules.map(([id]) => id)).toEqual(['ApiRule1', 'ApiRule2']);
    const sources = rules.flatMap(([, r]) => (r.Properties?.Conditions as any[]).filter((c) => c.Field === 'source-ip').flatMap((c) => c.SourceIpConfig.Values));
    expect(sources).toEqual(['203.0.113.0/24', '198.51.100.0/24', '192.0.2.0/24', '203.0.113.128/25', '198.51.100.7/32']);
    expect(JSON.stringify(t.HttpListener?.Properties?.DefaultActions)).toContain('404');
  });

  it('keeps --control-origin to SSH, apart from --api-origin (the 2016 union bug)', () => {
    const t = renderScenario('dedicated').template;
    const ssh = ingressRules(t).filter((r) => r.FromPort === 22);
    expect(ssh.map((r) => r.CidrIp)).toEqual(['192.0.2.10/32']);
    expect(ingressRules(renderScenario('minimal').template).some((r) => r.FromPort === 22)).toBe(false);
  });

  it('serves 443 with the certificate and redirects 80 when TLS is on', () => {
    const r = renderScenario('tls');
    expect(r.parameters.CertificateArn).toBe(CERT_ARN);
    const lb = r.template.Resources.LoadBalancerSecurityGroup?.Properties?.SecurityGroupIngress as any[];
    expect(lb.map((x) => x.FromPort)).toEqual([443, 80]);
    expect(activeResourceCount(r.template, r.parameters)).toBe(activeResourceCount(renderScenario('minimal').template, renderScenario('minimal').parameters) + 1);
  });

  it('picks the arm64 Ubuntu image for Graviton types and an own image when given', () => {
    expect(isArmInstanceType('c7g.large')).toBe(true);
    expect(isArmInstanceType('c7gn.xlarge')).toBe(true);
    expect(isArmInstanceType('c7i.large')).toBe(false);
    expect(renderCluster(settings({ 'aws-instance-type': 'm7g.large' }), { toolVersion: '1', secretArn: SECRET_ARN, runtime: RUNTIME }).parameters.NodeImageParameter).toContain('/arm64/');
    expect(renderCluster(settings(), { toolVersion: '1', secretArn: SECRET_ARN, runtime: RUNTIME, ownImageId: 'ami-123' }).parameters.NodeImageId).toBe('ami-123');
  });

  it('tags the stack as a cluster with its versions', () => {
    expect(renderCluster(settings({ tags: 'team=media', version: '6.18.0' }), { toolVersion: '1.2.3', secretArn: SECRET_ARN, runtime: RUNTIME }).tags).toEqual({
      team: 'media',
      'elasticrtc:cluster': 'demo',
      'elasticrtc:kms-version': '6.18.0',
      'elasticrtc:tool-version': '1.2.3',
    });
  });

  it('counts the resources a stack will create, conditions evaluated', () => {
    const minimal = renderScenario('minimal');
    const turnOff = renderScenario('turn-off');
    expect(activeResourceCount(turnOff.template, turnOff.parameters)).toBe(activeResourceCount(minimal.template, minimal.parameters) - 3);
    const none = renderScenario('logs-none');
    expect(activeResourceCount(none.template, none.parameters)).toBe(activeResourceCount(minimal.template, minimal.parameters) - 1);
  });

  it('points the launcher at the runtime bundle and the pinned Node.js release', () => {
    const { parameters } = renderScenario('minimal');
    expect(parameters).toMatchObject({
      NodeRuntimeKey: runtimeKey('1.0.0', RUNTIME_SHA256),
      NodeRuntimeSha256: RUNTIME_SHA256,
      NodeVersion: NODE_RELEASE.version,
      NodeSha512X64: NODE_RELEASE.integrity.x64,
      NodeSha512Arm64: NODE_RELEASE.integrity.arm64,
    });
    expect(parameters.NodeRuntimeKey).toBe('runtime/elasticrtc-node-1.0.0-5f2b8e0c1d4a7b3e.cjs');
    expect(parameters).not.toHaveProperty('NodeAgentPackage');
  });

  it('meets the parameters’ own patterns (NodeRuntimeSha256 is 64 hex digits)', () => {
    const { template, parameters } = renderScenario('minimal');
    for (const [key, p] of Object.entries(template.Parameters ?? {})) {
      const pattern = p.AllowedPattern as string | undefined;
      if (pattern !== undefined && parameters[key] !== undefined) expect(parameters[key], key).toMatch(new RegExp(pattern));
    }
  });

  it('has no application tier: --enable-app room is refused until the demo is rebuilt', () => {
    const { template, parameters } = renderScenario('minimal');
    expect(Object.keys(template.Resources).filter((id) => /^App|Internal/.test(id))).toEqual([]);
    expect(Object.keys(template.Outputs ?? {})).not.toContain('AppUrl');
    expect(Object.keys(parameters).filter((k) => /App/.test(k))).toEqual([]);
  });

  it('has no recorders without audio-archive', () => {
    const { template } = renderScenario('room');
    expect(Object.keys(template.Resources).filter((id) => /^(Recorder|ArchiveAlarm)/.test(id))).toEqual([]);
  });
});

describe('audio-archive', () => {
  const { template, templateBody, parameters } = renderScenario('audio-archive');
  const resource = (id: string) => {
    const r = template.Resources[id];
    if (!r) throw new Error(`no ${id}`);
    return r;
  };

  it('runs two recorders, one per zone, each signalling its group', () => {
    const group = resource('RecorderGroup');
    expect(group.Type).toBe('AWS::AutoScaling::AutoScalingGroup');
    expect(group.CreationPolicy).toEqual({ ResourceSignal: { Count: 2, Timeout: 'PT15M' } });
    expect(group.Properties).toMatchObject({ MinSize: '2', MaxSize: '2', DesiredCapacity: '2', VPCZoneIdentifier: [{ Ref: 'SubnetA' }, { Ref: 'SubnetB' }] });
    const data = resource('RecorderLaunchTemplate').Properties?.LaunchTemplateData as { UserData: { 'Fn::Base64': { 'Fn::Sub': [string, unknown] } }; SecurityGroupIds: unknown };
    const script = data.UserData['Fn::Base64']['Fn::Sub'][0];
    expect(script).toContain('SIGNAL_RESOURCE=RecorderGroup\nROLE=recorder\n');
    expect(script).toContain('LogicalResourceId=RecorderGroup');
    expect(script).not.toContain('NodeGroup');
    expect(data.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': ['RecorderSecurityGroup', 'GroupId'] }]);
  });

  it('lets nothing in but SSH from --control-origin with a key pair', () => {
    expect(resource('RecorderSecurityGroup').Properties?.SecurityGroupIngress).toEqual([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '192.0.2.10/32', Description: 'SSH (--control-origin)' }]);
    const { template: open } = renderCluster(settings({ 'enable-app': 'audio-archive', streams: [{ name: 'r', url: 'http://a/x' }] }), { toolVersion: '1.0.0', secretArn: SECRET_ARN, runtime: RUNTIME });
    expect(open.Resources.RecorderSecurityGroup?.Properties?.SecurityGroupIngress).toBeUndefined();
  });

  it('has one alarm per stream on a missing slot, its period the segment rounded up to a minute', () => {
    expect(resource('ArchiveAlarm1').Properties).toMatchObject({
      AlarmName: { 'Fn::Sub': '${AWS::StackName}-audio-archive-radio1' },
      Namespace: 'ElasticRTC/AudioArchive',
      MetricName: 'MissingSlots',
      Dimensions: [{ Name: 'Cluster', Value: { Ref: 'AWS::StackName' } }, { Name: 'Stream', Value: 'radio1' }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'breaching',
    });
    expect(resource('ArchiveAlarm2').Properties).toMatchObject({ Period: 120, Dimensions: [{ Name: 'Cluster', Value: { Ref: 'AWS::StackName' } }, { Name: 'Stream', Value: 'news_2' }] });
    expect(template.Resources.ArchiveAlarm3).toBeUndefined();
  });

  it('gives the recorders a role of their own: the archive’s prefixes and metric, nothing of a media node', () => {
    const statements = (role: string) => (resource(role).Properties?.Policies as { PolicyDocument: { Statement: { Sid: string; Action: unknown; Resource: unknown }[] } }[])[0]?.PolicyDocument.Statement ?? [];
    const recorder = statements('RecorderRole');
    expect(recorder.find((x) => x.Sid === 'ArchiveMetric')).toEqual({ Sid: 'ArchiveMetric', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'ElasticRTC/AudioArchive' } } });
    expect(recorder.map((x) => x.Sid)).toEqual(['ReadClusterSecret', 'NodeRuntime', 'Signal', 'Archive', 'ListArchive', 'ArchiveMetric']);
    expect(JSON.stringify(recorder.find((x) => x.Sid === 'Archive')?.Resource)).toMatch(/staging\/\*.*final\/\*.*state\/\*/);
    const actions = JSON.stringify(recorder.map((x) => x.Action));
    for (const forbidden of ['autoscaling:', 'sqs:', 'ec2:', 's3:DeleteObject', 'logs:']) expect(actions).not.toContain(forbidden);
    const data = resource('RecorderLaunchTemplate').Properties?.LaunchTemplateData as { IamInstanceProfile: unknown };
    expect(data.IamInstanceProfile).toEqual({ Arn: { 'Fn::GetAtt': ['RecorderInstanceProfile', 'Arn'] } });
    // The media nodes' role is as without the app.
    expect(statements('NodeRole').map((x) => x.Sid)).not.toContain('ArchiveMetric');
  });

  it('holds no stream URL nor its password, in the template or the parameters', () => {
    for (const text of [templateBody, JSON.stringify(parameters)]) {
      expect(text).not.toContain('s3cr3t-pass');
      expect(text).not.toContain('icecast.example.org');
      expect(text).not.toContain('radio.example.net');
    }
    expect(template.Metadata?.elasticrtc).toMatchObject({ settings: { 'enable-app': 'room,audio-archive', streams: [{ name: 'radio1', 'segment-seconds': 300 }, { name: 'news_2', 'segment-seconds': 90 }] } });
  });

  it('stays under the 51,200-byte limit with the room, TLS, SSH from four blocks and the most streams', () => {
    const streams = Array.from({ length: 10 }, (_, i) => ({ name: `stream-with-a-long-name-${String(i).padStart(2, '0')}-${'x'.repeat(34)}`, url: 'https://u:p@icecast.example.org/x', 'segment-seconds': 3600 }));
    const flags = { 'enable-app': 'room,audio-archive', streams, 'aws-key-name': 'ops', 'certificate-arn': CERT_ARN, 'hosted-zone-id': 'Z0123456789ABCDEFGHIJ', 'control-origin': Array.from({ length: 4 }, (_, i) => `198.51.${i}.0/24`).join(',') };
    const { templateBody: body } = renderCluster(settings(flags), { toolVersion: '1.0.0', secretArn: SECRET_ARN, runtime: RUNTIME, certificateArn: CERT_ARN, dnsName: 'media.example.com' });
    expect(Buffer.byteLength(body)).toBeLessThan(51_200);
  });

  it('keeps the room tier as it was', () => {
    const room = renderScenario('room').template.Resources;
    expect(Object.keys(template.Resources).filter((id) => /^App/.test(id)).sort()).toEqual(Object.keys(room).filter((id) => /^App/.test(id)).sort());
  });
});

describe('kvs-relay and cameras', () => {
  const { template, templateBody } = renderScenario('cameras');
  const r = template.Resources;

  it('keeps the cameras’ URLs and passwords out of the template', () => {
    expect(templateBody).not.toContain('rtsp');
    expect(templateBody).not.toContain('s3cr');
    expect(templateBody).not.toContain('10.0.0.5');
  });

  it('makes one Kinesis video stream per camera with its retention, kept when the stack goes', () => {
    expect(r.CameraStream1).toMatchObject({ Type: 'AWS::KinesisVideo::Stream', DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { DataRetentionInHours: 720, MediaType: 'video/h264' } });
    expect(r.CameraStream2?.Properties?.DataRetentionInHours).toBe(168);
    // CloudFormation names them: a cluster created again under the same name does not collide with kept streams.
    expect(r.CameraStream1?.Properties).not.toHaveProperty('Name');
    expect(r.CameraStream3).toBeUndefined();
  });

  it('gives the app node exactly kvssink’s calls on those streams, the kvssink cache and the recordings', () => {
    const statements = (r.AppRole?.Properties?.Policies as { PolicyDocument: { Statement: { Sid: string; Action: unknown; Resource: unknown }[] } }[])[0]?.PolicyDocument.Statement ?? [];
    const bySid = Object.fromEntries(statements.map((x) => [x.Sid, x]));
    expect(bySid.CameraStreams).toMatchObject({ Action: ['kinesisvideo:DescribeStream', 'kinesisvideo:GetDataEndpoint', 'kinesisvideo:PutMedia'], Resource: [{ 'Fn::GetAtt': ['CameraStream1', 'Arn'] }, { 'Fn::GetAtt': ['CameraStream2', 'Arn'] }] });
    expect(JSON.stringify(bySid.KvssinkCache?.Resource)).toContain('/kvssink/*');
    expect(JSON.stringify(bySid.CameraRecordings?.Resource)).toContain('/cameras/*');
    expect(JSON.stringify(statements)).not.toMatch(/kinesisvideo:\*|CreateStream|DeleteStream/);
  });

  it('runs the apps on one node, telling it the apps and each camera’s stream', () => {
    const user = JSON.stringify(r.AppLaunchTemplate?.Properties);
    expect(user).toContain('APPS=room,kvs-relay,cameras\\n');
    expect(user).toContain('KVS_RELAY_STREAMS=lobby=${CameraStream1},dock=${CameraStream2}\\n');
    expect(r.AppGroup?.Properties).toMatchObject({ MinSize: '1', MaxSize: '1', HealthCheckType: 'ELB', TargetGroupARNs: [{ Ref: 'AppTargetGroup' }, { Ref: 'CamerasTargetGroup' }] });
  });

  it('routes /app/cameras to the cameras page before /app goes to the room', () => {
    expect(r.CamerasTargetGroup?.Properties).toMatchObject({ Port: 8081, HealthCheckPath: '/app/cameras/healthz' });
    const rule = r.CamerasRule1?.Properties as { Priority: number; Conditions: { PathPatternConfig?: { Values: string[] } }[] };
    expect(rule.Conditions[0]?.PathPatternConfig?.Values).toEqual(['/app/cameras', '/app/cameras/*']);
    expect(rule.Priority).toBeLessThan((r.AppRule1?.Properties as { Priority: number }).Priority);
  });

  it('without a web app (kvs-relay alone) has no target group and checks the instance only', () => {
    const relay = renderScenario('kvs-relay').template.Resources;
    expect(relay.AppGroup?.Properties).toMatchObject({ HealthCheckType: 'EC2' });
    expect(relay.AppGroup?.Properties).not.toHaveProperty('TargetGroupARNs');
    expect(Object.keys(relay).filter((id) => /TargetGroup$|Rule\d$/.test(id) && id !== 'NodeTargetGroup' && !id.startsWith('Api') && !id.startsWith('Inspector'))).toEqual([]);
  });

  it('fits CloudFormation’s inline limit with every app and the most cameras and streams', () => {
    const cams = Array.from({ length: 8 }, (_, i) => ({ name: `camera-${String(i).padStart(2, '0')}-entrance`, url: 'rtsp://10.0.0.5/s' }));
    const streams = Array.from({ length: 10 }, (_, i) => ({ name: `stream-${i}-news-radio`, url: 'https://icecast.example.org/live.mp3' }));
    const all = renderCluster(settings({ 'enable-app': 'room,audio-archive,kvs-relay,cameras', cameras: cams, streams, 'aws-key-name': 'ops', 'control-origin': '192.0.2.10/32' }), { toolVersion: '0.1.0', secretArn: SECRET_ARN, runtime: RUNTIME });
    expect(new TextEncoder().encode(all.templateBody).length).toBeLessThanOrEqual(51_200);
  });
});

describe('a template over CloudFormation’s inline limit', () => {
  it('is a problem naming its size and what to give fewer of; every scenario is under it', async () => {
    const { templateSizeProblem } = await import('../../src/cluster/render.js');
    for (const name of Object.keys(SCENARIOS)) expect(templateSizeProblem(renderScenario(name))).toBeUndefined();
    const big = renderScenario('room');
    const over = templateSizeProblem({ ...big, templateBody: big.templateBody.padEnd(51_201, ' ') });
    expect(over).toEqual({ flag: 'api-origin', value: '51201 bytes of template', expected: expect.stringContaining('fewer, wider --api-origin/--control-origin blocks') });
  });
});
