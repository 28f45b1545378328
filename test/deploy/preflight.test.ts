import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import type { Problem } from '../../src/cluster/problems.js';
import { describeProblem } from '../../src/cluster/problems.js';
import { RELEASED_KMS_VERSIONS } from '../../src/cluster/versions.js';
import { resolveSettings } from '../../src/cluster/settings.js';
import { type CertificateNames, checkRecordFree, planClusterDns } from '../../src/deploy/preflight.js';

const zone = { id: 'Z0EXAMPLE', name: 'example.com', private: false };
/** Route 53 with `records` in the zone, and ACM with one issued certificate for `acmNames`. */
function aws(records: string[], acmNames: string[] = []) {
  const lookups: string[] = [];
  return {
    lookups,
    clients: {
      dns: async () => ({
        hostedZone: async (id: string) => (id === zone.id ? zone : undefined),
        hasRecord: async (_zone: string, name: string) => {
          lookups.push(name);
          return records.includes(name);
        },
      }),
      certificates: async () => ({ describe: async (arn: string) => ({ arn, status: 'ISSUED', domainName: acmNames[0], names: acmNames }) }),
    } as unknown as AwsClients,
  };
}

function settings(flags: Record<string, string>) {
  const r = resolveSettings({ 'stack-name': 'demo', 'hosted-zone-id': zone.id, ...flags }, 'eu-west-1', [...RELEASED_KMS_VERSIONS]);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.value;
}

async function problemsFor(flags: Record<string, string>, certificate: CertificateNames, records: string[], acmNames?: string[], keep?: string) {
  const s = settings(flags);
  const { clients } = aws(records, acmNames);
  const problems: Problem[] = [];
  const facts = await planClusterDns(clients, s, certificate, problems);
  await checkRecordFree(clients, s, certificate, facts, problems, keep);
  return problems.map(describeProblem);
}

describe('checkRecordFree: an existing record of the cluster’s DNS name, naming the flag that chose the name', () => {
  it('<stack-name>.<zone>, no certificate: --stack-name', async () => {
    expect(await problemsFor({}, { kind: 'none' }, ['demo.example.com'])).toEqual([
      '--stack-name demo: hosted zone example.com (Z0EXAMPLE) already has a record demo.example.com, the cluster\'s DNS name; remove that record or choose another --stack-name',
    ]);
  });

  it('the certificate’s own name, from files: --ssl-cert with the file', async () => {
    const problems = await problemsFor({ 'ssl-cert': 'c.pem', 'ssl-key': 'k.pem' }, { kind: 'files', names: ['www.example.com'] }, ['www.example.com']);
    expect(problems).toEqual([expect.stringMatching(/^--ssl-cert c\.pem: hosted zone example\.com \(Z0EXAMPLE\) already has a record www\.example\.com, the certificate's name.*use a certificate for another name/)]);
  });

  it('the certificate’s own name, from ACM: --certificate-arn', async () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const problems = await problemsFor({ 'certificate-arn': arn }, { kind: 'acm', arn }, ['api.example.com'], ['api.example.com']);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^--certificate-arn ${arn}: hosted zone example.com \\(Z0EXAMPLE\\) already has a record api.example.com`))]);
  });

  it('a wildcard certificate: the name is <stack-name>.<zone>, so --stack-name', async () => {
    const problems = await problemsFor({ 'ssl-cert': 'c.pem', 'ssl-key': 'k.pem' }, { kind: 'files', names: ['*.example.com'] }, ['demo.example.com']);
    expect(problems).toEqual([expect.stringMatching(/^--stack-name demo: .*choose another --stack-name$/)]);
  });

  it('the cluster’s own record (an update keeping its name) and a free name are no problem', async () => {
    expect(await problemsFor({}, { kind: 'none' }, ['demo.example.com'], [], 'demo.example.com')).toEqual([]);
    expect(await problemsFor({}, { kind: 'none' }, ['other.example.com'])).toEqual([]);
  });
});
