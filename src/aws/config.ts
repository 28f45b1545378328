/** What every SDK client needs to know: where, as whom, and how loudly. */
export interface AwsTarget {
  region: string;
  /** A named profile (`--profile`); otherwise the SDK's default chain decides. */
  profile?: string;
  /** Keys given as flags; they win over everything else. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Environment, for endpoint overrides (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`). */
  env: Readonly<Record<string, string | undefined>>;
  /** `--debug`: one line per AWS call (operation, status, duration); never request bodies. */
  debug?: (line: string) => void;
  /** Clock for the debug durations. */
  now: () => number;
}

/** Client configuration shared by every SDK client. */
export interface ClientConfig {
  region: string;
  endpoint?: string;
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts: number;
  retryMode: 'standard';
}

/**
 * Builds the SDK configuration for one service. `serviceEnvName` is the suffix of the service-specific
 * endpoint variable (`CLOUDFORMATION` for `AWS_ENDPOINT_URL_CLOUDFORMATION`), as the SDKs document.
 */
export function clientConfig(target: AwsTarget, serviceEnvName: string, maxAttempts = 5): ClientConfig {
  const endpoint = target.env[`AWS_ENDPOINT_URL_${serviceEnvName}`] ?? target.env.AWS_ENDPOINT_URL;
  return {
    region: target.region,
    maxAttempts,
    retryMode: 'standard',
    ...(endpoint ? { endpoint } : {}),
    ...(target.credentials ? { credentials: target.credentials } : target.profile ? { profile: target.profile } : {}),
  };
}

interface MiddlewareClient {
  middlewareStack: {
    add(
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize'; name: string },
    ): void;
  };
}

/** With `--debug`, logs each call's service, operation, outcome and duration (no payloads: they can hold secrets). */
export function attachDebugLog(client: unknown, service: string, target: AwsTarget): void {
  const debug = target.debug;
  if (!debug) return;
  (client as MiddlewareClient).middlewareStack.add(
    (next, context) => async (args) => {
      const started = target.now();
      const op = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
      try {
        const result = await next(args);
        debug(`aws ${op} ok (${target.now() - started} ms)`);
        return result;
      } catch (error) {
        const name = error instanceof Error ? error.name : 'Error';
        debug(`aws ${op} failed: ${name} (${target.now() - started} ms)`);
        throw error;
      }
    },
    { step: 'initialize', name: 'elasticrtcDebugLog' },
  );
}
