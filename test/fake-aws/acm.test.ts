import {
  AddTagsToCertificateCommand,
  DeleteCertificateCommand,
  DescribeCertificateCommand,
  ImportCertificateCommand,
  ListCertificatesCommand,
  ListTagsForCertificateCommand,
} from '@aws-sdk/client-acm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { selfSigned, type TestCertificate } from './certs.js';
import { rejection, setup } from './helpers.js';

type Env = Awaited<ReturnType<typeof setup>>;
let env: Env;
let media: TestCertificate;
let other: TestCertificate;
beforeAll(() => {
  media = selfSigned({ commonName: 'media.example.com', sans: ['turn.example.com'] });
  other = selfSigned({ commonName: 'other.example.com' });
});
beforeEach(async () => {
  env = await setup();
});
afterEach(async () => {
  await env.close();
});

const importCert = (c: TestCertificate, extra: Partial<ConstructorParameters<typeof ImportCertificateCommand>[0]> = {}) =>
  env.acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(c.certificatePem), PrivateKey: Buffer.from(c.privateKeyPem), ...extra }));

describe('ACM', () => {
  it('imports a certificate and describes what it read from the PEM', async () => {
    const { CertificateArn: arn } = await importCert(media, { Tags: [{ Key: 'elasticrtc:cluster', Value: 'demo' }] });
    expect(arn).toMatch(/^arn:aws:acm:eu-west-1:123456789012:certificate\/[0-9a-f-]{36}$/);
    const { Certificate: c } = await env.acm.send(new DescribeCertificateCommand({ CertificateArn: arn }));
    expect(c).toMatchObject({
      CertificateArn: arn,
      DomainName: 'media.example.com',
      SubjectAlternativeNames: ['media.example.com', 'turn.example.com'],
      Status: 'ISSUED',
      Type: 'IMPORTED',
      KeyAlgorithm: 'RSA_2048',
      InUseBy: [],
    });
    expect(c?.NotAfter?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(c?.NotBefore?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(env.fake.certificates()).toEqual([
      expect.objectContaining({ arn, domainName: 'media.example.com', sans: ['media.example.com', 'turn.example.com'], tags: { 'elasticrtc:cluster': 'demo' }, privateKeyPem: media.privateKeyPem }),
    ]);
    expect(env.fake.requests[0]).toMatchObject({ service: 'acm', action: 'ImportCertificate' });
    expect(env.fake.requests[0]?.params.Tags).toBe('[{"Key":"elasticrtc:cluster","Value":"demo"}]');
  });

  it('shows an imported certificate EXPIRED once the clock passes NotAfter', async () => {
    const { CertificateArn } = await importCert(media);
    env.clock.ms = Date.UTC(2025, 0, 2);
    expect((await env.acm.send(new DescribeCertificateCommand({ CertificateArn }))).Certificate?.Status).toBe('EXPIRED');
  });

  it('rejects malformed certificates and keys that do not match with ValidationException', async () => {
    const bad = await rejection(env.acm.send(new ImportCertificateCommand({ Certificate: Buffer.from('not a certificate'), PrivateKey: Buffer.from(media.privateKeyPem) })));
    expect(bad.name).toBe('ValidationException');
    expect(bad.$metadata?.httpStatusCode).toBe(400);
    const garbled = media.certificatePem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    expect((await rejection(env.acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(garbled), PrivateKey: Buffer.from(media.privateKeyPem) })))).name).toBe('ValidationException');
    const mismatch = await rejection(env.acm.send(new ImportCertificateCommand({ Certificate: Buffer.from(media.certificatePem), PrivateKey: Buffer.from(other.privateKeyPem) })));
    expect(mismatch.message).toMatch(/private key does not match/);
    expect(env.fake.certificates()).toEqual([]);
  });

  it('reimports into the same ARN and keeps the tags', async () => {
    const { CertificateArn } = await importCert(media, { Tags: [{ Key: 'k', Value: 'v' }] });
    await env.acm.send(new ImportCertificateCommand({ CertificateArn, Certificate: Buffer.from(other.certificatePem), PrivateKey: Buffer.from(other.privateKeyPem) }));
    expect(env.fake.certificates()).toEqual([expect.objectContaining({ arn: CertificateArn, domainName: 'other.example.com', tags: { k: 'v' } })]);
  });

  it('tags, lists tags, lists certificates by status and key type, and deletes', async () => {
    const { CertificateArn: arn } = await importCert(media);
    const pending = env.fake.addCertificate({ domainName: 'pending.example.com', status: 'PENDING_VALIDATION' });
    const expired = env.fake.addCertificate({ domainName: 'old.example.com', notAfter: Date.UTC(2023, 0, 1) });
    await env.acm.send(new AddTagsToCertificateCommand({ CertificateArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    expect((await env.acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn }))).Tags).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    const all = await env.acm.send(new ListCertificatesCommand({}));
    expect(all.CertificateSummaryList?.map((c) => `${c.DomainName} ${c.Status}`)).toEqual(['media.example.com ISSUED', 'pending.example.com PENDING_VALIDATION', 'old.example.com EXPIRED']);
    const issued = await env.acm.send(new ListCertificatesCommand({ CertificateStatuses: ['ISSUED'] }));
    expect(issued.CertificateSummaryList?.map((c) => c.CertificateArn)).toEqual([arn]);
    const ec = await env.acm.send(new ListCertificatesCommand({ Includes: { keyTypes: ['EC_prime256v1'] } }));
    expect(ec.CertificateSummaryList).toEqual([]);
    const paged = await env.acm.send(new ListCertificatesCommand({ MaxItems: 2 }));
    const rest = await env.acm.send(new ListCertificatesCommand({ MaxItems: 2, NextToken: paged.NextToken }));
    expect([...(paged.CertificateSummaryList ?? []), ...(rest.CertificateSummaryList ?? [])].map((c) => c.CertificateArn)).toEqual([arn, pending, expired]);
    const described = (await env.acm.send(new DescribeCertificateCommand({ CertificateArn: pending }))).Certificate;
    expect(described).toMatchObject({ Type: 'AMAZON_ISSUED', Status: 'PENDING_VALIDATION' });
    expect(described?.DomainValidationOptions?.[0]?.ResourceRecord?.Type).toBe('CNAME');
    await env.acm.send(new DeleteCertificateCommand({ CertificateArn: arn }));
    const gone = await rejection(env.acm.send(new DescribeCertificateCommand({ CertificateArn: arn })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect((await rejection(env.acm.send(new DescribeCertificateCommand({ CertificateArn: 'nonsense' })))).name).toBe('ValidationException');
  });
});
