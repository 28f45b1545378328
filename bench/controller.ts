/**
 * The controller's figures (architecture.md): added latency per request against direct connections
 * to the same fake nodes, requests per second through one controller (its own process: one core),
 * its memory at 1,000 sessions, and placement balance after 300 pipelines with random lifetimes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { type FakeKms, startFakeKms } from '../test/support/fake-kms/index.js';
import { testSecret } from '../test/support/node-inputs.js';

const KEY = 'BenchApiKey0123456789';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

/** A raw JSON-RPC client: requests with ids, answers awaited. */
class Rpc {
  private seq = 0;
  private readonly waiting = new Map<number, (v: { result?: { value?: unknown; sessionId?: string }; error?: unknown }) => void>();
  sessionId: string | undefined;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; result?: { value?: unknown; sessionId?: string }; error?: unknown };
      if (typeof m.id === 'number') this.waiting.get(m.id)?.(m);
      this.waiting.delete(m.id as number);
    });
  }
  static async open(url: string): Promise<Rpc> {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new Rpc(ws);
  }
  call(method: string, params: Record<string, unknown>): Promise<{ result?: { value?: unknown; sessionId?: string }; error?: unknown }> {
    const id = ++this.seq;
    return new Promise((resolve) => {
      this.waiting.set(id, (m) => {
        this.sessionId ??= m.result?.sessionId;
        resolve(m);
      });
      this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params: { ...params, ...(this.sessionId ? { sessionId: this.sessionId } : {}) } }));
    });
  }
  close(): void {
    this.ws.terminate();
  }
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

async function latencies(url: string, n: number): Promise<number[]> {
  const c = await Rpc.open(url);
  const pipeline = String((await c.call('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} })).result?.value);
  const out: number[] = [];
  for (let i = 0; i < n + 200; i++) {
    const t = performance.now();
    await c.call('invoke', { object: pipeline, operation: 'getName', operationParams: {} });
    if (i >= 200) out.push(performance.now() - t); // after warm-up
  }
  await c.call('release', { object: pipeline });
  c.close();
  return out;
}

async function throughput(url: string, clients: number, window: number, ms: number): Promise<number> {
  const rpcs = await Promise.all(Array.from({ length: clients }, () => Rpc.open(url)));
  const pipelines = await Promise.all(rpcs.map(async (c) => String((await c.call('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} })).result?.value)));
  let done = 0;
  const until = performance.now() + ms;
  await Promise.all(
    rpcs.map(async (c, i) => {
      const lane = async () => {
        while (performance.now() < until) {
          await c.call('invoke', { object: pipelines[i], operation: 'getName', operationParams: {} });
          done++;
        }
      };
      await Promise.all(Array.from({ length: window }, lane));
    }),
  );
  const rate = done / (ms / 1000);
  await Promise.all(rpcs.map((c, i) => c.call('release', { object: pipelines[i] })));
  for (const c of rpcs) c.close();
  return rate;
}

const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function balance(url: string, nodes: FakeKms[], total: number, seed = 7): Promise<{ counts: number[]; ratio: number }> {
  let s = seed;
  const random = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const c = await Rpc.open(url);
  const alive: { pipeline: string; until: number }[] = [];
  for (let i = 0; i < total; i++) {
    const pipeline = String((await c.call('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} })).result?.value);
    await c.call('create', { type: 'WebRtcEndpoint', constructorParams: { mediaPipeline: pipeline }, properties: {} });
    alive.push({ pipeline, until: i + 20 + Math.floor(random() * 200) });
    for (const p of alive.filter((a) => a.until === i)) await c.call('release', { object: p.pipeline });
  }
  const counts = nodes.map((n) => n.objects().filter((o) => o.type === 'WebRtcEndpoint').length);
  c.close();
  return { counts, ratio: Math.max(...counts) / Math.max(1, Math.min(...counts)) };
}

export interface ControllerFigures {
  directP50: number;
  directP99: number;
  viaP50: number;
  viaP99: number;
  addedP50: number;
  addedP99: number;
  requestsPerSecond: number;
  rssAt1000SessionsMiB: number;
  balance: { counts: number[]; ratio: number };
}

export async function measureController(): Promise<ControllerFigures> {
  const nodes = await Promise.all([0, 1, 2].map(() => startFakeKms({ path: KEY })));
  const dir = mkdtempSync(join(tmpdir(), 'bench-controller-'));
  writeFileSync(join(dir, 'secret.json'), JSON.stringify(testSecret({ apiKey: KEY })));
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['bin/elasticrtc-node.js', 'controller', '--listen', `127.0.0.1:${port}`, '--nodes', nodes.map((n) => n.url).join(','), '--secret-file', join(dir, 'secret.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `ws://127.0.0.1:${port}/${KEY}`;
  for (let i = 0; i < 100; i++) {
    const ready = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    const direct = await latencies(nodes[0]?.url ?? '', 2_000);
    const via = await latencies(url, 2_000);
    const requestsPerSecond = await throughput(url, 20, 8, 4_000);
    const sessions = await Promise.all(Array.from({ length: 1_000 }, () => Rpc.open(url)));
    for (let i = 0; i < sessions.length; i += 100) await Promise.all(sessions.slice(i, i + 100).map((c) => c.call('create', { type: 'MediaPipeline', constructorParams: {}, properties: {} })));
    const rss = rssMiB(child.pid ?? 0);
    for (const c of sessions) c.close();
    await new Promise((r) => setTimeout(r, 500));
    for (const n of nodes) n.restart(); // the sessions' pipelines would wait for KMS's garbage collector
    await new Promise((r) => setTimeout(r, 1_500)); // the controller reconnects to the restarted nodes
    const bal = await balance(url, nodes, 300);
    return {
      directP50: percentile(direct, 50),
      directP99: percentile(direct, 99),
      viaP50: percentile(via, 50),
      viaP99: percentile(via, 99),
      addedP50: percentile(via, 50) - percentile(direct, 50),
      addedP99: percentile(via, 99) - percentile(direct, 99),
      requestsPerSecond,
      rssAt1000SessionsMiB: rss,
      balance: bal,
    };
  } finally {
    child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.close()));
  }
}
