/**
 * Inspecting never keeps a pipeline alive. KMS references every object a session touches and keeps
 * it while the session lives (MediaSet.cpp; the fake's media-set.ts), so the inspector works on
 * short sessions it unrefs and closes. Proof: a pipeline whose owner went away is inspected every
 * way the inspector can (pipelines list with its idle check, graph and statistics, event tail), and
 * KMS's garbage collector still destroys it on time; a session that is not released does keep it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { InspectSession, withSession } from '../../src/node/controller/inspector/kms-session.js';
import type { TailLine } from '../../src/node/controller/inspector/tail.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { EventReader, type InspectorLogin, login } from '../support/inspector-http.js';
import { SDP_OFFER, connectKurento } from '../support/kurento.js';

const KEY = 'InspectorGcKey0123';
const clock = { t: Date.now() };
let kms: FakeKms;
let ctl: Controller;
let s: InspectorLogin;

beforeAll(async () => {
  // garbageCollectorPeriod 1 s on the injected clock: passes run only when the test moves it.
  kms = await startFakeKms({ path: KEY, garbageCollectorPeriod: 1, clock: { now: () => clock.t } });
  ctl = await startController({
    host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1 }, clusterId: 'demo', now: () => clock.t,
    // every pipeline is "old": the list's idle check (isMediaFlowingIn on each element) runs too
    inspector: { user: 'ops', password: 'pw', leakAfterMs: 0, limits: { idleMs: 1e12, maxMs: 1e12 } },
  });
  await ctl.setNodes([{ id: 'node-a', kmsUrl: kms.url }]);
  s = await login(`http://127.0.0.1:${ctl.port}`, 'ops', 'pw');
});

afterAll(async () => {
  await ctl.close();
  await kms.close();
});

const waitFor = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** An application makes a pipeline through the controller, then goes away without releasing it. */
async function abandonedPipeline(): Promise<{ pipeline: string; owner: string }> {
  const app = await connectKurento(`ws://127.0.0.1:${ctl.port}/${KEY}`);
  const pipeline = await app.create('MediaPipeline');
  const a = await pipeline.create('WebRtcEndpoint');
  await a.processOffer(SDP_OFFER);
  const b = await pipeline.create('PassThrough');
  await (a as unknown as { connect(x: unknown): Promise<void> }).connect(b);
  const owner = kms.objects().find((o) => o.id === pipeline.id)?.sessions[0] ?? '';
  const sockets = kms.socketCount;
  app.close();
  await waitFor(() => kms.socketCount < sockets); // the controller closed the owner's upstream
  return { pipeline: pipeline.id, owner };
}

/** Two passes of KMS's collector: a session not kept alive since the previous pass is collected. */
function collect(): string[] {
  clock.t += 1_000;
  const first = kms.tick();
  clock.t += 1_000;
  return [...first, ...kms.tick()];
}

describe('the inspector and KMS\'s garbage collector', () => {
  it('a pipeline whose owner is gone is still collected after the inspector read it every way', async () => {
    const { pipeline, owner } = await abandonedPipeline();
    expect(kms.objects().find((o) => o.id === pipeline)?.sessions).toEqual([owner]);

    const rows = (await (await s.get('/inspector/api/pipelines')).json()) as { pipelines: { id: string; possiblyLeaked: boolean }[] };
    expect(rows.pipelines).toEqual([expect.objectContaining({ id: pipeline, possiblyLeaked: true })]);
    const graph = (await (await s.get(`/inspector/api/pipelines/${encodeURIComponent(pipeline)}`)).json()) as { elements: unknown[]; connections: unknown[] };
    expect(graph.elements).toHaveLength(2);
    expect(graph.connections).toHaveLength(3);
    const res = await s.get(`/inspector/api/pipelines/${encodeURIComponent(pipeline)}/events`);
    const tail = new EventReader<TailLine>(res);
    await tail.until((l) => l.type === 'TailStarted');
    await tail.close(); // the page goes away
    await waitFor(() => kms.sessions().every((x) => !x.id.startsWith('erc-inspector-')));

    // The inspector did reference the pipeline and its elements (describe, invoke, subscribe)…
    const touched = kms.requests.filter((r) => r.sessionId?.startsWith('erc-inspector-') && ['describe', 'invoke', 'subscribe'].includes(r.method));
    expect(new Set(touched.map((r) => r.method))).toEqual(new Set(['describe', 'invoke', 'subscribe']));
    expect(new Set(touched.map((r) => r.sessionId)).size).toBeGreaterThanOrEqual(4); // a session per inspection
    // …and released every reference: only the gone owner's session holds it now.
    expect(kms.objects().find((o) => o.id === pipeline)?.sessions).toEqual([owner]);

    expect(collect()).toContain(owner);
    expect(kms.pipelines()).toEqual([]);
    expect(kms.objects()).toEqual([]);
    await waitFor(() => ctl.cluster.nodeOf(pipeline) === undefined);
    expect((await s.get(`/inspector/api/pipelines/${encodeURIComponent(pipeline)}`)).status).toBe(404);
  });

  it('(the proof can fail) a session that is not released keeps the pipeline alive, and its unref then ends it', async () => {
    const { pipeline, owner } = await abandonedPipeline();
    const held = await InspectSession.open(kms.url);
    await held.describe(pipeline);
    expect(collect()).toContain(owner);
    expect(kms.pipelines()).toEqual([pipeline]); // kept alive by the inspection session alone
    await held.close();
    expect(kms.pipelines()).toEqual([]);
  });

  it('an admin release needs no reference to survive: the session that releases is closed too', async () => {
    const { pipeline } = await abandonedPipeline();
    await withSession(kms.url, (k) => k.release(pipeline));
    expect(kms.pipelines()).toEqual([]);
    expect(kms.sessions().filter((x) => x.id.startsWith('erc-inspector-')).flatMap((x) => x.objects)).toEqual([]);
    await waitFor(() => kms.sessions().every((x) => !x.id.startsWith('erc-inspector-'))); // and its socket closes
  });
});
