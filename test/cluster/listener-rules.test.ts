import { describe, expect, it } from 'vitest';
import type { CfnTemplate } from '../../src/cluster/template-types.js';
import { renderCluster } from '../../src/cluster/render.js';
import { RUNTIME, SECRET_ARN, renderScenario, settings } from './scenarios.js';

/**
 * The load balancer's routing, as ALB evaluates a listener: rules in priority order, the first whose
 * conditions all hold acts (path-pattern: any value matches, `*` any characters, case-sensitive;
 * source-ip: any block contains the client), else the listener's default action.
 */
/** Templates rendered with a certificate (their HasTls condition holds). */
const renderedWithTls = new WeakSet<CfnTemplate>();

function route(t: CfnTemplate, listener: 'HttpListener' | 'HttpsListener', ip: string, path: string, apiKey = 'K3yK3yK3yK3yK3y1'): string {
  const toNumber = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const inBlock = (cidr: string) => {
    const [base = '', bits = '32'] = cidr.split('/');
    const size = 2 ** (32 - Number(bits));
    return Math.floor(toNumber(ip) / size) === Math.floor(toNumber(base) / size);
  };
  const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const resolveKey = (v: unknown) => (typeof v === 'string' ? v : String((v as { 'Fn::Sub': string })['Fn::Sub']).replace(/\{\{resolve:secretsmanager:.*?\}\}/, apiKey));
  const rules = Object.values(t.Resources)
    .filter((r) => r.Type === 'AWS::ElasticLoadBalancingV2::ListenerRule')
    .map((r) => r.Properties as { Priority: number; ListenerArn: unknown; Conditions: any[]; Actions: any[] })
    .sort((a, b) => a.Priority - b.Priority);
  for (const rule of rules) {
    // Every rule sits on the HTTPS listener with TLS (the HasTls condition), else on the HTTP one.
    const on = (rule.ListenerArn as { 'Fn::If': [string, { Ref: string }, { Ref: string }] })['Fn::If'];
    const tls = t.Resources.HttpsListener !== undefined && renderedWithTls.has(t);
    if ((tls ? on[1] : on[2]).Ref !== listener) continue;
    const holds = rule.Conditions.every((c) =>
      c.Field === 'path-pattern' ? c.PathPatternConfig.Values.some((v: unknown) => glob(resolveKey(v)).test(path)) : c.Field === 'source-ip' ? c.SourceIpConfig.Values.some(inBlock) : false,
    );
    if (holds) return `forward ${rule.Actions[0].TargetGroupArn.Ref}`;
  }
  const fallback = (t.Resources[listener]?.Properties?.DefaultActions as any[])[0];
  const action = fallback['Fn::If'] ? fallback['Fn::If'][renderedWithTls.has(t) ? 1 : 2] : fallback;
  return action.Type === 'fixed-response' ? action.FixedResponseConfig.StatusCode : action.Type;
}

