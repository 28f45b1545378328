import { describe, expect, it } from 'vitest';
import { partitionOf, tlsOnlyBucketPolicy } from '../../src/cluster/bucket.js';
import { NODE_RELEASE, RUNTIME_PREFIX, isSha256Hex, runtimeKey, runtimeRef } from '../../src/cluster/node-runtime.js';

const SHA = 'c33a3222b8eece9fb43a31ace5d03f4bc6f82dce052170e564ae996f932944b9';

describe('node runtime', () => {
  it('keys a bundle by tool version and the first 16 hex digits of its digest, under runtime/', () => {
    expect(runtimeKey('0.1.0', SHA)).toBe('runtime/elasticrtc-node-0.1.0-c33a3222b8eece9f.cjs');
    expect(runtimeKey('1.2.3-rc.1', SHA).startsWith(RUNTIME_PREFIX)).toBe(true);
    expect(runtimeKey('0.1.0', SHA.replace(/^c/, 'd'))).not.toBe(runtimeKey('0.1.0', SHA));
    expect(runtimeRef('0.1.0', SHA)).toEqual({ key: 'runtime/elasticrtc-node-0.1.0-c33a3222b8eece9f.cjs', sha256: SHA });
  });

  it('pins Node.js 22 by the npm registry’s sha512 integrity of each architecture', () => {
    expect(NODE_RELEASE.version).toMatch(/^22\.\d+\.\d+$/);
    for (const integrity of Object.values(NODE_RELEASE.integrity)) {
      // The launcher compares "sha512-" + base64 of openssl's binary digest: 64 bytes, 88 base64 characters.
      expect(integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
      expect(Buffer.from(integrity.slice('sha512-'.length), 'base64')).toHaveLength(64);
    }
    expect(NODE_RELEASE.integrity.x64).not.toBe(NODE_RELEASE.integrity.arm64);
  });

  it.each([
    [SHA, true],
    [SHA.toUpperCase(), false],
    [SHA.slice(1), false],
    [`${SHA}\n`, false],
    ['', false],
  ])('%j is a digest as sha256sum prints it: %s', (value, expected) => {
    expect(isSha256Hex(value)).toBe(expected);
  });
});

describe('cluster bucket', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/me', 'aws'],
    ['arn:aws-cn:sts::123456789012:assumed-role/deployer/session', 'aws-cn'],
    ['arn:aws-us-gov:iam::123456789012:root', 'aws-us-gov'],
    ['', 'aws'],
    ['not-an-arn', 'aws'],
  ])('the partition of %j is %s', (arn, partition) => {
    expect(partitionOf(arn)).toBe(partition);
  });

  it('denies every request without TLS on the bucket and its objects, in the caller’s partition', () => {
    expect(tlsOnlyBucketPolicy('eu-west-1-demo', 'aws-cn')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'TlsOnly',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: ['arn:aws-cn:s3:::eu-west-1-demo', 'arn:aws-cn:s3:::eu-west-1-demo/*'],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });
});
