import { describe, expect, it } from 'vitest';
import type { AwsClients } from '../../src/aws/clients.js';
import { removeUnusedImports } from '../../src/deploy/cluster-extras.js';
import { testContext } from '../support/context.js';

/** ACM with certificates tagged for `demo`; `inUseFor(arn)`: how many delete attempts ACM refuses. */
function acm(tagged: string[], inUseFor: Record<string, number> = {}) {
  const attempts: string[] = [];
  const left = new Set(tagged);
  const certificates = {
    taggedFor: async (cluster: string) => (cluster === 'demo' ? [...left] : []),
    delete: async (arn: string) => {
      attempts.push(arn);
      if ((inUseFor[arn] ?? 0) > 0) {
        inUseFor[arn] = (inUseFor[arn] ?? 0) - 1;
        return false;
      }
      left.delete(arn);
      return true;
    },
  };
  const aws = { target: { region: 'eu-west-1' }, certificates: async () => certificates } as unknown as AwsClients;
  return { aws, attempts, left };
}

describe('removeUnusedImports: the certificates imported for a cluster that its listener no longer serves', () => {
  it('deletes every one but the certificate served (the one just replaced, and any an earlier update left)', async () => {
    const t = testContext();
    const { aws, left } = acm(['arn:old', 'arn:older', 'arn:served']);
    expect(await removeUnusedImports(aws, t.ctx.io, t.clock, 'demo', 'arn:served')).toEqual(['arn:old', 'arn:older']);
    expect([...left]).toEqual(['arn:served']);
    expect(t.err()).toBe('');
  });

  it('retries one still in use while the listener’s change reaches ACM (5 s, 10 s, 15 s), then deletes it', async () => {
    const t = testContext();
    const t0 = t.clock.now();
    const { aws, attempts } = acm(['arn:old'], { 'arn:old': 2 });
    expect(await removeUnusedImports(aws, t.ctx.io, t.clock, 'demo', 'arn:new')).toEqual(['arn:old']);
    expect(attempts).toEqual(['arn:old', 'arn:old', 'arn:old']);
    expect(t.clock.now() - t0).toBe(15_000);
  });

  it('one in use for longer is left, with the command that deletes it later', async () => {
    const t = testContext();
    const { aws, attempts } = acm(['arn:old'], { 'arn:old': 99 });
    expect(await removeUnusedImports(aws, t.ctx.io, t.clock, 'demo', 'arn:new')).toEqual([]);
    expect(attempts).toHaveLength(4);
    expect(t.err()).toContain('the previous certificate arn:old is still in use; delete it later with: aws acm delete-certificate --certificate-arn arn:old --region eu-west-1');
  });
});
