import type { CliContext } from './context.js';
import type { OptionSpecs, OptionValues } from './options.js';
import type { globalOptions } from './global-options.js';

/** A verb of the tool: what it declares (options, help) and what runs it. */
export interface Command<S extends OptionSpecs = OptionSpecs> {
  readonly name: string;
  readonly describe: string;
  readonly options: S;
  /** Flags other commands take that this one refuses, each with why (`update --api-key`). */
  readonly refuses?: Readonly<Record<string, { message: string; hint: string }>>;
  /** An option that may also be given as the word after the command (`completion bash`). */
  readonly positional?: keyof S & string;
  readonly examples: readonly (readonly [command: string, meaning: string])[];
  /** Runs the command with parsed options (global options included). */
  handler(values: OptionValues<S & typeof globalOptions>): Promise<void>;
}

/** The options a command's run function receives: its own and the global ones. */
export type CommandOptions<S extends OptionSpecs> = OptionValues<S & typeof globalOptions>;

/** What a run function looks like. */
export type RunFunction<S extends OptionSpecs> = (ctx: CliContext, opts: CommandOptions<S>) => Promise<void>;
