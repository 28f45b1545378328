/**
 * Kurento Media Server releases the cluster can run, newest first: the official
 * `kurento/kurento-media-server:<version>` images that the node runtime configures correctly. It needs
 * `externalIPv4` (WebRtcEndpoint, from 6.15.0) for public candidates behind EC2's NAT, and reads every
 * setting from its own files, never through the image's entrypoint (docs/decisions.md).
 */
export const RELEASED_KMS_VERSIONS = [
  '7.3.0',
  '7.2.0',
  '7.1.0',
  '7.0.1',
  '7.0.0',
  '6.18.0',
  '6.17.0',
  '6.16.0',
  '6.15.0',
] as const;

/** The oldest Kurento the node runtime configures correctly (also for a user's own images). */
export const MIN_KMS_VERSION = '6.15.0';

/** The version `create` deploys when `--version` is not given: the newest stable release. */
export const DEFAULT_KMS_VERSION = '7.3.0';

/** The tag that marks a user's own machine image as running a given Kurento version. */
export const KMS_VERSION_TAG = 'elasticrtc:kms-version';

const VERSION_PATTERN = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/** True for a dotted version such as `7.3.0` (a pre-release or build suffix is allowed). */
export const isVersion = (value: string): boolean => VERSION_PATTERN.test(value);

/** Compares versions numerically, part by part (`6.10.0` > `6.9.0`); suffixed versions sort below their release. */
export function compareVersions(a: string, b: string): number {
  const [coreA = '', suffixA] = a.split(/[-+](.*)/s);
  const [coreB = '', suffixB] = b.split(/[-+](.*)/s);
  const pa = coreA.split('.').map(Number);
  const pb = coreB.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  if (suffixA === suffixB) return 0;
  if (suffixA === undefined) return 1;
  if (suffixB === undefined) return -1;
  return suffixA < suffixB ? -1 : 1;
}

/** A deployable version and where it comes from. */
export interface DeployableVersion {
  version: string;
  source: 'release' | 'image';
  imageId?: string;
  isDefault: boolean;
}

/** Merges the releases with the user's own images (from MIN_KMS_VERSION): newest first, one row per version (an image wins). */
export function deployableVersions(images: readonly { imageId: string; version: string }[]): DeployableVersion[] {
  const byVersion = new Map<string, DeployableVersion>();
  for (const v of RELEASED_KMS_VERSIONS) byVersion.set(v, { version: v, source: 'release', isDefault: v === DEFAULT_KMS_VERSION });
  for (const img of images) {
    if (!isVersion(img.version) || compareVersions(img.version, MIN_KMS_VERSION) < 0) continue;
    byVersion.set(img.version, { version: img.version, source: 'image', imageId: img.imageId, isDefault: img.version === DEFAULT_KMS_VERSION });
  }
  return [...byVersion.values()].sort((a, b) => compareVersions(b.version, a.version));
}
