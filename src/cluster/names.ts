import type { Problem } from './problems.js';

/**
 * S3 bucket naming rules (general purpose buckets): 3-63 characters of lowercase letters, digits, dots
 * and hyphens; a letter or digit at each end; no `..`; not an IP address; no reserved prefix or suffix.
 */
export function checkBucketName(name: string, flag = 'aws-s3-bucket-name'): Problem[] {
  const why = bucketNameProblem(name);
  return why ? [{ flag, value: name, expected: why }] : [];
}

function bucketNameProblem(name: string): string | undefined {
  if (/[A-Z]/.test(name) && bucketNameProblem(name.toLowerCase()) === undefined) return `has uppercase letters: S3 bucket names are lowercase (give ${name.toLowerCase()})`;
  if (/[A-Z]/.test(name)) return 'has uppercase letters: S3 bucket names are lowercase, of letters, digits, dots and hyphens, starting and ending with a letter or digit';
  if (name.length < 3 || name.length > 63) return `is ${name.length} characters long; a bucket name has 3 to 63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'may hold only lowercase letters, digits, dots and hyphens, and must start and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not look like an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'starts with a prefix S3 reserves (xn--, sthree-, amzn-s3-demo-)';
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return 'ends with a suffix S3 reserves';
  return undefined;
}

/** The default bucket: `<region>-<stack-name>`, lowercased (the 2016 template forgot to lowercase it). */
export const defaultBucketName = (region: string, stackName: string): string => `${region}-${stackName}`.toLowerCase();

const HOST = /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** `--elasticsearch-transport host[:port]`; the port defaults to 9200. */
export function parseTransport(raw: string): { host: string; port: number } | Problem {
  const m = /^([^:\s]+)(?::(\d{1,5}))?$/.exec(raw.trim());
  const host = m?.[1];
  const port = m?.[2] === undefined ? 9200 : Number(m[2]);
  if (!host || !HOST.test(host) || port < 1 || port > 65535) {
    return { flag: 'elasticsearch-transport', value: raw, expected: 'expected host[:port], e.g. logs.example.com:9200 (the port defaults to 9200)' };
  }
  return { host, port };
}

/** An ACM certificate ARN in the cluster's region. */
export function checkCertificateArn(arn: string, region: string): Problem[] {
  const m = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[0-9a-f-]{36}$/.exec(arn);
  if (!m) return [{ flag: 'certificate-arn', value: arn, expected: 'expected an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/…' }];
  if (m[1] !== region) {
    return [{ flag: 'certificate-arn', value: arn, expected: `is in ${m[1]}, but the cluster is in ${region}: a load balancer can only use a certificate of its own region` }];
  }
  return [];
}

/**
 * A Route 53 hosted zone id, 1-32 uppercase letters and digits (AWS's start with `Z`, emulators' need
 * not), bare or as the AWS CLI prints it (`/hostedzone/Z…`); returns the bare id.
 */
export function normaliseZoneId(raw: string): string | undefined {
  const id = raw.trim().replace(/^\/?hostedzone\//, '');
  return /^[A-Z0-9]{1,32}$/.test(id) ? id : undefined;
}

/** What `--hosted-zone-id` expects, for its error message. */
export const ZONE_ID_EXPECTED = 'expected a Route 53 hosted zone id: uppercase letters and digits such as Z0123456789ABCDEFGHIJ, or /hostedzone/Z0123456789ABCDEFGHIJ';
