/**
 * The bytes of an S3 upload: `aws-chunked` bodies (with or without chunk signatures, with trailing
 * checksums) decoded, and every integrity header checked as S3 does: `Content-MD5`, a hex
 * `x-amz-content-sha256`, `x-amz-checksum-*` (header or trailer; CRC64NVME is taken on trust).
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { crc32 } from 'node:zlib';
import { AwsError } from './errors.js';

/** An upload's content and the checksum it carried. */
export interface Payload {
  body: Buffer;
  /** `Content-Encoding` without `aws-chunked`; `undefined` when nothing is left. */
  contentEncoding?: string;
  checksum?: { algorithm: string; value: string };
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const incomplete = (): AwsError => new AwsError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header', 400);

/** Decodes an `aws-chunked` body: `hex-size[;chunk-signature=…]\r\n bytes \r\n` … `0\r\n` then trailer lines and an empty line. */
export function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const eol = raw.indexOf('\r\n', pos);
    if (eol < 0) throw incomplete();
    const sizeText = raw.subarray(pos, eol).toString('latin1').split(';')[0]?.trim() ?? '';
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new AwsError('InvalidChunkSizeError', 'Only the last chunk is allowed to have a size less than 8192 bytes', 403);
    const size = parseInt(sizeText, 16);
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size > raw.length) throw incomplete();
    chunks.push(raw.subarray(pos, pos + size));
    pos += size;
    if (raw.subarray(pos, pos + 2).toString('latin1') !== '\r\n') throw incomplete();
    pos += 2;
  }
  for (const line of raw.subarray(pos).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC32C_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const uint32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** The base64 checksum of `body` for an algorithm (lower case, as in `x-amz-checksum-crc32`); `undefined` when the fake does not compute it. */
export function checksumOf(algorithm: string, body: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32':
      return uint32(crc32(body)).toString('base64');
    case 'crc32c':
      return uint32(crc32c(body)).toString('base64');
    case 'sha1':
    case 'sha256':
      return createHash(algorithm).update(body).digest('base64');
    default:
      return undefined;
  }
}

const ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

function checkChecksum(headers: IncomingHttpHeaders, trailers: Record<string, string>, body: Buffer): Payload['checksum'] {
  let found: Payload['checksum'];
  for (const algorithm of ALGORITHMS) {
    const name = `x-amz-checksum-${algorithm}`;
    const given = trailers[name] ?? header(headers, name);
    if (given === undefined) continue;
    const computed = checksumOf(algorithm, body);
    if (computed !== undefined && computed !== given) {
      throw new AwsError('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`, 400);
    }
    found = { algorithm: algorithm.toUpperCase(), value: given };
  }
  return found;
}

/** The content of an upload, checked; throws S3's error for a body that does not match what its headers say. */
export function readPayload(headers: IncomingHttpHeaders, raw: Buffer): Payload {
  const encodings = (header(headers, 'content-encoding') ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  const sha = header(headers, 'x-amz-content-sha256') ?? '';
  const chunked = encodings.includes('aws-chunked') || sha.startsWith('STREAMING-');
  let body = raw;
  let trailers: Record<string, string> = {};
  if (chunked) {
    ({ body, trailers } = decodeAwsChunked(raw));
    const declared = header(headers, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== body.length) throw incomplete();
  } else if (/^[0-9a-f]{64}$/.test(sha) && createHash('sha256').update(raw).digest('hex') !== sha) {
    throw new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
  }
  const md5 = header(headers, 'content-md5');
  if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5) {
    throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  const rest = encodings.filter((e) => e !== 'aws-chunked').join(',');
  return { body, ...(rest ? { contentEncoding: rest } : {}), checksum: checkChecksum(headers, trailers, body) };
}
