import { afterAll, beforeAll } from 'vitest';
import { type FakeAws, type FakeAwsOptions, startFakeAws } from '../support/fake-aws/index.js';

/**
 * A fake AWS of the enclosing describe block's own: started before its tests, closed after them.
 * Blocks that run at the same time (`concurrent`) each need one when they count requests or inject
 * failures. The object stands for the fake once it is started (it forwards to it), so the tests use
 * it as they would a `let fake` set in `beforeAll`.
 */
export function blockFakeAws(options: FakeAwsOptions): FakeAws {
  let current: FakeAws | undefined;
  beforeAll(async () => {
    current = await startFakeAws(options);
  });
  afterAll(() => current?.close());
  return new Proxy({} as FakeAws, {
    get(_target, key) {
      if (!current) throw new Error(`the describe block's fake AWS is not started: read ${String(key)} in a test or hook, not while the block is collected`);
      const value: unknown = Reflect.get(current, key);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
