import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import { runCreate } from './run.js';
import type { OptionSpecs } from '../../cli/options.js';
import { settingOptions } from '../shared/setting-options.js';
import { createWaitOptions, stackNameOption, terminationProtectionOption } from '../shared/options.js';

/** The cluster settings flags create takes, validated in `cluster/settings.ts`, so values stay strings here. */
export const createSettingOptions = {
  config: { type: 'string', alias: 'f', placeholder: 'file', describe: 'read settings from a YAML file keyed by these flag names (docs/config.md); flags override it' },
  ...settingOptions('create'),
} as const satisfies OptionSpecs;

export const createOptions = {
  ...stackNameOption,
  ...createSettingOptions,
  'dry-run': { type: 'boolean', describe: 'validate and print the template and parameters; change nothing in AWS' },
  ...terminationProtectionOption,
  ...createWaitOptions,
} as const satisfies OptionSpecs;

export type CreateOptions = CommandOptions<typeof createOptions>;

/** `elasticrtc create`: a new cluster, followed to the end, then its report. */
export const createCommand = (ctx: CliContext, run?: RunFunction<typeof createOptions>): Command<typeof createOptions> => ({
  name: 'create',
  describe: 'Create a Kurento cluster: validate, create its stack, follow it, report',
  options: createOptions,
  examples: [
    ['elasticrtc create --stack-name demo --region eu-west-1 --dry-run', 'print the template, create nothing'],
    ['elasticrtc create --stack-name demo --min-capacity 1 --max-capacity 4', 'an autoscaling cluster'],
    ['elasticrtc create --stack-name ci --non-interactive -o json', 'from a CI job'],
  ],
  handler: (opts) => (run ?? runCreate)(ctx, opts),
});
