import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** How a launched program ended: its exit code, or the signal that ended it; `error` when it never ran. */
export interface ProcessEnd {
  code: number | null;
  signal: string | null;
  error?: string;
}

/** A running program, as the supervisor sees it. */
export interface LaunchedProcess {
  pid: number | undefined;
  /** Resolves once, when the program has ended. */
  ended: Promise<ProcessEnd>;
  /** Sends a signal (SIGINT: gst-launch -e ends the stream cleanly; SIGKILL). */
  kill(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL'): void;
}

/** Starts programs; `onLine` gets each line of their stdout and stderr. */
export interface Launcher {
  launch(command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>, onLine: (line: string) => void): LaunchedProcess;
}

/** The real one: a child process without a shell, its output read line by line. */
export const childProcessLauncher: Launcher = {
  launch(command, args, env, onLine) {
    const child = spawn(command, [...args], { env: { ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
    const ended = new Promise<ProcessEnd>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error: `cannot run ${command}: ${error.code ?? error.message}` }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    return {
      pid: child.pid,
      ended,
      kill: (signal) => void child.kill(signal),
    };
  },
};
