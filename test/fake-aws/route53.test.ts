import { GetHostedZoneCommand, ListHostedZonesByNameCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { describe, expect, it } from 'vitest';
import { rejection, useFake } from './helpers.js';

const env = useFake();

describe('Route 53', () => {
  it('answers GetHostedZone with or without the /hostedzone/ prefix, and NoSuchHostedZone', async () => {
    const id = env.fake.addHostedZone({ name: 'example.com', records: [{ name: 'www', type: 'A' }] });
    expect(id).toMatch(/^Z0[A-Z0-9]{19}$/);
    const out = await env.route53.send(new GetHostedZoneCommand({ Id: id }));
    expect(out.HostedZone).toMatchObject({ Id: `/hostedzone/${id}`, Name: 'example.com.', Config: { PrivateZone: false }, ResourceRecordSetCount: 3 });
    expect(out.DelegationSet?.NameServers).toHaveLength(4);
    const prefixed = await env.route53.send(new GetHostedZoneCommand({ Id: `/hostedzone/${id}` }));
    expect(prefixed.HostedZone?.Id).toBe(`/hostedzone/${id}`);
    const raw = await fetch(`${env.fake.url}/2013-04-01/hostedzone/${encodeURIComponent(`/hostedzone/${id}`)}`, {
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20240115/us-east-1/route53/aws4_request, SignedHeaders=host, Signature=00' },
    });
    expect(raw.status).toBe(200);
    const missing = await rejection(env.route53.send(new GetHostedZoneCommand({ Id: 'Z0NOTTHERE' })));
    expect(missing.name).toBe('NoSuchHostedZone');
    expect(missing.message).toBe('No hosted zone found with ID: Z0NOTTHERE');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect(env.fake.requests.map((r) => `${r.service} ${r.action} ${r.params.Id}`)[0]).toBe(`route53 GetHostedZone ${id}`);
    expect(env.fake.count({ service: 'route53', action: 'GetHostedZone' })).toBe(4);
  });

  it('describes a private zone with its VPC instead of name servers', async () => {
    const id = env.fake.addHostedZone({ name: 'internal.example', private: true });
    const out = await env.route53.send(new GetHostedZoneCommand({ Id: id }));
    expect(out.HostedZone?.Config?.PrivateZone).toBe(true);
    expect(out.DelegationSet).toBeUndefined();
    expect(out.VPCs?.[0]?.VPCId).toMatch(/^vpc-/);
  });

  it('lists record sets in Route 53 order, from a start name and type, page by page', async () => {
    const id = env.fake.addHostedZone({
      name: 'Example.com',
      records: [
        { name: 'www.example.com', type: 'CNAME', value: 'lb.example.net' },
        { name: 'a.example.com', type: 'TXT' },
        { name: 'a.example.com', type: 'A', value: '192.0.2.1' },
        { name: 'b-c', type: 'A' },
        { name: '*.media', type: 'A' },
      ],
    });
    const order = env.fake.hostedZoneRecords(id).map((r) => `${r.name} ${r.type}`);
    expect(order).toEqual([
      'example.com. NS',
      'example.com. SOA',
      'a.example.com. A',
      'a.example.com. TXT',
      'b-c.example.com. A',
      '\\052.media.example.com. A',
      'www.example.com. CNAME',
    ]);
    const first = await env.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, MaxItems: 3 }));
    expect(first.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual(order.slice(0, 3));
    expect(first).toMatchObject({ IsTruncated: true, NextRecordName: 'a.example.com.', NextRecordType: 'TXT', MaxItems: 3 });
    const second = await env.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordName: first.NextRecordName, StartRecordType: first.NextRecordType, MaxItems: 3 }),
    );
    expect(second.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual(order.slice(3, 6));
    const last = await env.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordName: second.NextRecordName, StartRecordType: second.NextRecordType }));
    expect(last.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type}`)).toEqual(order.slice(6));
    expect(last.IsTruncated).toBe(false);
    expect(last.NextRecordName).toBeUndefined();
    const www = await env.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordName: 'www.example.com', MaxItems: 1 }));
    expect(www.ResourceRecordSets?.[0]).toMatchObject({ Name: 'www.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'lb.example.net' }] });
    expect(env.fake.requests[1]?.params).toMatchObject({ Id: id, name: 'a.example.com.', type: 'TXT', maxitems: '3' });
  });

  it('rejects a start type without a start name and unknown zones', async () => {
    const id = env.fake.addHostedZone({ name: 'example.com' });
    const e = await rejection(env.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: id, StartRecordType: 'A' })));
    expect(e.name).toBe('InvalidInput');
    expect((await rejection(env.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: 'Z0NOPE' })))).name).toBe('NoSuchHostedZone');
    expect(() => env.fake.hostedZoneRecords('Z0NOPE')).toThrow(/no hosted zone/);
  });

  it('lists hosted zones by name with the labels reversed', async () => {
    const ids = ['b.org', 'example.com', 'www.example.com', 'a.net'].map((name) => env.fake.addHostedZone({ name }));
    const all = await env.route53.send(new ListHostedZonesByNameCommand({}));
    expect(all.HostedZones?.map((z) => z.Name)).toEqual(['example.com.', 'www.example.com.', 'a.net.', 'b.org.']);
    const from = await env.route53.send(new ListHostedZonesByNameCommand({ DNSName: 'www.example.com', MaxItems: 2 }));
    expect(from.HostedZones?.map((z) => z.Name)).toEqual(['www.example.com.', 'a.net.']);
    expect(from).toMatchObject({ IsTruncated: true, NextDNSName: 'b.org.', NextHostedZoneId: ids[0], DNSName: 'www.example.com', MaxItems: 2 });
    expect(from.HostedZones?.[0]?.Id).toBe(`/hostedzone/${ids[2]}`);
  });
});
