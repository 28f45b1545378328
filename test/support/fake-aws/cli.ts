/**
 * Runs the fake AWS endpoint for manual use:
 *   npx tsx test/support/fake-aws/cli.ts [--port N] [--step-ms N] [--no-event-tokens]
 * prints `AWS_ENDPOINT_URL=http://127.0.0.1:PORT` and serves until SIGINT or SIGTERM.
 */
import { startFakeAws } from './index.js';

function option(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a non-negative integer, got ${value}`);
  return n;
}

const fake = await startFakeAws({ port: option('--port'), stepMs: option('--step-ms'), eventTokens: !process.argv.includes('--no-event-tokens') });
console.log(`AWS_ENDPOINT_URL=${fake.url}`);
const stop = (): void => {
  fake.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
