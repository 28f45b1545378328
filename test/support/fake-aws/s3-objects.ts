/**
 * S3 objects: PutObject, CopyObject, GetObject, HeadObject, DeleteObject and ListObjectsV2 (prefix,
 * delimiter, max-keys, continuation tokens, start-after). Keys are listed in UTF-8 byte order, as S3
 * does. PutObject and CopyObject honour conditional writes (`If-None-Match: *`, `If-Match: <etag>`).
 */
import { createHash } from 'node:crypto';
import { AwsError } from './errors.js';
import { xmlDocument, type RestContext, type RestHandler, type RestResult, type RestRoute } from './protocol-rest-xml.js';
import { bucketAt, noSuchBucket, ownBucket, S3_XMLNS, type BucketRecord } from './s3-buckets.js';
import { compareKeys, type StoredObject } from './s3-model.js';
import { readPayload } from './s3-payload.js';
import { children, iso, toXml, type XmlObject } from './xml.js';

/** Representation headers stored with an object and returned by GetObject and HeadObject. */
const STORED_HEADERS: Record<string, string> = {
  'cache-control': 'Cache-Control',
  'content-disposition': 'Content-Disposition',
  'content-language': 'Content-Language',
  expires: 'Expires',
};

/** Stores (or replaces) an object at `t`. */
export function storeObject(bucket: BucketRecord, o: Omit<StoredObject, 'md5' | 'lastModified'>, t: number): StoredObject {
  const stored: StoredObject = { ...o, md5: createHash('md5').update(o.body).digest('hex'), lastModified: t };
  bucket.objects.set(o.key, stored);
  return stored;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

function sseHeaders(bucket: BucketRecord): Record<string, string> {
  const e = bucket.config.encryption;
  if (!e) return { 'x-amz-server-side-encryption': 'AES256' };
  return {
    'x-amz-server-side-encryption': e.sseAlgorithm,
    ...(e.kmsMasterKeyId ? { 'x-amz-server-side-encryption-aws-kms-key-id': e.kmsMasterKeyId } : {}),
    ...(e.bucketKeyEnabled ? { 'x-amz-server-side-encryption-bucket-key-enabled': 'true' } : {}),
  };
}

function checksumHeaders(checksum: StoredObject['checksum']): Record<string, string> {
  return checksum ? { [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value, 'x-amz-checksum-type': 'FULL_OBJECT' } : {};
}

/** `x-amz-meta-*` and the stored representation headers of a request. */
function requestMetadata(ctx: RestContext): { metadata: Record<string, string>; headers: Record<string, string> } {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.headers)) {
    const v = one(value);
    if (v === undefined) continue;
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = v;
    const stored = STORED_HEADERS[name];
    if (stored) headers[stored] = v;
  }
  return { metadata, headers };
}

const preconditionFailed = (condition: string) => new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });

/**
 * S3's conditional writes on the destination key: `If-None-Match: *` fails with 412 when the key
 * exists; `If-Match: <etag>` fails with 404 `NoSuchKey` when it does not, 412 when its ETag differs.
 * (Requests are served one at a time, so S3's 409 `ConditionalRequestConflict` never happens here.)
 */
function checkWriteConditions(ctx: RestContext, bucket: BucketRecord, key: string): void {
  const existing = bucket.objects.get(key);
  const ifNoneMatch = one(ctx.headers['if-none-match']);
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { Header: 'If-None-Match' });
    if (existing) throw preconditionFailed('If-None-Match');
  }
  const ifMatch = one(ctx.headers['if-match']);
  if (ifMatch !== undefined) {
    if (!existing) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    if (ifMatch.trim().replace(/^"|"$/g, '') !== existing.md5) throw preconditionFailed('If-Match');
  }
}

function putObject(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const payload = readPayload(ctx.headers, ctx.body);
  const key = ctx.labels.Key ?? '';
  checkWriteConditions(ctx, bucket, key);
  const { metadata, headers } = requestMetadata(ctx);
  if (payload.contentEncoding) headers['Content-Encoding'] = payload.contentEncoding;
  const contentType = one(ctx.headers['content-type']) ?? 'binary/octet-stream';
  const stored = storeObject(bucket, { key, body: payload.body, contentType, metadata, checksum: payload.checksum, headers }, ctx.t);
  return { headers: { ETag: `"${stored.md5}"`, ...checksumHeaders(stored.checksum), ...sseHeaders(bucket) } };
}

