/**
 * The controller as run on a node: started as docs/node.md shows, and closing its clients with 1001
 * when its own node drains, so they resume through another controller with their objects and events.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepController } from '../../src/node/controller/keeper.js';
import { type Controller, startController } from '../../src/node/controller/server.js';
import { type FakeAlb, startFakeAlb } from '../support/fake-alb.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { type KurentoClientInstance, connectKurento, SDP_OFFER } from '../support/kurento.js';
import { testSecret } from '../support/node-inputs.js';

const secret = testSecret();
const KEY = secret.apiKey;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function fakeNodes(): Promise<FakeKms[]> {
  const nodes = await Promise.all([0, 1, 2].map(() => startFakeKms({ path: KEY })));
  cleanup.push(() => Promise.all(nodes.map((n) => n.close())).then(() => undefined));
  return nodes;
}

async function kurento(url: string): Promise<KurentoClientInstance> {
  const c = await connectKurento(url);
  cleanup.push(() => c.close());
  return c;
}

describe('elasticrtc-node controller', () => {
  it('serves kurento-client over the nodes given with --nodes, as documented: 30 pipelines spread 5-15 a node, nothing left after release', async () => {
    const nodes = await fakeNodes();
    const dir = mkdtempSync(join(tmpdir(), 'controller-'));
    writeFileSync(join(dir, 'secret.json'), JSON.stringify(secret));
    const port = await new Promise<number>((resolve) => {
      const s = createTcp().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const child = spawn(process.execPath, ['bin/elasticrtc-node.js', 'controller', '--listen', `127.0.0.1:${port}`, '--nodes', nodes.map((n) => n.url).join(','), '--secret-file', join(dir, 'secret.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    cleanup.push(() => void child.kill('SIGTERM'));
    await expect.poll(() => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status, () => 0), { timeout: 10_000 }).toBe(200);
    const c = await kurento(`ws://127.0.0.1:${port}/${KEY}`);
    const pipelines = [];
    for (let i = 0; i < 30; i++) {
      const pipeline = await c.create('MediaPipeline');
      const endpoint = await pipeline.create('WebRtcEndpoint');
      const candidate = new Promise<void>((resolve) => endpoint.on('IceCandidateFound', () => resolve()));
      expect(await endpoint.processOffer(SDP_OFFER)).toMatch(/^v=0/);
      await endpoint.gatherCandidates();
      await candidate;
      pipelines.push(pipeline);
    }
    for (const count of nodes.map((n) => n.pipelines().length)) {
      expect(count).toBeGreaterThanOrEqual(5);
      expect(count).toBeLessThanOrEqual(15);
    }
    for (const p of pipelines) await p.release();
    await expect.poll(() => nodes.every((n) => n.objects().every((o) => o.type === 'ServerManager'))).toBe(true);
    expect(stderr).toContain(`listening on 127.0.0.1:${port}`);
    expect(stderr).not.toContain(KEY);
  });

  it('names the flag and value of bad input, exit 2', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/elasticrtc-node.js', 'controller', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += String(d)));
        child.on('close', (code) => resolve({ code, stderr }));
      });
    const listen = await run(['--listen', 'nowhere', '--nodes', 'ws://127.0.0.1:1/k', '--secret-file', '/dev/null']);
    expect(listen.code).toBe(2);
    expect(listen.stderr).toContain('--listen nowhere: expected HOST:PORT');
    const secretFile = await run(['--listen', '127.0.0.1:0', '--nodes', 'ws://127.0.0.1:1/k', '--secret-file', '/no/such/file']);
    expect(secretFile.code).toBe(2);
    expect(secretFile.stderr).toContain('--secret-file /no/such/file: cannot read it');
  });
});

describe('a draining node\'s controller', () => {
  it('closes its client sockets with 1001; the clients resume elsewhere with their objects and events', async () => {
    const nodes = await fakeNodes();
    const controllers: Controller[] = await Promise.all([0, 1].map(() => startController({ host: '127.0.0.1', port: 0, apiKey: KEY, costMap: { WebRtcEndpoint: 1 }, clusterId: 'demo', now: Date.now })));
    cleanup.push(() => Promise.all(controllers.map((c) => c.close())).then(() => undefined));
    const addresses = nodes.map((n, i) => ({ id: `node-${i}`, kmsUrl: n.url }));
    for (const c of controllers) await c.setNodes(addresses);
    const alb: FakeAlb = await startFakeAlb(controllers.map((c) => c.port));
    cleanup.push(() => alb.close());
    let state = 'SERVING';
    const agent: Server = createServer((_req, res) => res.end(JSON.stringify({ state })));
    await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => agent.close(() => resolve())));
    const ownStatusUrl = `http://127.0.0.1:${(agent.address() as { port: number }).port}/status`;

    const client = await kurento(alb.url(`/${KEY}`));
    const draining = controllers[0] as Controller;
    expect(draining.sessions.size).toBe(1);
    const pipeline = await client.create('MediaPipeline');
    const endpoint = await pipeline.create('WebRtcEndpoint');
    let candidates = 0;
    endpoint.on('IceCandidateFound', () => candidates++);
    await expect.poll(() => nodes.some((n) => n.requests.some((r) => r.method === 'subscribe' && (r.params as { type?: string }).type === 'IceCandidateFound'))).toBe(true);

    await keepController({ controller: draining, nodes: async () => addresses, ownStatusUrl });
    expect(draining.sessions.size).toBe(1); // still serving

    alb.deregister(draining.port); // the load balancer stops sending new connections to a leaving node
    state = 'DRAINING';
    const closes: number[] = [];
    for (const s of draining.sessions) s.client.on('close', (code) => closes.push(code));
    const reconnected = new Promise<boolean>((resolve) => client.on('reconnected', (same) => resolve(same as boolean)));
    await keepController({ controller: draining, nodes: async () => addresses, ownStatusUrl });
    expect(await reconnected).toBe(true);
    expect(closes).toEqual([1001]);
    expect(controllers[1]?.sessions.size).toBe(1);
    await endpoint.processOffer(SDP_OFFER);
    await endpoint.gatherCandidates();
    await expect.poll(() => candidates).toBeGreaterThan(0);
  });
});
