import type { OptionSpecs } from '../../cli/options.js';
import { SETTINGS } from '../../cluster/setting-table.js';

const stackName = SETTINGS['stack-name'];
const timeout = SETTINGS.timeout;

/** `--stack-name`, the same in every command. */
export const stackNameOption = {
  'stack-name': { type: 'string', alias: stackName.alias, placeholder: stackName.placeholder, describe: stackName.describe },
} as const satisfies OptionSpecs;

/** How long commands wait for an operation unless `--timeout` (or a config file) says otherwise. */
export const DEFAULT_TIMEOUT = timeout.default;

/** How a command waits for the operation it starts. Only create sends CloudFormation a time limit. */
const waiting = (timeoutText: string) =>
  ({
    wait: { type: 'boolean', default: true, negatable: true, describe: 'follow the operation to its end (--no-wait returns once it has started)' },
    timeout: { type: 'string', placeholder: timeout.placeholder, describe: `${timeoutText} [default: ${DEFAULT_TIMEOUT}]` },
  }) as const satisfies OptionSpecs;

export const waitOptions = waiting(timeout.describe);
export const createWaitOptions = waiting(`${timeout.describe}; CloudFormation also gets it, in whole minutes, and rolls the creation back past it`);

export const terminationProtectionOption = {
  'termination-protection': { type: 'boolean', describe: SETTINGS['termination-protection'].describe },
} as const satisfies OptionSpecs;

export const yesOption = {
  yes: { type: 'boolean', alias: 'y', describe: 'answer yes to confirmations (needed where nobody can answer)' },
} as const satisfies OptionSpecs;
