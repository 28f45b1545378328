/**
 * The live view: one MediaPipeline per camera, shared by every viewer of that camera. The pipeline
 * holds a PlayerEndpoint pulling the camera's RTSP URL and one WebRtcEndpoint per viewer, fed by
 * `player.connect(webRtc)`: a camera is pulled once through the cluster however many watch it. The
 * last viewer out releases the pipeline. A player whose stream ends or fails (EndOfStream, Error) is
 * replaced, with back-off, while viewers remain; the viewers are told, and their endpoints stay. The
 * player's video flowing out again (MediaFlowOutStateChanged FLOWING) is the sign it is back.
 */
import { PendingReleases } from '../../../room/kurento.js';
import type { MediaApi } from '../../../room/rooms.js';
import type { Candidate } from '../../../room/protocol.js';
import type { ToPage } from './protocol.js';

/** Something a page asked that cannot be done; said to that page. */
export class LiveError extends Error {}

/** One tile of one page watching one camera live. */
export interface Viewer {
  readonly camera: string;
  send(message: ToPage): void;
  endpoint?: string;
  closed: boolean;
}

interface Feed {
  readonly camera: string;
  readonly url: string;
  /** Created through the cluster URL: the controller places it on a node. */
  readonly pipeline: Promise<string>;
  readonly viewers: Set<Viewer>;
  /** The player now feeding the viewers; undefined while it is (re)made. */
  player: string | undefined;
  /** Players lost since video last flowed: picks the next wait. */
  attempt: number;
  /** What the viewers were told when the stream was lost, until it is back (a new viewer is told too). */
  lost: string | undefined;
  timer: NodeJS.Timeout | undefined;
  closed: boolean;
}

