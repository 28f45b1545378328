import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gstValue, kvsSink, maskUrl, redact, relayPipeline, rtspUrlProblem } from '../../src/node/apps/kvs-relay/pipeline.js';
import { pipelineEnv } from '../../src/node/apps/kvs-relay/relay.js';
import { KvsRelaySettingsError, kvsRelaySettings, parseCameras } from '../../src/node/apps/kvs-relay/settings.js';

const URL_WITH_PASSWORD = 'rtsp://admin:p%40ss!w;rd@10.0.0.5:554/Streaming/Channels/101?transport=tcp';

describe('the kvs-relay pipeline', () => {
  it('is passthrough RTSP over TCP into kvssink: no decoder, no encoder', () => {
    const args = relayPipeline({ url: 'rtsp://10.0.0.5/stream1' }, kvsSink({ stream: 'demo-lobby', region: 'eu-west-1', credentialFile: '/run/elasticrtc/kvs-relay/credentials' }), { latencyMs: 200 });
    expect(args.join(' ')).toBe(
      '-e rtspsrc location="rtsp://10.0.0.5/stream1" protocols=tcp latency=200 ! application/x-rtp,media=video,encoding-name=H264 ! rtph264depay ! h264parse'
      + ' ! video/x-h264,stream-format=avc,alignment=au ! kvssink stream-name="demo-lobby" aws-region="eu-west-1" credential-path="/run/elasticrtc/kvs-relay/credentials" allow-create-stream=false',
    );
    // The elements: nothing decodes or encodes.
    const elements = args.filter((a, i) => i > 0 && (args[i - 1] === '!' || args[i - 1] === '-e') && !a.includes(','));
    expect(elements).toEqual(['rtspsrc', 'rtph264depay', 'h264parse', 'kvssink']);
  });

  it('quotes values so gst-launch takes them whole: the link operator, spaces and quotes inside', () => {
    expect(gstValue('a b!c')).toBe('"a b!c"');
    expect(gstValue('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
    // GStreamer's own parser is the judge: filesink writes to exactly the path it was given.
    const dir = mkdtempSync(join(tmpdir(), 'kvs-quote-'));
    const path = join(dir, 'cam u:p!w;d@x "q" \\z ! fakesink.bin');
    const run = spawnSync('gst-launch-1.0', ['fakesrc', 'num-buffers=1', 'sizetype=2', 'sizemax=4', '!', 'filesink', `location=${gstValue(path)}`], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(readdirSync(dir)).toEqual([basename(path)]);
  });

  it('takes RTSP URLs only, and never repeats one in its complaint', () => {
    expect(rtspUrlProblem(URL_WITH_PASSWORD)).toBeUndefined();
    expect(rtspUrlProblem('rtsps://cam.example.com/live')).toBeUndefined();
    expect(rtspUrlProblem('http://cam/x')).toMatch(/expected rtsp:/);
    expect(rtspUrlProblem('rtsp://u:p w@cam/x')).toMatch(/percent-encode/);
    expect(rtspUrlProblem('rtsp://u:p"w@cam/x')).toMatch(/percent-encode/);
  });

  it('masks the password in what it shows, raw or decoded', () => {
    expect(maskUrl(URL_WITH_PASSWORD)).toBe('rtsp://admin:****@10.0.0.5:554/Streaming/Channels/101?transport=tcp');
    expect(maskUrl('rtsp://10.0.0.5/x')).toBe('rtsp://10.0.0.5/x');
    expect(maskUrl('rtsp://viewer@10.0.0.5/x')).toBe('rtsp://viewer@10.0.0.5/x');
    const line = `Progress: (connect) Connecting to ${URL_WITH_PASSWORD}; auth p@ss!w;rd; raw p%40ss!w;rd`;
    expect(redact(line, URL_WITH_PASSWORD)).toBe('Progress: (connect) Connecting to rtsp://admin:****@10.0.0.5:554/Streaming/Channels/101?transport=tcp; auth ****; raw ****');
  });

  it('runs gst-launch without the keys and region that would override the credential file, with kvssink on the plugin path', () => {
    const env = pipelineEnv({ PATH: '/usr/bin', AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't', AWS_DEFAULT_REGION: 'us-west-2', GST_PLUGIN_PATH: '/x' }, '/opt/elasticrtc/kvssink/lib');
    expect(env).toEqual({ PATH: '/usr/bin', GST_PLUGIN_PATH: '/opt/elasticrtc/kvssink/lib:/x', LD_LIBRARY_PATH: '/opt/elasticrtc/kvssink/lib' });
    expect(pipelineEnv({ PATH: '/usr/bin' }, '')).toEqual({ PATH: '/usr/bin' });
  });
});

describe('the kvs-relay settings', () => {
  it('reads the env file keys, with defaults', () => {
    expect(kvsRelaySettings({ REGION: 'eu-west-1' })).toEqual({
      region: 'eu-west-1',
      camerasFile: '/etc/elasticrtc/kvs-relay/cameras.json',
      credentialFile: '/run/elasticrtc/kvs-relay/credentials',
      statusFile: '/run/elasticrtc/kvs-relay/status.json',
      pluginDir: '/opt/elasticrtc/kvssink/lib',
      latencyMs: 200,
    });
    expect(kvsRelaySettings({ REGION: 'us-east-1', KVS_RELAY_LATENCY_MS: '500', KVS_RELAY_PLUGIN_DIR: '' })).toMatchObject({ latencyMs: 500, pluginDir: '' });
  });

  it.each([
    [{}, 'REGION=: expected an AWS region such as eu-west-1'],
    [{ REGION: 'eu-west-1', KVS_RELAY_LATENCY_MS: 'fast' }, 'KVS_RELAY_LATENCY_MS=fast: expected milliseconds from 0 to 10000'],
    [{ REGION: 'eu-west-1', KVS_RELAY_CREDENTIAL_FILE: 'creds' }, 'KVS_RELAY_CREDENTIAL_FILE=creds: expected an absolute path'],
  ])('refuses %j', (env, message) => {
    expect(() => kvsRelaySettings(env)).toThrow(new KvsRelaySettingsError(message));
  });

  it('reads the cameras file', () => {
    const text = JSON.stringify({ cameras: [{ name: 'lobby', url: URL_WITH_PASSWORD, stream: 'demo-lobby' }, { name: 'dock', url: 'rtsp://10.0.0.6/s', stream: 'demo-dock' }] });
    expect(parseCameras(text, 'cameras.json')).toEqual([
      { name: 'lobby', url: URL_WITH_PASSWORD, stream: 'demo-lobby' },
      { name: 'dock', url: 'rtsp://10.0.0.6/s', stream: 'demo-dock' },
    ]);
  });

  it.each([
    ['[]', 'cameras.json: expected {"cameras": [{"name", "url", "stream"}, …]} with at least one camera'],
    ['{"cameras": [{"name": "a b", "url": "rtsp://x/y", "stream": "s"}]}', 'cameras.json: cameras[0].name "a b": expected 1 to 64 letters, digits, \'_\', \'.\' or \'-\''],
    ['{"cameras": [{"name": "a", "url": "http://u:secret@x/y", "stream": "s"}]}', 'cameras.json: cameras[0].url (a): expected rtsp://[user:password@]host[:port]/path'],
    ['{"cameras": [{"name": "a", "url": "rtsp://x/y", "stream": "s/t"}]}', 'cameras.json: cameras[0].stream "s/t" (a): expected a Kinesis video stream name, 1 to 256 of letters, digits, \'_\', \'.\' or \'-\''],
    ['{"cameras": [{"name": "a", "url": "rtsp://x/y", "stream": "s"}, {"name": "b", "url": "rtsp://x/z", "stream": "s"}]}', 'cameras.json: cameras[1].stream s (b): camera a feeds it already; a stream takes one producer'],
    ['{"cameras": [{"name": "a", "url": "rtsp://x/y", "stream": "s"}, {"name": "a", "url": "rtsp://x/z", "stream": "t"}]}', 'cameras.json: cameras[1].name a: another camera has this name'],
  ])('refuses %s, never showing a password', (text, message) => {
    expect(() => parseCameras(text, 'cameras.json')).toThrow(new KvsRelaySettingsError(message));
  });
});