/** The bucket and key of `x-amz-copy-source` (`bucket/key` or `/bucket/key`, URL-encoded). */
function copySource(ctx: RestContext): { bucket: BucketRecord; key: string } {
  const raw = one(ctx.headers['x-amz-copy-source']) ?? '';
  const [path = '', query] = raw.split('?', 2);
  if (query !== undefined) throw new AwsError('NotImplemented', 'The fake AWS server does not implement copying an object version', 501, { Header: 'x-amz-copy-source' });
  const m = /^\/?([^/]+)\/(.+)$/.exec(path);
  if (!m) throw new AwsError('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 400, { ArgumentName: 'x-amz-copy-source', ArgumentValue: raw });
  const name = decodeURIComponent(m[1] ?? '');
  const bucket = bucketAt(ctx.world, name, ctx.t);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.ownerAccount !== ctx.world.options.accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
  return { bucket, key: decodeURIComponent(m[2] ?? '') };
}

/**
 * CopyObject within the fake's account: `x-amz-metadata-directive` COPY (default: content type,
 * metadata and representation headers of the source) or REPLACE (those of the request), and the
 * conditional writes of PutObject on the destination. `x-amz-copy-source-if-*` are not implemented.
 */
function copyObject(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const key = ctx.labels.Key ?? '';
  if (Object.keys(ctx.headers).some((h) => h.startsWith('x-amz-copy-source-if-'))) {
    throw new AwsError('NotImplemented', 'The fake AWS server does not implement x-amz-copy-source-if-* conditions', 501);
  }
  const source = copySource(ctx);
  const from = source.bucket.objects.get(source.key);
  if (!from) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: source.key });
  const directive = one(ctx.headers['x-amz-metadata-directive']) ?? 'COPY';
  if (directive !== 'COPY' && directive !== 'REPLACE') throw new AwsError('InvalidArgument', `Unknown metadata directive.`, 400, { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive });
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw new AwsError('InvalidRequest', "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  checkWriteConditions(ctx, bucket, key);
  const replaced = directive === 'REPLACE' ? requestMetadata(ctx) : undefined;
  const stored = storeObject(
    bucket,
    {
      key,
      body: Buffer.from(from.body),
      contentType: replaced ? (one(ctx.headers['content-type']) ?? 'binary/octet-stream') : from.contentType,
      metadata: replaced ? replaced.metadata : { ...from.metadata },
      headers: replaced ? replaced.headers : { ...from.headers },
      checksum: from.checksum && { ...from.checksum },
    },
    ctx.t,
  );
  return { xml: xmlDocument('CopyObjectResult', S3_XMLNS, { ETag: `"${stored.md5}"`, LastModified: iso(stored.lastModified) }), headers: sseHeaders(bucket) };
}

function objectOf(ctx: RestContext): { bucket: BucketRecord; object: StoredObject } {
  const bucket = ownBucket(ctx);
  const key = ctx.labels.Key ?? '';
  const object = bucket.objects.get(key);
  if (!object) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
  return { bucket, object };
}

function objectHeaders(ctx: RestContext, bucket: BucketRecord, o: StoredObject): Record<string, string> {
  const meta = Object.fromEntries(Object.entries(o.metadata).map(([k, v]) => [`x-amz-meta-${k}`, v]));
  const checksum = one(ctx.headers['x-amz-checksum-mode']) === 'ENABLED' ? checksumHeaders(o.checksum) : {};
  return {
    'Content-Type': o.contentType,
    'Content-Length': String(o.body.length),
    ETag: `"${o.md5}"`,
    'Last-Modified': new Date(o.lastModified).toUTCString(),
    'Accept-Ranges': 'bytes',
    ...o.headers,
    ...meta,
    ...checksum,
    ...sseHeaders(bucket),
  };
}

function getObject(ctx: RestContext): RestResult {
  const { bucket, object } = objectOf(ctx);
  return { body: object.body, headers: objectHeaders(ctx, bucket, object) };
}

function headObject(ctx: RestContext): RestResult {
  const { bucket, object } = objectOf(ctx);
  return { body: '', headers: objectHeaders(ctx, bucket, object) };
}

function deleteObject(ctx: RestContext): RestResult {
  ownBucket(ctx).objects.delete(ctx.labels.Key ?? '');
  return { status: 204 };
}

/** A continuation token: where the previous page stopped (a key, or a common prefix it rolled up). */
function encodeListToken(kind: 'k' | 'p', value: string): string {
  return Buffer.from(`fake-s3:${kind}:${value}`, 'utf8').toString('base64');
}

