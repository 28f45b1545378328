import type { Options } from 'yargs';

/** `--stack-name`, the same in every command. */
export const stackNameOption = {
  'stack-name': { alias: 'n', type: 'string', describe: 'cluster name (the CloudFormation stack name)' },
} as const satisfies Record<string, Options>;

/** How a command waits for the operation it starts. */
export const waitOptions = {
  wait: { type: 'boolean', default: true, describe: 'follow the operation to its end (--no-wait returns once it has started)' },
  timeout: { type: 'string', default: '60m', describe: 'give up waiting after this long (also sent to CloudFormation)' },
} as const satisfies Record<string, Options>;

export const yesOption = {
  yes: { alias: 'y', type: 'boolean', describe: 'answer yes to confirmations (needed where nobody can answer)' },
} as const satisfies Record<string, Options>;
