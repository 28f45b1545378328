import type { Command, CommandOptions, RunFunction } from '../../cli/command.js';
import type { CliContext } from '../../cli/context.js';
import type { OptionSpecs } from '../../cli/options.js';
import { FIXED_ON_UPDATE } from '../../cluster/setting-table.js';
import { settingOptions } from '../shared/setting-options.js';
import { stackNameOption, waitOptions, yesOption } from '../shared/options.js';
import { runUpdate } from './run.js';

export const updateOptions = {
  ...stackNameOption,
  config: { type: 'string', alias: 'f', placeholder: 'file', describe: 'read settings from a YAML file keyed by flag names (e.g. one printed by create --dry-run -o yaml); flags override it' },
  ...settingOptions('update'),
  'dry-run': { type: 'boolean', describe: 'create the change set, show it, delete it; change nothing (needs no --yes)' },
  ...waitOptions,
  ...yesOption,
} as const satisfies OptionSpecs;

export type UpdateOptions = CommandOptions<typeof updateOptions>;

/** `elasticrtc update`: changes a running cluster through a previewed change set. */
export const updateCommand = (ctx: CliContext, run?: RunFunction<typeof updateOptions>): Command<typeof updateOptions> => ({
  name: 'update',
  describe: 'Change a cluster (capacity, scaling, instance type, version, origins…): preview, confirm, apply',
  options: updateOptions,
  refuses: Object.fromEntries(Object.entries(FIXED_ON_UPDATE).map(([flag, why]) => [flag, { message: `--${flag} cannot be changed by an update`, hint: why }])),
  examples: [
    ['elasticrtc update --stack-name demo --max-capacity 10 --min-capacity 2', 'new autoscaling bounds'],
    ['elasticrtc update --stack-name demo --version 7.2.0 --yes', 'another Kurento version (nodes are replaced)'],
  ],
  handler: (opts) => (run ?? runUpdate)(ctx, opts),
});