function decodeListToken(token: string): { kind: string; value: string } {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const m = /^fake-s3:([kp]):([\s\S]*)$/.exec(text);
  if (!m) throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400, { ArgumentName: 'continuation-token' });
  return { kind: m[1] ?? 'k', value: m[2] ?? '' };
}

function maxKeysOf(query: URLSearchParams): number {
  const raw = query.get('max-keys');
  if (raw === null) return 1000;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw new AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400, { ArgumentName: 'max-keys' });
  return Math.min(n, 1000);
}

/** A flattened list of elements (S3 writes `Contents` and `CommonPrefixes` without a wrapper). */
const flat = (name: string, items: XmlObject[]): string => items.map((item) => toXml(name, item, {})).join('');

function listObjectsV2(ctx: RestContext): RestResult {
  const bucket = ownBucket(ctx);
  const { query } = ctx;
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const max = maxKeysOf(query);
  const token = query.get('continuation-token');
  const after = token !== null ? decodeListToken(token) : query.get('start-after') !== null ? { kind: 'k', value: query.get('start-after') ?? '' } : undefined;
  const encode = query.get('encoding-type') === 'url' ? (s: string) => encodeURIComponent(s).replace(/%2F/g, '/') : (s: string) => s;
  const keys = [...bucket.objects.keys()]
    .filter((k) => k.startsWith(prefix))
    .filter((k) => !after || (compareKeys(k, after.value) > 0 && !(after.kind === 'p' && k.startsWith(after.value))))
    .sort(compareKeys);
  const contents: StoredObject[] = [];
  const prefixes: string[] = [];
  let last: { kind: 'k' | 'p'; value: string } | undefined;
  let truncated = false;
  for (const key of keys) {
    const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? key.slice(0, cut + delimiter.length) : undefined;
    if (common !== undefined && last?.kind === 'p' && last.value === common) continue;
    if (contents.length + prefixes.length >= max) {
      truncated = max > 0;
      break;
    }
    const object = bucket.objects.get(key);
    if (common !== undefined) {
      prefixes.push(common);
      last = { kind: 'p', value: common };
    } else if (object) {
      contents.push(object);
      last = { kind: 'k', value: key };
    }
  }
  const fields: XmlObject = {
    Name: bucket.name,
    Prefix: encode(prefix),
    Delimiter: delimiter ? encode(delimiter) : undefined,
    MaxKeys: max,
    KeyCount: contents.length + prefixes.length,
    IsTruncated: truncated,
    ContinuationToken: token ?? undefined,
    NextContinuationToken: truncated && last ? encodeListToken(last.kind, last.value) : undefined,
    StartAfter: query.get('start-after') !== null ? encode(query.get('start-after') ?? '') : undefined,
    EncodingType: query.get('encoding-type') ?? undefined,
  };
  const items = contents.map((o) => ({
    Key: encode(o.key),
    LastModified: iso(o.lastModified),
    ETag: `"${o.md5}"`,
    ChecksumAlgorithm: o.checksum?.algorithm,
    ChecksumType: o.checksum ? 'FULL_OBJECT' : undefined,
    Size: o.body.length,
    StorageClass: 'STANDARD',
  }));
  const body = `${flat('Contents', items)}${flat('CommonPrefixes', prefixes.map((p) => ({ Prefix: encode(p) })))}`;
  return { xml: `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${S3_XMLNS}">${children(fields, {})}${body}</ListBucketResult>` };
}

/** The object routes; the plain ones refuse S3's subresources (`?acl`, `?tagging`, `?uploads`, …). */
export function s3ObjectRoutes(subresources: readonly string[]): RestRoute[] {
  const OBJECT = /^\/(?<Bucket>[^/]+)\/(?<Key>.+)$/;
  return [
    { method: 'PUT', path: OBJECT, without: subresources, header: 'x-amz-copy-source', action: 'CopyObject' },
    { method: 'PUT', path: OBJECT, without: subresources, action: 'PutObject' },
    { method: 'GET', path: OBJECT, without: subresources, action: 'GetObject' },
    { method: 'HEAD', path: OBJECT, without: subresources, action: 'HeadObject' },
    { method: 'DELETE', path: OBJECT, without: subresources, action: 'DeleteObject' },
  ];
}

/** The object operations by name. */
export const s3ObjectActions: Record<string, RestHandler> = {
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  ListObjectsV2: listObjectsV2,
};
