/**
 * Where the fake-KMS conformance tests run. By default against a fresh fake; with
 * `KMS_CONFORMANCE_URL=ws://host:8888/kurento` the tests that need no fake-only knob run against
 * that server instead (e.g. kurento/kurento-media-server:7.3.0 in a CI job that has Docker), so
 * the fake and the real server are held to the same assertions.
 */
import { startFakeKms, type FakeKms, type FakeKmsOptions } from './index.js';

/** The real server to test against, if any. */
export const realKmsUrl: string | undefined = process.env['KMS_CONFORMANCE_URL'] || undefined;

export interface KmsTarget {
  url: string;
  /** The fake, unless the tests run against a real server. */
  fake: FakeKms | undefined;
  close(): Promise<void>;
}

export async function kmsTarget(options: FakeKmsOptions = {}): Promise<KmsTarget> {
  if (realKmsUrl) return { url: realKmsUrl, fake: undefined, close: async () => undefined };
  const fake = await startFakeKms(options);
  return { url: fake.url, fake, close: () => fake.close() };
}
