import { describe, expect, it } from 'vitest';
import { clusterSecretValue } from '../../src/deploy/cluster-secret.js';
import { parseClusterSecret } from '../../src/node/secret.js';
import { settings } from '../cluster/scenarios.js';

describe('the cluster secret', () => {
  it('carries the audio archive’s streams with their URLs (the template never does), and the node reads them', async () => {
    const s = settings({ 'enable-app': 'audio-archive', streams: [{ name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org/live.mp3', 'segment-seconds': 600 }] });
    const text = await clusterSecretValue(s, new Date(Date.UTC(2026, 10, 30)));
    expect(JSON.parse(text)).toMatchObject({ audioArchiveStreams: [{ name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org/live.mp3', segmentSeconds: 600 }] });
    expect(parseClusterSecret(text).audioArchiveStreams).toEqual([{ name: 'radio1', url: 'https://archiver:s3cr3t-pass@icecast.example.org/live.mp3', segmentSeconds: 600 }]);
  });

  it('has no streams without audio-archive', async () => {
    const text = await clusterSecretValue(settings(), new Date(Date.UTC(2026, 10, 30)));
    expect(JSON.parse(text)).not.toHaveProperty('audioArchiveStreams');
    expect(parseClusterSecret(text)).not.toHaveProperty('audioArchiveStreams');
  });
});
