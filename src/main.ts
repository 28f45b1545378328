import type { Command } from './cli/command.js';
import { isCi } from './cli/ci.js';
import type { CliContext } from './cli/context.js';
import { ExitCode } from './cli/errors.js';
import { type GlobalOptions, outputFormat, sniffOutputFormat } from './cli/global-options.js';
import { parseCommandLine } from './cli/parse-args.js';
import { reportError } from './cli/report-error.js';
import { createCommand } from './commands/create/command.js';
import { deleteCommand } from './commands/delete/command.js';
import { listCommand } from './commands/list/command.js';
import { showCommand } from './commands/show/command.js';
import { iamPolicyCommand } from './commands/iam-policy/command.js';
import { updateCommand } from './commands/update/command.js';
import { versionCommand } from './commands/version/command.js';
import { completionCommand } from './commands/completion/command.js';
import { TOOL_VERSION } from './version.js';

export { TOOL_VERSION } from './version.js';
export { createProcessContext } from './cli/process-context.js';

/** Every verb, in the order help lists them. */
export const commands = (ctx: CliContext): Command[] =>
  [createCommand(ctx), listCommand(ctx), showCommand(ctx), updateCommand(ctx), deleteCommand(ctx), versionCommand(ctx), iamPolicyCommand(ctx), completionCommand(ctx)] as unknown as Command[];

/** Applies the global options to the streams: who can be prompted, and whether to colour. */
function configureIo(ctx: CliContext, o: Pick<GlobalOptions, 'non-interactive' | 'color'>): void {
  const io = ctx.io;
  // stderr first: without a terminal there, stdin is never even opened.
  io.interactive = !o['non-interactive'] && !isCi(ctx.env) && io.stderrIsTty && io.stdinIsTty;
  io.color = io.stderrIsTty && o.color !== false && !ctx.env.NO_COLOR;
}

/**
 * Runs the tool: parses `argv`, runs the command, and turns its outcome into an exit code. This is the
 * only place where errors become exit codes.
 */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  let format = sniffOutputFormat(argv);
  let debug = argv.includes('--debug');
  try {
    const verbs = commands(ctx);
    const outcome = parseCommandLine(argv, verbs, ctx.io.columns);
    if (outcome.kind === 'version') {
      ctx.io.out.write(`${TOOL_VERSION}\n`);
      return ExitCode.Success;
    }
    if (outcome.kind === 'text') {
      ctx.io.out.write(outcome.text);
      return ExitCode.Success;
    }
    const globals = outcome.values as GlobalOptions;
    format = outputFormat(globals);
    debug = globals.debug === true;
    configureIo(ctx, globals);
    await outcome.command.handler(outcome.values as never);
    return ExitCode.Success;
  } catch (error) {
    return reportError(ctx.io, format, error, debug);
  }
}