export interface LiveOptions {
  log?: (line: string) => void;
  /** Waits before remaking a lost player; the last repeats. Default 1, 2, 5, 10, 30 s. */
  retryMs?: readonly number[];
  /** KMS's PlayerEndpoint buffer for RTSP, ms (its default, 2000, adds two seconds of delay). */
  networkCacheMs?: number;
  /** Masks camera credentials in anything said or logged (the cameras' URLs and passwords). */
  redact?: (text: string) => string;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export class LiveViews {
  readonly feeds = new Map<string, Feed>();
  /** Releases that failed while the cluster was out of reach: retried when it is back. */
  private readonly releases: PendingReleases;
  private readonly retryMs: readonly number[];
  private readonly log: (line: string) => void;
  private readonly redact: (text: string) => string;

  constructor(
    private readonly media: MediaApi,
    /** Camera name → its RTSP URL (with credentials: it goes to Kurento, nowhere else). */
    private readonly urls: ReadonlyMap<string, string>,
    private readonly o: LiveOptions = {},
  ) {
    this.retryMs = o.retryMs ?? [1_000, 2_000, 5_000, 10_000, 30_000];
    this.redact = o.redact ?? ((t) => t);
    this.log = (line) => o.log?.(this.redact(line));
    this.releases = new PendingReleases(media, (line) => this.log(line));
  }

  /** Viewers of `camera` now. */
  viewers(camera: string): number {
    return this.feeds.get(camera)?.viewers.size ?? 0;
  }

  /** A viewer's offer: its endpoint in the camera's pipeline (made with the first viewer), answered, then Kurento gathers. */
  async view(viewer: Viewer, sdpOffer: string): Promise<void> {
    const feed = this.feeds.get(viewer.camera) ?? this.open(viewer.camera);
    feed.viewers.add(viewer);
    try {
      const pipeline = await feed.pipeline;
      const endpoint = await this.media.create('WebRtcEndpoint', { mediaPipeline: pipeline });
      viewer.endpoint = endpoint;
      if (viewer.closed) return this.release(endpoint);
      await this.media.subscribe(endpoint, 'IceCandidateFound', (data) => {
        const c = data['candidate'] as Record<string, unknown> | undefined;
        if (!c || viewer.closed) return;
        const { candidate, sdpMid, sdpMLineIndex } = c;
        viewer.send({ id: 'iceCandidate', camera: viewer.camera, candidate: { candidate: String(candidate), sdpMid: typeof sdpMid === 'string' ? sdpMid : null, sdpMLineIndex: typeof sdpMLineIndex === 'number' ? sdpMLineIndex : null } });
      });
      // A player made meanwhile connected every endpoint it found; this one may have come after.
      if (feed.player) await this.media.invoke(feed.player, 'connect', { sink: endpoint });
      const answer = await this.media.invoke(endpoint, 'processOffer', { offer: sdpOffer });
      if (viewer.closed) return;
      viewer.send({ id: 'viewAnswer', camera: viewer.camera, sdpAnswer: String(answer) });
      if (feed.lost) viewer.send({ id: 'source', camera: viewer.camera, state: 'lost', message: feed.lost });
      await this.media.invoke(endpoint, 'gatherCandidates');
      this.log(`camera ${viewer.camera}: ${feed.viewers.size} watching live`);
    } catch (error) {
      await this.leave(viewer);
      throw error;
    }
  }

  async addIceCandidate(viewer: Viewer, c: Candidate): Promise<void> {
    if (viewer.closed || !viewer.endpoint) return;
    const candidate = { __module__: 'kurento', __type__: 'IceCandidate', candidate: c.candidate, sdpMid: c.sdpMid ?? '0', sdpMLineIndex: c.sdpMLineIndex ?? 0 };
    await this.media.invoke(viewer.endpoint, 'addIceCandidate', { candidate });
  }

  /** The viewer is gone: its endpoint is released; the camera's last viewer releases the pipeline (and so the player). */
  async leave(viewer: Viewer): Promise<void> {
    if (viewer.closed) return;
    viewer.closed = true;
    const feed = this.feeds.get(viewer.camera);
    if (!feed || !feed.viewers.delete(viewer)) return;
    if (feed.viewers.size > 0) {
      if (viewer.endpoint) this.release(viewer.endpoint);
      return;
    }
    feed.closed = true;
    clearTimeout(feed.timer);
    this.feeds.delete(feed.camera);
    const pipeline = await feed.pipeline.catch(() => undefined);
    if (pipeline) this.release(pipeline);
    this.log(`camera ${feed.camera}: nobody watching live, its pipeline is released`);
  }

  private open(camera: string): Feed {
    const url = this.urls.get(camera);
    if (url === undefined) throw new LiveError(`no camera named ${JSON.stringify(camera)}`);
    const feed: Feed = { camera, url, pipeline: this.media.create('MediaPipeline'), viewers: new Set(), player: undefined, attempt: 0, lost: undefined, timer: undefined, closed: false };
    feed.pipeline.catch(() => undefined);
    this.feeds.set(camera, feed);
    void feed.pipeline.then((p) => this.play(feed, p), () => undefined);
    return feed;
  }

  /** Makes the camera's player, connects it to every viewer's endpoint and plays; a failure is a lost stream. */
  private async play(feed: Feed, pipeline: string): Promise<void> {
    let player: string | undefined;
    try {
      player = await this.media.create('PlayerEndpoint', { mediaPipeline: pipeline, uri: feed.url, networkCache: this.o.networkCacheMs ?? 200 });
      if (feed.closed) return;
      const id = player;
      await this.media.subscribe(id, 'EndOfStream', () => this.lost(feed, id, 'the camera ended its stream'));
      await this.media.subscribe(id, 'Error', (data) => this.lost(feed, id, `Kurento: ${String(data['description'] ?? data['type'] ?? 'error')}`));
      await this.media.subscribe(id, 'MediaFlowOutStateChanged', (data) => {
        if (data['state'] === 'FLOWING' && data['mediaType'] === 'VIDEO' && feed.player === id) this.flowing(feed);
      });
      feed.player = id;
      for (const v of feed.viewers) if (v.endpoint) await this.media.invoke(id, 'connect', { sink: v.endpoint });
      await this.media.invoke(id, 'play');
    } catch (error) {
      if (feed.closed) return;
      // A player made but not yet adopted goes here; an adopted one goes in lost().
      if (player && feed.player !== player) this.release(player);
      this.lost(feed, feed.player, error instanceof Error ? error.message : String(error));
    }
  }

  /** The player's video flows: a lost stream is back (the viewers are told), and the waits start again. */
  private flowing(feed: Feed): void {
    feed.attempt = 0;
    if (!feed.lost) return;
    feed.lost = undefined;
    this.log(`camera ${feed.camera}: its stream is back`);
    for (const v of feed.viewers) v.send({ id: 'source', camera: feed.camera, state: 'playing', message: 'The camera’s stream is back.' });
  }

  /** The player's stream ended or failed: the viewers are told, and a new player follows after a wait. */
  private lost(feed: Feed, player: string | undefined, why: string): void {
    if (feed.closed || feed.player !== player || feed.timer) return;
    feed.player = undefined;
    if (player) this.release(player);
    const wait = this.retryMs[Math.min(feed.attempt, this.retryMs.length - 1)] ?? 1_000;
    feed.attempt++;
    const message = this.redact(`The camera’s stream was lost (${why}): trying again in ${seconds(wait)}.`);
    feed.lost = message;
    this.log(`camera ${feed.camera}: ${message}`);
    for (const v of feed.viewers) v.send({ id: 'source', camera: feed.camera, state: 'lost', message });
    feed.timer = setTimeout(() => {
      feed.timer = undefined;
      if (feed.closed) return;
      void feed.pipeline.then((p) => this.play(feed, p), () => undefined);
    }, wait);
  }

  private release(id: string): void {
    this.releases.release(id);
  }

  /** The cluster is back with the same session: releases that failed meanwhile are retried. */
  retryReleases(): void {
    this.releases.retry();
  }

  /** The server stops: every viewer is told, and every pipeline released (waited for at most `ms`). */
  async stop(message: string, ms = 2_000): Promise<void> {
    const pipelines = [...this.feeds.values()].map((f) => f.pipeline.catch(() => undefined));
    this.closeAll(message);
    const released = Promise.all(pipelines.map(async (p) => {
      const id = await p;
      if (id) await this.media.release(id).catch(() => undefined);
    }));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([released, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
  }

  /** Every view ends (the session's objects are gone, or the server stops); each viewer is told. */
  closeAll(message: string): void {
    this.releases.forget();
    for (const feed of this.feeds.values()) {
      feed.closed = true;
      clearTimeout(feed.timer);
      for (const v of feed.viewers) {
        v.closed = true;
        v.send({ id: 'viewClosed', camera: feed.camera, message });
      }
      feed.viewers.clear();
    }
    this.feeds.clear();
  }
}
