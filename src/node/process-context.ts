import { execFile } from 'node:child_process';
import { sdkCloud } from './cloud.js';
import type { NodeContext } from './context.js';

/** The real process: its streams, wall-clock time, its environment, programs on PATH, the SDK. */
export function createNodeProcessContext(): NodeContext {
  // On a node the runtime runs on Node.js 22; elsewhere (Node 20.19+, as the CLI) the SDK's notice
  // about its future Node.js support is not the operator's concern.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return {
    out: { write: (t) => void process.stdout.write(t) },
    err: { write: (t) => void process.stderr.write(t) },
    clock: {
      now: () => Date.now(),
      sleep: (ms, signal) =>
        new Promise((resolve) => {
          // The listener goes with the sleep: loops that sleep on one long-lived signal must not pile them up.
          const abort = () => (clearTimeout(timer), resolve());
          const timer = setTimeout(() => (signal?.removeEventListener('abort', abort), resolve()), ms);
          signal?.addEventListener('abort', abort, { once: true });
        }),
    },
    env: process.env,
    run: (command, args, options) =>
      new Promise((resolve) => {
        execFile(command, [...args], { maxBuffer: 16 * 1024 * 1024, ...(options?.timeoutMs ? { timeout: options.timeoutMs } : {}), ...(options?.env ? { env: { ...process.env, ...options.env } } : {}) }, (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
          resolve({ code, stdout: String(stdout), stderr: error && !stderr ? error.message : String(stderr) });
        });
      }),
    cloud: sdkCloud,
  };
}
