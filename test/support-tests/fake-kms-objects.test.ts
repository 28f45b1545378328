/**
 * Media objects and the ServerManager in the fake KMS: ids, the generic MediaObject operations,
 * property getters and setters as the generated `invoke` exposes them, hubs, and the
 * ServerManager's answers (getInfo as kurento-client's strict mode needs it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { RawKmsClient } from '../support/fake-kms/raw-client.js';
import { kmsTarget, realKmsUrl } from '../support/fake-kms/target.js';

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function session(options: Parameters<typeof kmsTarget>[0] = {}) {
  const t = await kmsTarget(options);
  opened.push(t);
  const c = await RawKmsClient.open(t.url);
  opened.push(c);
  const sessionId = `objects-${Math.random()}`;
  const ok = async (method: string, params: Record<string, unknown>) => {
    const answer = await c.call(method, { ...params, sessionId });
    if (answer.error) throw new Error(JSON.stringify(answer.error));
    return answer.result?.value;
  };
  const create = async (type: string, constructorParams?: Record<string, unknown>) => (await ok('create', { type, ...(constructorParams ? { constructorParams } : {}) })) as string;
  const invoke = (object: string, operation: string, operationParams?: Record<string, unknown>) => ok('invoke', { object, operation, ...(operationParams ? { operationParams } : {}) });
  const fail = async (object: string, operation: string, operationParams?: Record<string, unknown>) => (await c.call('invoke', { object, operation, operationParams, sessionId })).error;
  return { t, c, sessionId, ok, create, invoke, fail };
}

describe('fake KMS: MediaObject operations', () => {
  it('answers name, parent, pipeline, children and creation time', async () => {
    const clock = { now: () => Date.UTC(2026, 5, 1, 12, 0, 0) };
    const { create, invoke } = await session(realKmsUrl ? {} : { clock });
    const pipe = await create('MediaPipeline');
    const composite = await create('Composite', { mediaPipeline: pipe });
    const port = await create('HubPort', { hub: composite });
    expect(port).toMatch(new RegExp(`^${composite}/[0-9a-f-]{36}_kurento\\.HubPort$`));
    expect(await invoke(port, 'getParent')).toBe(composite);
    expect(await invoke(port, 'getMediaPipeline')).toBe(pipe);
    expect(await invoke(pipe, 'getParent')).toBeNull();
    expect(await invoke(pipe, 'getMediaPipeline')).toBe(pipe);
    expect(await invoke(pipe, 'getChildren')).toEqual([composite]);
    expect(await invoke(composite, 'getChildren')).toEqual([port]);
    expect(await invoke(port, 'getName')).toBe(port);
    expect(await invoke(port, 'setName', { name: 'port 1' })).toBeNull();
    expect(await invoke(port, 'getName')).toBe('port 1');
    if (!realKmsUrl) expect(await invoke(pipe, 'getCreationTime')).toBe(Date.UTC(2026, 5, 1, 12, 0, 0) / 1000);
    expect(await invoke(pipe, 'getId')).toBe(pipe);
  });

  it('keeps tags', async () => {
    const { create, invoke, fail } = await session();
    const pipe = await create('MediaPipeline');
    await invoke(pipe, 'addTag', { key: 'b', value: '2' });
    await invoke(pipe, 'addTag', { key: 'a', value: '1' });
    expect(await invoke(pipe, 'getTag', { key: 'a' })).toBe('1');
    expect(await invoke(pipe, 'getTags')).toEqual([
      { __module__: 'kurento', __type__: 'Tag', key: 'a', value: '1' },
      { __module__: 'kurento', __type__: 'Tag', key: 'b', value: '2' },
    ]);
    await invoke(pipe, 'removeTag', { key: 'a' });
    await invoke(pipe, 'removeTag', { key: 'missing' });
    expect((await fail(pipe, 'getTag', { key: 'a' }))?.code).toBe(40110);
  });

  it('exposes each class’s properties: constructor values, setters with type checks, no setter for read-only ones', async () => {
    const { create, invoke, fail } = await session();
    const pipe = await create('MediaPipeline');
    const player = await create('PlayerEndpoint', { mediaPipeline: pipe, uri: 'rtsp://camera/1', networkCache: 100 });
    expect(await invoke(player, 'getUri')).toBe('rtsp://camera/1');
    expect(await invoke(player, 'getState')).toBe('STOP');
    expect((await fail(player, 'setUri', { uri: 'x' }))?.code).toBe(40008);
    const filter = await create('GStreamerFilter', { mediaPipeline: pipe, command: 'videoflip method=4' });
    expect(await invoke(filter, 'getCommand')).toBe('videoflip method=4');
    expect(await invoke(pipe, 'getLatencyStats')).toBe(false);
    await invoke(pipe, 'setLatencyStats', { latencyStats: true });
    expect(await invoke(pipe, 'getLatencyStats')).toBe(true);
    expect(await fail(pipe, 'setLatencyStats', { latencyStats: 'yes' })).toEqual({ code: 40001, message: "'latencyStats' parameter should be a boolean", data: { type: 'MARSHALL_ERROR' } });
    expect(await fail(pipe, 'setLatencyStats')).toEqual({ code: 40001, message: "'latencyStats' parameter should be a boolean", data: { type: 'MARSHALL_ERROR' } });
    const ep = await create('RtpEndpoint', { mediaPipeline: pipe });
    await invoke(ep, 'setMaxVideoSendBandwidth', { maxVideoSendBandwidth: 2000 });
    expect(await invoke(ep, 'getMaxVideoSendBandwidth')).toBe(2000);
    // a method of another class is not found
    expect(await fail(pipe, 'getUri')).toEqual({ code: 40008, message: "Method 'getUri' with 0 parameters not found", data: { type: 'MALFORMED_TRANSACTION' } });
  });

  it('creates every element type the cluster uses', async () => {
    const { create, c, sessionId } = await session();
    const pipe = await create('MediaPipeline');
    const hub = await create('Composite', { mediaPipeline: pipe });
    const uri = { uri: 'file:///tmp/a.webm' };
    for (const [type, params] of [
      ['WebRtcEndpoint', {}], ['PlayerEndpoint', uri], ['RecorderEndpoint', uri], ['RtpEndpoint', {}], ['HttpPostEndpoint', {}], ['Composite', {}],
      ['Dispatcher', {}], ['DispatcherOneToMany', {}], ['AlphaBlending', {}], ['Mixer', {}], ['FaceOverlayFilter', {}], ['GStreamerFilter', { command: 'identity' }],
      ['ImageOverlayFilter', {}], ['ZBarFilter', {}], ['PassThrough', {}],
    ] as const) {
      const id = await create(type, { mediaPipeline: pipe, ...params });
      expect(id).toMatch(new RegExp(`^${pipe}/[0-9a-f-]{36}_kurento\\.${type}$`));
      expect((await c.call('describe', { object: id, sessionId })).result?.['qualifiedType']).toBe(`kurento.${type}`);
    }
    expect(await create('HubPort', { hub })).toContain('_kurento.HubPort');
  });
});

describe('fake KMS: ServerManager', () => {
  it('is described as KMS describes it', async () => {
    const { c, sessionId } = await session();
    expect((await c.call('describe', { object: 'manager_ServerManager', sessionId })).result).toEqual({ sessionId, type: 'ServerManager', qualifiedType: 'kurento.ServerManager', hierarchy: ['kurento.MediaObject'] });
  });

  it('answers getInfo with the core, elements and filters modules and their factories', async () => {
    const { invoke } = await session();
    const info = (await invoke('manager_ServerManager', 'getInfo')) as { __type__: string; type: string; version: string; capabilities: string[]; modules: { __type__: string; name: string; version: string; generationTime: string; factories: string[] }[] };
    expect(info).toMatchObject({ __module__: 'kurento', __type__: 'ServerInfo', type: 'KMS', capabilities: ['transactions'] });
    expect(info.version).toMatch(/^7\./);
    expect(info.modules.map((m) => m.name)).toEqual(expect.arrayContaining(['core', 'elements', 'filters']));
    const factories = info.modules.flatMap((m) => m.factories);
    for (const type of ['MediaPipeline', 'HubPort', 'PassThrough', 'WebRtcEndpoint', 'PlayerEndpoint', 'RecorderEndpoint', 'RtpEndpoint', 'HttpPostEndpoint', 'Composite', 'Dispatcher', 'DispatcherOneToMany', 'AlphaBlending', 'Mixer', 'FaceOverlayFilter', 'GStreamerFilter', 'ImageOverlayFilter', 'ZBarFilter']) {
      expect(factories).toContain(type);
    }
    expect(factories).not.toContain('ServerManager');
    for (const m of info.modules) expect(m).toMatchObject({ __type__: 'ModuleInfo', version: expect.any(String), generationTime: expect.any(String) });
  });

  it('lists pipelines and answers the load questions', async () => {
    const { create, invoke } = await session();
    const pipe = await create('MediaPipeline');
    await create('PassThrough', { mediaPipeline: pipe });
    expect(await invoke('manager_ServerManager', 'getPipelines')).toContain(pipe);
    expect(await invoke('manager_ServerManager', 'getCpuCount')).toEqual(expect.any(Number));
    expect(await invoke('manager_ServerManager', 'getUsedMemory')).toEqual(expect.any(Number));
    expect(await invoke('manager_ServerManager', 'getMetadata')).toEqual(expect.any(String));
    const kmd = JSON.parse((await invoke('manager_ServerManager', 'getKmd', { moduleName: 'core' })) as string) as { name: string };
    expect(kmd.name).toBe('core');
  });

  it.skipIf(realKmsUrl)('sleeps getUsedCpu’s interval on the injected clock', async () => {
    const clock = { now: () => 0, slept: [] as number[], sleep: async (ms: number) => void clock.slept.push(ms) };
    const { invoke } = await session({ clock, server: { cpuCount: 8, usedCpu: 37.5 } });
    expect(await invoke('manager_ServerManager', 'getUsedCpu', { interval: 1500 })).toBe(37.5);
    expect(clock.slept).toEqual([1500]);
    expect(await invoke('manager_ServerManager', 'getCpuCount')).toBe(8);
  });
});
