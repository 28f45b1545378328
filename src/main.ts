import yargs, { type Argv } from 'yargs';
import { createCommand } from './commands/create/command.js';
import { deleteCommand } from './commands/delete/command.js';
import { listCommand } from './commands/list/command.js';
import { showCommand } from './commands/show/command.js';
import { versionCommand } from './commands/version/command.js';
import type { CliContext } from './cli/context.js';
import { ExitCode, UsageError } from './cli/errors.js';
import { type GlobalOptions, globalOptions, outputFormat, sniffOutputFormat } from './cli/global-options.js';
import { isCi } from './cli/ci.js';
import { reportError } from './cli/report-error.js';

export { TOOL_VERSION } from './version.js';
export { createProcessContext } from './cli/process-context.js';
import { TOOL_VERSION } from './version.js';

/** Applies the global options to the streams: who can be prompted, and whether to colour. */
function configureIo(ctx: CliContext, o: GlobalOptions): void {
  const io = ctx.io;
  io.interactive = io.stdinIsTty && io.stderrIsTty && !o['non-interactive'] && !isCi(ctx.env);
  io.color = io.stderrIsTty && o.color !== false && !ctx.env.NO_COLOR;
}

function buildParser(argv: readonly string[], ctx: CliContext, onGlobals: (o: GlobalOptions) => void): Argv {
  return yargs([...argv])
    .scriptName('elasticrtc')
    .usage('$0 <command> [options]\n\nDeploy and operate Kurento Media Server clusters on AWS.')
    .options(globalOptions)
    .middleware((o) => {
      onGlobals(o as GlobalOptions);
      configureIo(ctx, o as GlobalOptions);
    }, true)
    .command(createCommand(ctx))
    .command(listCommand(ctx))
    .command(showCommand(ctx))
    .command(deleteCommand(ctx))
    .command(versionCommand(ctx))
    .demandCommand(1, 'a command is needed')
    .recommendCommands()
    .strict()
    // `--version` is create's Kurento version flag (as in 2016); the tool's own is --tool-version.
    .version(false)
    .help('help')
    .alias('help', 'h')
    .showHelpOnFail(false)
    .epilog('Exit codes and JSON output are documented in docs/. Run "elasticrtc <command> --help" for a command.')
    .wrap(Math.min(110, ctx.io.columns))
    .fail((message, error) => {
      throw error ?? new UsageError('InvalidUsage', lowerFirst(message), 'run "elasticrtc --help" for the commands and options');
    })
    .exitProcess(false);
}

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/**
 * Runs the tool: parses `argv`, runs the command, and turns its outcome into an exit code. This is the
 * only place where errors become exit codes.
 */
export async function main(argv: readonly string[], ctx: CliContext): Promise<number> {
  if (argv.includes('--tool-version') || argv.includes('-V')) {
    ctx.io.out.write(`${TOOL_VERSION}\n`);
    return ExitCode.Success;
  }
  let format = sniffOutputFormat(argv);
  let debug = argv.includes('--debug');
  let printed = '';
  try {
    const parser = buildParser(argv, ctx, (o) => {
      format = outputFormat(o);
      debug = o.debug === true;
    });
    await parser.parseAsync([...argv], {}, (_error, _argv, output) => {
      printed = output;
    });
    if (printed) ctx.io.out.write(printed.endsWith('\n') ? printed : `${printed}\n`);
    return ExitCode.Success;
  } catch (error) {
    return reportError(ctx.io, format, error, debug);
  }
}