describe('the load balancer lets each path in only from its origin', () => {
  // room: --api-origin open, --control-origin four blocks (two inspector rules).
  const room = renderScenario('room').template;
  // --api-origin five blocks (two API rules), --control-origin one address outside them.
  const apiBlocks = '203.0.113.0/24,198.51.100.0/24,192.0.2.0/24,203.0.113.128/25,198.51.100.7/32';
  const dedicated = renderCluster(settings({ 'api-origin': apiBlocks, 'control-origin': '100.64.0.10/32' }), { toolVersion: '1.0.0', secretArn: SECRET_ARN, runtime: RUNTIME }).template;

  it('the inspector only from --control-origin, in every one of its blocks', () => {
    for (const ip of ['192.0.2.10', '198.51.100.77', '203.0.113.9', '10.1.200.3']) {
      expect(route(room, 'HttpListener', ip, '/inspector')).toBe('forward NodeTargetGroup');
      expect(route(room, 'HttpListener', ip, '/inspector/pipelines')).toBe('forward NodeTargetGroup');
    }
    expect(route(room, 'HttpListener', '8.8.8.8', '/inspector')).toBe('404');
    expect(route(room, 'HttpListener', '8.8.8.8', '/inspector/api/nodes')).toBe('404');
    expect(route(room, 'HttpListener', '192.0.2.11', '/inspector/login')).toBe('404');
  });

  it('the API only from --api-origin: a --control-origin address gets no API (the 2016 union bug)', () => {
    expect(route(dedicated, 'HttpListener', '198.51.100.7', '/K3yK3yK3yK3yK3y1')).toBe('forward NodeTargetGroup');
    expect(route(dedicated, 'HttpListener', '203.0.113.200', '/K3yK3yK3yK3yK3y1')).toBe('forward NodeTargetGroup');
    expect(route(dedicated, 'HttpListener', '192.0.2.99', '/K3yK3yK3yK3yK3y1')).toBe('forward NodeTargetGroup');
    expect(route(dedicated, 'HttpListener', '100.64.0.10', '/K3yK3yK3yK3yK3y1')).toBe('404');
    expect(route(dedicated, 'HttpListener', '100.64.0.10', '/inspector')).toBe('forward NodeTargetGroup');
    // ...and an --api-origin address gets no inspector.
    expect(route(dedicated, 'HttpListener', '198.51.100.7', '/inspector')).toBe('404');
    expect(route(dedicated, 'HttpListener', '198.51.100.7', '/wrong-key')).toBe('404');
  });

  it('the room demo at /app from --api-origin, to its own target group; nothing else reaches it', () => {
    expect(route(room, 'HttpListener', '8.8.8.8', '/app')).toBe('forward AppTargetGroup');
    expect(route(room, 'HttpListener', '8.8.8.8', '/app/ws')).toBe('forward AppTargetGroup');
    expect(route(room, 'HttpListener', '8.8.8.8', '/application')).toBe('404');
    expect(dedicated.Resources.AppGroup).toBeUndefined();
    expect(route(dedicated, 'HttpListener', '198.51.100.7', '/app/')).toBe('404');
  });

  it('with TLS the rules sit on 443 and 80 only redirects', () => {
    const tls = renderScenario('room-tls').template;
    renderedWithTls.add(tls);
    expect(route(tls, 'HttpsListener', '8.8.8.8', '/app/')).toBe('forward AppTargetGroup');
    expect(route(tls, 'HttpsListener', '8.8.8.8', '/inspector')).toBe('forward NodeTargetGroup'); // --control-origin open here
    expect(route(tls, 'HttpListener', '8.8.8.8', '/inspector')).toBe('redirect');
    expect(route(tls, 'HttpListener', '8.8.8.8', '/app/')).toBe('redirect');
  });

  it('the room demo boots with the app role and reaches the cluster at its public URL', () => {
    const userData = (t: CfnTemplate, id: string) => JSON.stringify(t.Resources[id]?.Properties?.LaunchTemplateData);
    expect(userData(room, 'AppLaunchTemplate')).toContain('ROLE=app\\nCLUSTER_URL=ws://${LoadBalancer.DNSName}\\n');
    expect(userData(room, 'AppLaunchTemplate')).toContain('LogicalResourceId=AppGroup');
    expect(userData(room, 'AppLaunchTemplate')).not.toContain('NodeGroup');
    expect(userData(renderScenario('room-tls').template, 'AppLaunchTemplate')).toContain('CLUSTER_URL=wss://${DnsName}');
    expect(userData(room, 'NodeLaunchTemplate')).not.toContain('ROLE=app');
  });
});

describe('the room demo’s role', () => {
  it('reads the secret and the runtime and signals its group; nothing of a media node', () => {
    const room = renderScenario('room').template;
    const role = room.Resources.AppRole?.Properties?.Policies as { PolicyDocument: { Statement: { Sid: string; Action: unknown }[] } }[];
    expect(role[0]?.PolicyDocument.Statement.map((x) => x.Sid)).toEqual(['ReadClusterSecret', 'NodeRuntime', 'Signal']);
    const data = room.Resources.AppLaunchTemplate?.Properties?.LaunchTemplateData as { IamInstanceProfile: unknown };
    expect(data.IamInstanceProfile).toEqual({ Arn: { 'Fn::GetAtt': ['AppInstanceProfile', 'Arn'] } });
  });
});
