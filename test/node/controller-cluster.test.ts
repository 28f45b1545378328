/**
 * One URL for many Kurento servers, judged by the official kurento-client 7.3.0: three fake KMS nodes,
 * two controllers behind a round-robin TCP "load balancer".
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { type FakeAlb, startFakeAlb } from '../support/fake-alb.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { type KurentoClientInstance, connectKurento, SDP_OFFER } from '../support/kurento.js';

const KEY = 'ClusterApiKey0123456789';
let nodes: FakeKms[] = [];
let controllers: Controller[] = [];
let alb: FakeAlb;

beforeAll(async () => {
  nodes = await Promise.all([0, 1, 2].map(() => startFakeKms({ path: KEY })));
  controllers = await Promise.all([0, 1].map(() => startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1 }, clusterId: 'demo', now: Date.now })));
  for (const c of controllers) await c.setNodes(nodes.map((n, i) => ({ id: `node-${i}`, kmsUrl: n.url })));
  alb = await startFakeAlb(controllers.map((c) => c.port));
});

afterAll(async () => {
  await alb.close();
  await Promise.all(controllers.map((c) => c.close()));
  await Promise.all(nodes.map((n) => n.close()));
});

const waitFor = async (check: () => boolean, ms = 5_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('the controller with kurento-client', () => {
  it('spreads 30 pipelines over 3 nodes, answers offers, delivers events, and leaves nothing after release', async () => {
    const client: KurentoClientInstance = await connectKurento(alb.url(`/${KEY}`));
    try {
      const pipelines = [];
      let candidates = 0;
      for (let i = 0; i < 30; i++) {
        const pipeline = await client.create('MediaPipeline');
        const endpoint = await pipeline.create('WebRtcEndpoint');
        const seen = new Promise<void>((resolve) => endpoint.on('IceCandidateFound', () => resolve()));
        const answer = await endpoint.processOffer(SDP_OFFER);
        expect(answer).toMatch(/^v=0/);
        await endpoint.gatherCandidates();
        await seen;
        candidates++;
        pipelines.push(pipeline);
      }
      expect(candidates).toBe(30);
      const counts = nodes.map((n) => n.pipelines().length);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(30);
      for (const c of counts) {
        expect(c).toBeGreaterThanOrEqual(5);
        expect(c).toBeLessThanOrEqual(15);
      }
      for (const p of pipelines) await p.release();
      await waitFor(() => nodes.every((n) => n.objects().length === 0 || n.objects().every((o) => o.type === 'ServerManager')));
    } finally {
      client.close();
    }
  });

  it('refuses a wrong key before any JSON-RPC (HTTP 404 to the upgrade)', async () => {
    for (const path of ['/not-the-key', `/${KEY}x`, `/${KEY.slice(0, -1)}`, '/', `/${KEY}/`]) {
      const status = await new Promise<number>((resolve) => {
        const ws = new WebSocket(alb.url(path));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => undefined);
      });
      expect(status, path).toBe(404);
    }
  });
});

describe('TURN for each new endpoint', () => {
  it('gives every WebRtcEndpoint a fresh credential for its node\'s coturn before the client can gather', async () => {
    const secret = 'cluster-turn-secret';
    const ctl = await startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1 }, clusterId: 'demo', now: Date.now, turnSecret: secret });
    try {
      await ctl.setNodes(nodes.map((n, i) => ({ id: `node-${i}`, kmsUrl: n.url })));
      const client = await connectKurento(`ws://127.0.0.1:${ctl.port}/${KEY}`);
      try {
        const pipeline = await client.create('MediaPipeline');
        const endpoint = await pipeline.create('WebRtcEndpoint');
        const node = nodes.find((n) => n.pipelines().includes(pipeline.id));
        const set = node?.requests.filter((r) => r.method === 'invoke' && (r.params as { operation?: string }).operation === 'setTurnUrl') ?? [];
        expect(set).toHaveLength(1);
        const params = set[0]?.params as { object: string; operationParams: { turnUrl: string } };
        expect(params.object).toBe(endpoint.id);
        // KMS's turnURL pattern (kmswebrtcsession.c): user:password@IPv4:port, split at the last ':'.
        const m = /^(?<user>.+):(?<password>.+)@(?<address>[0-9.]+):(?<port>[0-9]+)$/.exec(params.operationParams.turnUrl);
        expect(m?.groups).toMatchObject({ address: '127.0.0.1', port: '3478' });
        const user = m?.groups?.user ?? '';
        expect(Number(user.split(':')[0]) - Date.now() / 1000).toBeGreaterThan(86_000);
        expect(m?.groups?.password).toBe(createHmac('sha1', secret).update(user).digest('base64'));
        const ops = node?.requests.filter((r) => r.sessionId === set[0]?.sessionId).map((r) => (r.params as { operation?: string }).operation ?? r.method) ?? [];
        expect(ops.indexOf('setTurnUrl')).toBeLessThan(ops.indexOf('gatherCandidates') === -1 ? Infinity : ops.indexOf('gatherCandidates'));
      } finally {
        client.close();
      }
    } finally {
      await ctl.close();
    }
  });
});
