import type { CliContext } from '../../cli/context.js';
import { outputFormat } from '../../cli/global-options.js';
import { formatTable, printResult } from '../../cli/output.js';
import { openAws } from '../../cli/auth/session.js';
import { DEFAULT_KMS_VERSION, KMS_VERSION_TAG, deployableVersions } from '../../cluster/versions.js';
import type { VersionOptions } from './command.js';

/** Lists the official releases and the user's own images tagged `elasticrtc:kms-version` in the region. */
export async function runVersion(ctx: CliContext, opts: VersionOptions): Promise<void> {
  const { aws, region } = await openAws(ctx, opts);
  const images = await (await aws.compute()).ownImages(KMS_VERSION_TAG);
  const versions = deployableVersions(images);
  const data = {
    region,
    default: DEFAULT_KMS_VERSION,
    versions: versions.map((v) => ({ version: v.version, source: v.source, imageId: v.imageId ?? null, default: v.isDefault })),
  };
  await printResult(ctx.io, outputFormat(opts), data, (d) =>
    formatTable(
      ['VERSION', 'SOURCE', 'DEFAULT'],
      d.versions.map((v) => [v.version, v.source === 'image' ? `own image ${v.imageId ?? ''}` : 'kurento release', v.default ? 'default' : '']),
      ctx.io.stdoutIsTty,
    ),
  );
}
