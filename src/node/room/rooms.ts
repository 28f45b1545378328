import type { Candidate, ToPage } from './protocol.js';
import { PendingReleases } from './kurento.js';

/** The Kurento calls rooms make (KurentoClient's, narrowed for tests). */
export interface MediaApi {
  create(type: string, constructorParams?: Record<string, unknown>): Promise<string>;
  invoke(object: string, operation: string, operationParams?: Record<string, unknown>): Promise<unknown>;
  subscribe(object: string, type: string, handler: (data: Record<string, unknown>) => void): Promise<void>;
  release(object: string): Promise<void>;
}

/** Something the page did that cannot be done; said to that page. */
export class RoomError extends Error {}

/** One page in one room: its outgoing endpoint (what its browser sends) and one incoming endpoint per other participant. */
export class Participant {
  outgoing: string | undefined;
  /** Sender's name → this participant's endpoint receiving that sender. */
  readonly incoming = new Map<string, string>();
  /** Seen by the others (newParticipantArrived sent). */
  ready = false;
  left = false;

  constructor(
    readonly name: string,
    readonly room: Room,
    readonly send: (message: ToPage) => void,
  ) {}
}

export class Room {
  readonly participants = new Map<string, Participant>();

  constructor(
    readonly name: string,
    /** Created through the cluster URL: the controller places it on a node. */
    readonly pipeline: Promise<string>,
  ) {}
}

/**
 * Kurento's group call: one pipeline per room, placed by the cluster like any application's; each
 * participant sends on one WebRtcEndpoint and receives every other on one endpoint each, connected
 * from the sender's. The last one out releases the pipeline.
 */
export class Rooms {
  readonly rooms = new Map<string, Room>();
  /** Releases that failed while the cluster was out of reach: retried when it is back. */
  private readonly releases: PendingReleases;

  constructor(
    private readonly media: MediaApi,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.releases = new PendingReleases(media, (line) => this.log(line));
  }

  /** Joins `roomName` as `name`; the page gets `existingParticipants`, the others `newParticipantArrived`. */
  async join(name: string, roomName: string, send: (message: ToPage) => void): Promise<Participant> {
    let room = this.rooms.get(roomName);
    if (!room) {
      room = new Room(roomName, this.media.create('MediaPipeline'));
      this.rooms.set(roomName, room);
      room.pipeline.catch(() => undefined);
    }
    if (room.participants.has(name)) throw new RoomError(`${name} is already in room ${roomName}: choose another name`);
    const p = new Participant(name, room, send);
    room.participants.set(name, p);
    try {
      const pipeline = await room.pipeline;
      p.outgoing = await this.endpoint(pipeline, p, name);
    } catch (error) {
      await this.leave(p);
      throw error;
    }
    if (p.left) return p;
    const others = [...room.participants.values()].filter((o) => o !== p && o.ready);
    p.ready = true;
    for (const o of others) o.send({ id: 'newParticipantArrived', name });
    send({ id: 'existingParticipants', room: roomName, name, data: others.map((o) => o.name) });
    this.log(`${name} joined ${roomName} (${room.participants.size} in it)`);
    return p;
  }

  /** A WebRtcEndpoint in `pipeline` whose candidates go to `owner`'s page, named `of`. */
  private async endpoint(pipeline: string, owner: Participant, of: string): Promise<string> {
    const id = await this.media.create('WebRtcEndpoint', { mediaPipeline: pipeline });
    await this.media.subscribe(id, 'IceCandidateFound', (data) => {
      const c = data['candidate'] as Record<string, unknown> | undefined;
      if (!c || owner.left) return;
      owner.send({ id: 'iceCandidate', name: of, candidate: { candidate: String(c['candidate']), sdpMid: typeof c['sdpMid'] === 'string' ? c['sdpMid'] : null, sdpMLineIndex: typeof c['sdpMLineIndex'] === 'number' ? c['sdpMLineIndex'] : null } });
    });
    return id;
  }

  /** The page's offer for `sender`'s video (its own, when `sender` is its name); answered, then Kurento gathers. */
  async receiveVideoFrom(p: Participant, sender: string, sdpOffer: string): Promise<void> {
    if (p.left || !p.outgoing) throw new RoomError('join a room first');
    let endpoint: string;
    if (sender === p.name) endpoint = p.outgoing;
    else {
      const from = p.room.participants.get(sender);
      if (!from?.outgoing) throw new RoomError(`${sender} is not in room ${p.room.name}`);
      const previous = p.incoming.get(sender);
      if (previous) {
        // A new offer for the same sender (the page renegotiates): a fresh endpoint.
        p.incoming.delete(sender);
        this.release(previous);
      }
      endpoint = await this.endpoint(await p.room.pipeline, p, sender);
      p.incoming.set(sender, endpoint);
      await this.media.invoke(from.outgoing, 'connect', { sink: endpoint });
    }
    const answer = await this.media.invoke(endpoint, 'processOffer', { offer: sdpOffer });
    if (p.left) return;
    p.send({ id: 'receiveVideoAnswer', name: sender, sdpAnswer: String(answer) });
    await this.media.invoke(endpoint, 'gatherCandidates');
  }

  /** A candidate of the page's peer for `name`'s video; none for an endpoint already gone. */
  async addIceCandidate(p: Participant, name: string, candidate: Candidate): Promise<void> {
    const endpoint = name === p.name ? p.outgoing : p.incoming.get(name);
    if (!endpoint || p.left) return;
    await this.media.invoke(endpoint, 'addIceCandidate', { candidate: { __module__: 'kurento', __type__: 'IceCandidate', ...candidate, sdpMid: candidate.sdpMid ?? '0', sdpMLineIndex: candidate.sdpMLineIndex ?? 0 } });
  }

  /** Leaves: the participant's endpoints are released, the others told; the last one out releases the pipeline. */
  async leave(p: Participant): Promise<void> {
    if (p.left) return;
    p.left = true;
    const room = p.room;
    if (room.participants.get(p.name) === p) room.participants.delete(p.name);
    for (const o of room.participants.values()) {
      const endpoint = o.incoming.get(p.name);
      o.incoming.delete(p.name);
      if (endpoint) this.release(endpoint);
      if (p.ready) o.send({ id: 'participantLeft', name: p.name });
    }
    if (room.participants.size === 0) {
      if (this.rooms.get(room.name) === room) this.rooms.delete(room.name);
      const pipeline = await room.pipeline.catch(() => undefined);
      if (pipeline) this.release(pipeline);
      this.log(`${p.name} left ${room.name}: its pipeline is released`);
      return;
    }
    for (const endpoint of [p.outgoing, ...p.incoming.values()]) if (endpoint) this.release(endpoint);
    this.log(`${p.name} left ${room.name} (${room.participants.size} in it)`);
  }

  private release(id: string): void {
    this.releases.release(id);
  }

  /** The cluster is back with the same session: releases that failed meanwhile are retried. */
  retryReleases(): void {
    this.releases.retry();
  }

  /** The session's objects are gone (the cluster lost it): every room closes and each page is told. */
  closeAll(message: string): void {
    this.releases.forget();
    for (const room of this.rooms.values()) {
      for (const p of room.participants.values()) {
        p.left = true;
        p.send({ id: 'roomClosed', message });
      }
      room.participants.clear();
    }
    this.rooms.clear();
  }
}
