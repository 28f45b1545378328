import type { OptionSpecs } from '../../cli/options.js';

/** `--stack-name`, the same in every command. */
export const stackNameOption = {
  'stack-name': { type: 'string', alias: 'n', placeholder: 'name', describe: 'cluster name (the CloudFormation stack name)' },
} as const satisfies OptionSpecs;

/** How a command waits for the operation it starts. */
export const waitOptions = {
  wait: { type: 'boolean', default: true, negatable: true, describe: 'follow the operation to its end (--no-wait returns once it has started)' },
  timeout: { type: 'string', placeholder: 'duration', describe: 'give up waiting after this long (also sent to CloudFormation, in whole minutes) [default: 60m]' },
} as const satisfies OptionSpecs;

export const yesOption = {
  yes: { type: 'boolean', alias: 'y', describe: 'answer yes to confirmations (needed where nobody can answer)' },
} as const satisfies OptionSpecs;

/** How long commands wait for an operation unless `--timeout` (or a config file) says otherwise. */
export const DEFAULT_TIMEOUT = '60m';
