import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The region configured for a profile in the shared AWS config file (`~/.aws/config`, or
 * `AWS_CONFIG_FILE`), as the AWS CLI and SDKs read it; undefined when there is none.
 */
export async function profileRegion(profile: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const files = await loadSharedConfigFiles({
    configFilepath: env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    filepath: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
    ignoreCache: true,
  });
  const region = files.configFile?.[profile]?.region ?? files.credentialsFile?.[profile]?.region;
  return region && region.trim() !== '' ? region.trim() : undefined;
}
