/**
 * ACM (JSON 1.1, target prefix `CertificateManager`): ImportCertificate, DescribeCertificate,
 * DeleteCertificate, AddTagsToCertificate, ListTagsForCertificate, ListCertificates.
 */
import { newCertificateArn, readImport, statusAt, usersAt, type CertificateRecord } from './acm-certs.js';
import { AwsError } from './errors.js';
import { decodeToken, encodeToken } from './form.js';
import { stableHex } from './ids.js';
import { epochSeconds, requiredString, tagList, tagsOf, type JsonContext, type JsonHandler, type JsonObject, type JsonServiceDef } from './protocol-json.js';

const ARN = /^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;

function certificateOf({ input, world }: JsonContext): CertificateRecord {
  const arn = requiredString(input, 'CertificateArn', 'ValidationException');
  if (!ARN.test(arn)) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '${arn}' at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN.source}`);
  }
  const cert = world.certificates.find((c) => c.arn === arn);
  if (!cert) throw new AwsError('ResourceNotFoundException', `Could not find certificate with ARN ${arn}.`);
  return cert;
}

function text(input: JsonObject, name: string): string | undefined {
  const value = input[name];
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

const importCertificate: JsonHandler = (ctx) => {
  const { input, t, world } = ctx;
  const pem = text(input, 'Certificate');
  const key = text(input, 'PrivateKey');
  if (pem === undefined || key === undefined) requiredString(input, pem === undefined ? 'Certificate' : 'PrivateKey', 'ValidationException');
  const fields = readImport(pem ?? '', key ?? '', text(input, 'CertificateChain'));
  if (input.CertificateArn !== undefined) {
    const existing = certificateOf(ctx);
    if (input.Tags !== undefined) throw new AwsError('ValidationException', 'Tags cannot be specified when reimporting a certificate.');
    if (existing.type !== 'IMPORTED') throw new AwsError('ValidationException', 'Only imported certificates can be reimported.');
    Object.assign(existing, fields, { importedAt: t });
    return { CertificateArn: existing.arn };
  }
  const arn = newCertificateArn(world);
  world.certificates.push({ ...fields, arn, type: 'IMPORTED', createdAt: t, importedAt: t, tags: tagsOf(input.Tags) });
  return { CertificateArn: arn };
};

function validation(c: CertificateRecord, status: string): JsonObject[] | undefined {
  if (c.type === 'IMPORTED') return undefined;
  return c.sans.map((DomainName) => ({
    DomainName,
    ValidationDomain: DomainName,
    ValidationMethod: 'DNS',
    ValidationStatus: status === 'PENDING_VALIDATION' ? 'PENDING_VALIDATION' : 'SUCCESS',
    ResourceRecord: { Name: `_${stableHex(DomainName, 32)}.${DomainName}.`, Type: 'CNAME', Value: `_${stableHex(`v${DomainName}`, 32)}.acm-validations.aws.` },
  }));
}

const describeCertificate: JsonHandler = (ctx) => {
  const c = certificateOf(ctx);
  const status = statusAt(c, ctx.t);
  const issued = status !== 'PENDING_VALIDATION';
  return {
    Certificate: {
      CertificateArn: c.arn,
      DomainName: c.domainName,
      SubjectAlternativeNames: c.sans,
      DomainValidationOptions: validation(c, status),
      Serial: c.serial,
      Subject: c.subject,
      Issuer: c.issuer,
      CreatedAt: c.type === 'AMAZON_ISSUED' ? epochSeconds(c.createdAt) : undefined,
      IssuedAt: c.type === 'AMAZON_ISSUED' && issued ? epochSeconds(c.createdAt) : undefined,
      ImportedAt: c.importedAt === undefined ? undefined : epochSeconds(c.importedAt),
      Status: status,
      NotBefore: issued ? epochSeconds(c.notBefore) : undefined,
      NotAfter: issued ? epochSeconds(c.notAfter) : undefined,
      KeyAlgorithm: c.keyAlgorithm,
      SignatureAlgorithm: c.keyAlgorithm.startsWith('EC') ? 'SHA256WITHECDSA' : 'SHA256WITHRSA',
      InUseBy: usersAt(ctx.world, c.arn, ctx.t),
      Type: c.type,
      RenewalEligibility: c.type === 'IMPORTED' ? 'INELIGIBLE' : 'ELIGIBLE',
      Options: { CertificateTransparencyLoggingPreference: 'ENABLED' },
    },
  };
};

const deleteCertificate: JsonHandler = (ctx) => {
  const c = certificateOf(ctx);
  const { world, t } = ctx;
  if (usersAt(world, c.arn, t).length) throw new AwsError('ResourceInUseException', `Certificate ${c.arn} in account ${world.options.accountId} is in use.`);
  world.certificates.splice(world.certificates.indexOf(c), 1);
  return undefined;
};

const addTagsToCertificate: JsonHandler = (ctx) => {
  const c = certificateOf(ctx);
  if (!Array.isArray(ctx.input.Tags) || !ctx.input.Tags.length) requiredString(ctx.input, 'Tags', 'ValidationException');
  Object.assign(c.tags, tagsOf(ctx.input.Tags));
  return undefined;
};

const listCertificates: JsonHandler = ({ input, t, world }) => {
  const statuses = Array.isArray(input.CertificateStatuses) ? (input.CertificateStatuses as string[]) : [];
  const includes = (input.Includes ?? {}) as { keyTypes?: string[] };
  const keyTypes = includes.keyTypes ?? ['RSA_1024', 'RSA_2048'];
  const max = typeof input.MaxItems === 'number' ? input.MaxItems : 1000;
  const start = typeof input.NextToken === 'string' ? decodeToken(input.NextToken) : 0;
  if (start === undefined) throw new AwsError('InvalidArgsException', 'The NextToken is not valid.');
  const all = world.certificates.filter((c) => (!statuses.length || statuses.includes(statusAt(c, t))) && keyTypes.includes(c.keyAlgorithm));
  const items = all.slice(start, start + max);
  return {
    CertificateSummaryList: items.map((c) => ({
      CertificateArn: c.arn,
      DomainName: c.domainName,
      SubjectAlternativeNameSummaries: c.sans,
      HasAdditionalSubjectAlternativeNames: false,
      Status: statusAt(c, t),
      Type: c.type,
      KeyAlgorithm: c.keyAlgorithm,
      InUse: usersAt(world, c.arn, t).length > 0,
      NotAfter: epochSeconds(c.notAfter),
      ImportedAt: c.importedAt === undefined ? undefined : epochSeconds(c.importedAt),
    })),
    NextToken: start + max < all.length ? encodeToken(start + max) : undefined,
  };
};

/** The ACM service. */
export const acm: JsonServiceDef = {
  name: 'acm',
  targetPrefix: 'CertificateManager',
  actions: {
    ImportCertificate: importCertificate,
    DescribeCertificate: describeCertificate,
    DeleteCertificate: deleteCertificate,
    AddTagsToCertificate: addTagsToCertificate,
    ListTagsForCertificate: (ctx) => ({ Tags: tagList(certificateOf(ctx).tags) }),
    ListCertificates: listCertificates,
  },
};
