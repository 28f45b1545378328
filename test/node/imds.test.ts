import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Imds } from '../../src/node/imds.js';
import { createNodeProcessContext } from '../../src/node/process-context.js';
import { type FakeImds, startFakeImds } from '../support/fake-imds.js';

let imds: FakeImds;
beforeAll(async () => {
  imds = await startFakeImds({ instanceId: 'i-0123456789abcdef0' });
});
afterAll(async () => {
  await imds.close();
});

describe('IMDSv2', () => {
  it('takes a new token when its token has expired, and the same call succeeds', async () => {
    const client = new Imds({ endpoint: imds.url, attempts: 2, sleep: () => Promise.resolve() });
    expect(await client.get('instance-id')).toBe('i-0123456789abcdef0');
    imds.expireTokens();
    expect(await client.get('instance-id')).toBe('i-0123456789abcdef0');
  });
});

describe('the node process context', () => {
  it('leaves no abort listener behind after a sleep ends (a loop sleeping on one signal)', async () => {
    const { clock } = createNodeProcessContext();
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) await clock.sleep(1, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    const waiting = clock.sleep(60_000, stop.signal);
    stop.abort();
    await waiting; // ends at once when aborted
  });
});
