import type { OwnImage } from '../aws/compute-api.js';
import type { CliContext } from '../cli/context.js';
import { UsageError } from '../cli/errors.js';
import { warn } from '../cli/output.js';
import { describeProblem, type Problem } from '../cluster/problems.js';
import { type ClusterSettings, type RawSettings, resolveSettings } from '../cluster/settings.js';
import { RELEASED_KMS_VERSIONS } from '../cluster/versions.js';
import type { CertificateInfo } from '../tls/check-certificate-pair.js';
import { readCertificateFiles } from './certificate-input.js';

/** Settings validated and certificate files read and checked: what every later step works from. */
export interface Validated {
  settings: ClusterSettings;
  /** The user's own image for a version outside the releases. */
  imageId?: string;
  certificate?: CertificateInfo;
}

/** Invalid settings: every problem at once (exit 2). */
export function invalidSettings(problems: readonly Problem[], kind: 'create' | 'update'): UsageError {
  const lines = problems.map(describeProblem);
  return new UsageError('InvalidSettings', lines.length === 1 ? (lines[0] ?? '') : `${lines.length} invalid settings:\n  ${lines.join('\n  ')}`, `run "elasticrtc ${kind} --help" for every flag and its format`);
}

/**
 * Validate: resolves the settings (first offline, so bad flags cost no AWS call; a version outside the
 * releases then looks for the user's own images, a read-only call), prints their warnings, and reads and
 * checks certificate files (prompting for an encrypted key's passphrase when someone can answer).
 */
export async function validateSettings(ctx: CliContext, kind: 'create' | 'update', raw: RawSettings, region: string, ownImages: () => Promise<OwnImage[]>): Promise<Validated> {
  const released: string[] = [...RELEASED_KMS_VERSIONS];
  const version = raw.version === undefined ? undefined : String(raw.version);
  const options = { streamUrlsKept: kind === 'update' };
  const offline = resolveSettings(raw, region, version === undefined ? released : [...released, version], options);
  if (!offline.ok) throw invalidSettings(offline.problems, kind);
  const images = version === undefined || released.includes(version) ? [] : await ownImages();
  const resolved = resolveSettings(raw, region, [...released, ...images.map((i) => i.version)], options);
  if (!resolved.ok) throw invalidSettings(resolved.problems, kind);
  const s = resolved.value;
  for (const w of resolved.warnings ?? []) warn(ctx.io, `--${w.flag}: ${w.message}`);
  const imageId = images.find((i) => i.version === s.kmsVersion)?.imageId;
  const certificate = s.tls.kind === 'files' ? await readCertificateFiles(ctx, s.tls) : undefined;
  return { settings: s, ...(imageId ? { imageId } : {}), ...(certificate ? { certificate } : {}) };
}
