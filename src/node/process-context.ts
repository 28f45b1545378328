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
          const timer = setTimeout(resolve, ms);
          signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
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
