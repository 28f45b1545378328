import { describe, expect, it } from 'vitest';
import { compareVersions, deployableVersions, RELEASED_KMS_VERSIONS } from '../../src/cluster/versions.js';

describe('versions', () => {
  it('sorts as numbers, not strings', () => {
    expect(['6.9.0', '6.10.0', '7.0.1', '6.13.2', '7.0.0'].sort(compareVersions)).toEqual(['6.9.0', '6.10.0', '6.13.2', '7.0.0', '7.0.1']);
    expect(compareVersions('7.3.0-rc1', '7.3.0')).toBeLessThan(0);
  });

  it('lists releases newest first, the default marked, up to 7.3.0', () => {
    const list = deployableVersions([]);
    expect(list[0]).toEqual({ version: '7.3.0', source: 'release', isDefault: true });
    expect(list.map((v) => v.version)).toEqual([...RELEASED_KMS_VERSIONS]);
    expect(list.filter((v) => v.isDefault)).toHaveLength(1);
  });

  it('merges own images, sorted among the releases', () => {
    const list = deployableVersions([{ imageId: 'ami-1', version: '6.16.1' }, { imageId: 'ami-2', version: 'not-a-version' }, { imageId: 'ami-3', version: '6.6.0' }]);
    const i = list.findIndex((v) => v.version === '6.16.1');
    expect(list[i]).toEqual({ version: '6.16.1', source: 'image', imageId: 'ami-1', isDefault: false });
    expect(list[i - 1]?.version).toBe('6.17.0');
    expect(list[i + 1]?.version).toBe('6.16.0');
    // Below 6.15.0 KMS has no externalIPv4: the runtime cannot give it public candidates.
    expect(list.map((v) => v.version)).not.toContain('6.6.0');
    expect(list.at(-1)?.version).toBe('6.15.0');
    expect(list.some((v) => v.version === 'not-a-version')).toBe(false);
  });
});
