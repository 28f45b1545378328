import { ACMClient, DeleteCertificateCommand, DescribeCertificateCommand, ImportCertificateCommand, ListCertificatesCommand, ListTagsForCertificateCommand } from '@aws-sdk/client-acm';
import { attachDebugLog, clientConfig, type AwsTarget } from './config.js';
import { awsCall, isAwsFailure } from './errors.js';
import type { CertificateApi } from './services.js';

const bytes = (text: string) => new TextEncoder().encode(text);

export function createCertificateApi(target: AwsTarget): CertificateApi {
  const acm = new ACMClient(clientConfig(target, 'ACM'));
  attachDebugLog(acm, 'acm', target);
  return {
    async import(pem, tags) {
      const out = await awsCall('acm:ImportCertificate', () =>
        acm.send(
          new ImportCertificateCommand({
            Certificate: bytes(pem.certificate),
            PrivateKey: bytes(pem.privateKey),
            ...(pem.chain ? { CertificateChain: bytes(pem.chain) } : {}),
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        ),
      );
      return out.CertificateArn ?? '';
    },
    async describe(arn) {
      try {
        const out = await awsCall('acm:DescribeCertificate', () => acm.send(new DescribeCertificateCommand({ CertificateArn: arn })));
        const c = out.Certificate;
        if (!c) return undefined;
        return {
          arn,
          status: c.Status ?? 'UNKNOWN',
          domainName: (c.DomainName ?? '').toLowerCase(),
          names: (c.SubjectAlternativeNames ?? [c.DomainName ?? '']).map((n) => n.toLowerCase()),
          ...(c.NotAfter ? { notAfter: c.NotAfter.getTime() } : {}),
        };
      } catch (error) {
        if (isAwsFailure(error) && (error.kind === 'not-found' || error.code === 'ResourceNotFoundException')) return undefined;
        throw error;
      }
    },
    async delete(arn) {
      try {
        await awsCall('acm:DeleteCertificate', () => acm.send(new DeleteCertificateCommand({ CertificateArn: arn })));
        return true;
      } catch (error) {
        if (isAwsFailure(error) && error.code === 'ResourceInUseException') return false;
        if (isAwsFailure(error) && (error.kind === 'not-found' || error.code === 'ResourceNotFoundException')) return true;
        throw error;
      }
    },
    async taggedFor(cluster) {
      const arns: string[] = [];
      let token: string | undefined;
      do {
        const page = await awsCall('acm:ListCertificates', () => acm.send(new ListCertificatesCommand({ NextToken: token, Includes: {} })));
        for (const c of page.CertificateSummaryList ?? []) {
          if (c.Type !== undefined && c.Type !== 'IMPORTED') continue;
          if (!c.CertificateArn) continue;
          const arn = c.CertificateArn;
          const tags = await awsCall('acm:ListTagsForCertificate', () => acm.send(new ListTagsForCertificateCommand({ CertificateArn: arn })));
          if (tags.Tags?.some((t) => t.Key === 'elasticrtc:cluster' && t.Value === cluster)) arns.push(arn);
        }
        token = page.NextToken;
      } while (token);
      return arns;
    },
  };
}
