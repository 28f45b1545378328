import { GetHostedZoneCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { attachDebugLog, clientConfig, type AwsTarget } from './config.js';
import { awsCall, isAwsFailure } from './errors.js';
import type { DnsApi } from './services.js';

const bare = (name: string) => name.replace(/\.$/, '').toLowerCase();

export function createDnsApi(target: AwsTarget): DnsApi {
  // Route 53 is a global service, signed in us-east-1.
  const route53 = new Route53Client({ ...clientConfig(target, 'ROUTE_53'), region: 'us-east-1' });
  attachDebugLog(route53, 'route53', target);
  return {
    async hostedZone(id) {
      try {
        const out = await awsCall('route53:GetHostedZone', () => route53.send(new GetHostedZoneCommand({ Id: id })));
        const zone = out.HostedZone;
        return zone ? { id, name: bare(zone.Name ?? ''), private: zone.Config?.PrivateZone ?? false } : undefined;
      } catch (error) {
        if (isAwsFailure(error) && (error.kind === 'not-found' || error.code === 'NoSuchHostedZone' || error.code === 'InvalidInput')) return undefined;
        throw error;
      }
    },
    async hasRecord(zoneId, name) {
      const out = await awsCall('route53:ListResourceRecordSets', () =>
        route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, MaxItems: 1 })),
      );
      const first = out.ResourceRecordSets?.[0];
      return first !== undefined && bare(first.Name ?? '') === bare(name);
    },
  };
}
