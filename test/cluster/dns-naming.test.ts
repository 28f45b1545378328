import { describe, expect, it } from 'vitest';
import { planDns, type HostedZone } from '../../src/cluster/dns-naming.js';
import { describeProblem } from '../../src/cluster/problems.js';

const zone: HostedZone = { id: 'Z123', name: 'example.com', private: false };
const stackName = 'Demo-1';

describe('planDns: the table', () => {
  it('no certificate, no zone: the load balancer name over ws', () => {
    expect(planDns({ stackName })).toEqual({ plan: { kind: 'LoadBalancer', scheme: 'ws' } });
    expect(planDns({ stackName, certificateNames: [] })).toEqual({ plan: { kind: 'LoadBalancer', scheme: 'ws' } });
  });

  it('no certificate, a zone: <stack-name>.<zone> over ws', () => {
    expect(planDns({ stackName, zone })).toEqual({ plan: { kind: 'Record', name: 'demo-1.example.com', zone, scheme: 'ws' } });
  });

  it('a single name, no zone: that name, created by hand, over wss', () => {
    expect(planDns({ stackName, certificateNames: ['media.example.com'] })).toEqual({
      plan: { kind: 'Manual', name: 'media.example.com', scheme: 'wss' },
    });
  });

  it('a single name in the zone, at any depth or at its apex: that name over wss', () => {
    for (const name of ['media.example.com', 'a.b.example.com', 'example.com']) {
      expect(planDns({ stackName, certificateNames: [name], zone })).toEqual({ plan: { kind: 'Record', name, zone, scheme: 'wss' } });
    }
  });

  it('a wildcard, no zone: <stack-name>.<domain> created by hand', () => {
    expect(planDns({ stackName, certificateNames: ['*.example.org'] })).toEqual({
      plan: { kind: 'Manual', name: 'demo-1.example.org', scheme: 'wss' },
    });
  });

  it('a wildcard matching the zone: <stack-name>.<zone> over wss', () => {
    expect(planDns({ stackName, certificateNames: ['*.example.com'], zone })).toEqual({
      plan: { kind: 'Record', name: 'demo-1.example.com', zone, scheme: 'wss' },
    });
  });
});

describe('planDns: case and several names', () => {
  it('compares names and zones case-insensitively, with or without a trailing dot', () => {
    const upper: HostedZone = { id: 'Z9', name: 'Example.COM.', private: false };
    expect(planDns({ stackName, certificateNames: ['Media.EXAMPLE.com'], zone: upper })).toEqual({
      plan: { kind: 'Record', name: 'media.example.com', zone: upper, scheme: 'wss' },
    });
    expect(planDns({ stackName: 'DEMO', certificateNames: ['*.EXAMPLE.com'], zone: upper })).toEqual({
      plan: { kind: 'Record', name: 'demo.example.com', zone: upper, scheme: 'wss' },
    });
  });

  it('with a zone, prefers the first plain name inside it, then a wildcard for it', () => {
    const names = ['a.example.org', '*.example.com', 'b.example.com', 'c.example.com'];
    expect(planDns({ stackName, certificateNames: names, zone })).toMatchObject({ plan: { name: 'b.example.com' } });
    expect(planDns({ stackName, certificateNames: ['a.example.org', '*.example.com'], zone })).toMatchObject({
      plan: { name: 'demo-1.example.com' },
    });
  });

  it('without a zone, prefers the first plain name, then the first wildcard', () => {
    expect(planDns({ stackName, certificateNames: ['*.example.com', 'b.example.net'] })).toMatchObject({ plan: { name: 'b.example.net' } });
    expect(planDns({ stackName, certificateNames: ['*.example.com', '*.example.net'] })).toMatchObject({
      plan: { name: 'demo-1.example.com' },
    });
  });
});

describe('planDns: problems', () => {
  const problems = (r: ReturnType<typeof planDns>) => ('problems' in r ? r.problems.map(describeProblem) : r);

  it('a name outside the zone', () => {
    const other: HostedZone = { id: 'Z777', name: 'example.org', private: false };
    expect(problems(planDns({ stackName, certificateNames: ['demo.example.com'], zone: other }))).toEqual([
      "--hosted-zone-id Z777: hosted zone example.org does not contain the certificate's names (demo.example.com); use a zone for example.com or a certificate for a name in example.org",
    ]);
  });

  it('a zone that only ends like the name is not its parent', () => {
    const tail: HostedZone = { id: 'Z1', name: 'ample.com', private: false };
    expect('problems' in planDns({ stackName, certificateNames: ['demo.example.com'], zone: tail })).toBe(true);
  });

  it('a wildcard for another domain than the zone, even a parent zone', () => {
    const sub = { id: 'Z2', name: 'sub.example.com', private: false };
    expect(problems(planDns({ stackName, certificateNames: ['*.example.com'], zone: sub }))).toEqual([
      "--hosted-zone-id Z2: hosted zone sub.example.com does not contain the certificate's names (*.example.com); use a zone for example.com or a certificate for a name in sub.example.com",
    ]);
    expect('problems' in planDns({ stackName, certificateNames: ['*.media.example.com'], zone })).toBe(true);
  });

  it('a private zone', () => {
    const hidden: HostedZone = { id: 'Z3', name: 'example.com', private: true };
    expect(problems(planDns({ stackName, zone: hidden }))).toEqual([
      '--hosted-zone-id Z3: hosted zone example.com is private; the cluster needs a public DNS name, so use a public hosted zone',
    ]);
    expect(problems(planDns({ stackName, certificateNames: ['a.example.org'], zone: hidden }))).toHaveLength(2);
  });

  it('a stack name too long for a DNS label, only when it is used as one', () => {
    const long = `a${'b'.repeat(63)}`;
    expect(problems(planDns({ stackName: long, zone }))).toEqual([
      `--stack-name ${long}: is 64 characters long; as the first label of the cluster's DNS name in example.com it may have at most 63`,
    ]);
    expect(planDns({ stackName: 'a'.repeat(63), zone })).toMatchObject({ plan: { kind: 'Record' } });
    expect(planDns({ stackName: long, certificateNames: ['demo.example.com'], zone })).toMatchObject({ plan: { name: 'demo.example.com' } });
    expect(planDns({ stackName: long })).toEqual({ plan: { kind: 'LoadBalancer', scheme: 'ws' } });
  });

  it('a stack name that is not a DNS label', () => {
    expect(problems(planDns({ stackName: 'demo-', certificateNames: ['*.example.org'] }))).toEqual([
      `--stack-name demo-: cannot be the first label of the cluster's DNS name in example.org: use letters, digits and "-", not at the start or end`,
    ]);
    expect('problems' in planDns({ stackName: 'demo_1', zone })).toBe(true);
  });

  it('a DNS name longer than 253 characters', () => {
    const deep: HostedZone = { id: 'Z4', name: Array.from({ length: 4 }, () => 'x'.repeat(60)).join('.'), private: false };
    expect(planDns({ stackName: 'demo', zone: deep })).toMatchObject({ plan: { kind: 'Record' } });
    const deeper: HostedZone = { ...deep, name: `${deep.name}.abcdefgh` };
    expect(problems(planDns({ stackName: 'demo', zone: deeper }))).toEqual([
      "--stack-name demo: makes the cluster's DNS name 257 characters long; at most 253 are allowed",
    ]);
  });
});
