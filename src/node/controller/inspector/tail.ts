/**
 * The live tail of one pipeline's events, as Server-Sent Events: a short-lived Kurento session
 * subscribes to every event of the pipeline and its elements (and of elements made later, seen in
 * the node's ObjectCreated events). A subscription references its object, so a tail keeps the
 * pipeline alive while it runs: each tail therefore ends after `maxMs` (the page offers to resume),
 * when the pipeline is destroyed, when its node is lost, or when the page goes; then it
 * unsubscribes, unrefs and closes its session.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster, ClusterNode } from '../cluster.js';
import { pipelineOf } from '../protocol.js';
import { InspectSession } from './kms-session.js';
import { CLASS_EVENTS, elementsOf } from './pipeline.js';

export interface TailOptions {
  cluster: Cluster;
  /** A tail ends after this long (ms); default 5 minutes. */
  maxMs: number;
  /** Tails open at once at most (each holds a Kurento session); default 16. */
  maxTails: number;
}

/** One line of the tail, as the page receives it (`data:` of an SSE message). */
export interface TailLine {
  kind: 'event' | 'created' | 'destroyed' | 'end';
  type?: string;
  object?: string;
  at?: string;
  data?: Record<string, unknown>;
  reason?: string;
}

const unqualified = (t: string) => t.slice(t.lastIndexOf('.') + 1);

/** The events a class raises, with its ancestors' (`describe`'s hierarchy). */
const eventsOf = (type: string, hierarchy: string[]): string[] => [type, ...hierarchy].map(unqualified).flatMap((c) => CLASS_EVENTS[c] ?? []);

export class Tails {
  private open = 0;

  constructor(private readonly o: TailOptions) {}

  /** Serves the tail of `pipeline` (on `node`) to one page until it ends. */
  async serve(req: IncomingMessage, res: ServerResponse, node: ClusterNode, pipeline: string): Promise<void> {
    if (this.open >= this.o.maxTails) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '10' }).end(JSON.stringify({ error: 'too many event tails open; try again later' }));
      return;
    }
    this.open++;
    let session: InspectSession | undefined;
    let ended = false;
    const timers: NodeJS.Timeout[] = [];
    let offObjects: () => void = () => undefined;
    const send = (line: TailLine) => {
      if (!res.writableEnded) res.write(`data: ${JSON.stringify(line)}\n\n`);
    };
    const end = (reason: string) => {
      if (ended) return;
      ended = true;
      this.open--;
      for (const t of timers) clearTimeout(t);
      offObjects();
      send({ kind: 'end', reason });
      res.end();
      void session?.close();
    };
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    // The page's EventSource would reconnect at once after the end; `retry` slows it, the page closes it.
    res.write('retry: 60000\n\n');
    req.on('close', () => end('page closed'));
    try {
      session = await InspectSession.open(node.address.kmsUrl);
    } catch {
      return end('the media server cannot be reached');
    }
    const s = session;
    if (ended) return void s.close(); // the page went while the session opened
    s.onEvent = (e) => send({ kind: 'event', type: e.type, object: e.object, at: String(e.data.timestampMillis ?? ''), data: strip(e.data) });
    s.onLost = () => end('the media server connection was lost');
    const subscribe = async (id: string) => {
      const d = await s.describe(id);
      if (d) await Promise.all(eventsOf(d.type, d.hierarchy).map((type) => s.subscribe(id, type)));
    };
    offObjects = this.o.cluster.onObject((n, event, id) => {
      if (n !== node || pipelineOf(id) !== pipeline || ended) return;
      send({ kind: event, object: id });
      if (event === 'destroyed' && id === pipeline) end('the pipeline was released');
      else if (event === 'created') void subscribe(id);
    });
    const limit = this.o.maxMs >= 60_000 ? `${Math.round(this.o.maxMs / 60_000)} min` : `${this.o.maxMs / 1000} s`;
    timers.push(setTimeout(() => end(`the tail reached its limit of ${limit} (resume it to go on)`), this.o.maxMs));
    const keepAlive = setInterval(() => !res.writableEnded && res.write(': keep-alive\n\n'), 15_000);
    timers.push(keepAlive as unknown as NodeJS.Timeout);
    res.on('close', () => clearInterval(keepAlive));
    const elements = await elementsOf(s, pipeline);
    await Promise.all([subscribe(pipeline), ...elements.map((e) => subscribe(e.id))]);
    if (!ended) send({ kind: 'event', type: 'TailStarted', object: pipeline, data: { elements: elements.length } });
  }
}

/** The event's own fields (without what every event repeats). */
function strip(data: Record<string, unknown>): Record<string, unknown> {
  const { source: _s, tags: _t, timestampMillis: _m, type: _y, ...rest } = data;
  return rest;
}
