/**
 * A port of KMS's MediaSet (server/module-core/src/server/implementation/MediaSet.cpp): which
 * sessions reference which objects, when an object is released, event subscriptions per
 * (session, object), and the garbage collector.
 *
 * - `ref(session, obj)` also refs every parent, and marks the session in use.
 * - A new object is referenced by every session that references its parent, then by its creator.
 * - `unref(session, obj)` unrefs the children for that session too; an object no session
 *   references is released: it is destroyed (children first) and `ObjectDestroyed` is raised.
 * - `getObject` finds only objects some session references (the ServerManager always).
 * - The GC runs passes; a session not kept alive since the previous pass is `unrefSession`ed.
 *   KMS keeps a flag per session that each pass clears; the fake stores the pass number instead.
 */
import { randomUUID } from 'node:crypto';
import { eventsOf, raiseBaseEvents } from './catalog.js';
import { Kms, KmsError, notFound } from './errors.js';
import { writeJson } from './json.js';
import { complex, MediaObj, type Connection } from './model.js';

const NEW_REF = 'newref:';

/** Receives each `onEvent` notification for a session. */
export type EventSink = (sessionId: string, message: string) => void;

export class MediaSet {
  /** objectsMap: every object not yet destroyed. */
  readonly objects = new Map<string, MediaObj>();
  private readonly children = new Map<string, Map<string, MediaObj>>();
  private readonly sessionMap = new Map<string, Map<string, MediaObj>>();
  private readonly reverse = new Map<string, Set<string>>();
  /** sessionInUse, as the GC pass number in which the session was last kept alive. */
  private readonly inUse = new Map<string, number>();
  private pass = 0;
  private readonly orphaned: Connection[] = [];
  /** session → object → subscription → event type. */
  private readonly handlers = new Map<string, Map<string, Map<string, string>>>();
  readonly serverManager: MediaObj;

  constructor(
    private readonly now: () => number,
    private readonly sink: EventSink,
    /** Told of each object destroyed (the media plane closes its peer). */
    private readonly onDestroyed?: (obj: MediaObj) => void,
  ) {
    this.serverManager = new MediaObj('ServerManager', undefined, Math.floor(now() / 1000), 'manager_ServerManager');
    this.objects.set(this.serverManager.id, this.serverManager);
  }

  /** `MediaSet::ref(MediaObjectImpl*)`: registers a new object, then raises ObjectCreated. */
  register(obj: MediaObj): void {
    this.objects.set(obj.id, obj);
    if (obj.parent) {
      let siblings = this.children.get(obj.parent.id);
      if (!siblings) this.children.set(obj.parent.id, (siblings = new Map()));
      siblings.set(obj.id, obj);
      for (const session of [...(this.reverse.get(obj.parent.id) ?? [])]) this.ref(session, obj);
    }
    this.raise(this.serverManager, 'ObjectCreated', { object: obj.id });
  }

  ref(sessionId: string, obj: MediaObj): void {
    if (!this.objects.has(obj.id)) throw new KmsError(Kms.MEDIA_OBJECT_NOT_FOUND, 'Cannot register media object, it was not created by MediaSet');
    this.keepAlive(sessionId, true);
    if (obj.parent) this.ref(sessionId, obj.parent);
    let refs = this.sessionMap.get(sessionId);
    if (!refs) this.sessionMap.set(sessionId, (refs = new Map()));
    refs.set(obj.id, obj);
    let sessions = this.reverse.get(obj.id);
    if (!sessions) this.reverse.set(obj.id, (sessions = new Set()));
    sessions.add(sessionId);
  }

  keepAlive(sessionId: string, create = false): void {
    if (!this.inUse.has(sessionId) && !create) throw new KmsError(Kms.INVALID_SESSION, 'Invalid session');
    this.inUse.set(sessionId, this.pass);
  }

  isInUse(sessionId: string): boolean {
    return this.inUse.has(sessionId);
  }

  /** `getMediaObject(ref)`. */
  getObject(ref: string): MediaObj {
    if (ref.length > NEW_REF.length && ref.startsWith(NEW_REF)) {
      throw new KmsError(Kms.MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT, `Object '${ref}' not found. Possibly using a transactional object without committing the transaction.`);
    }
    const obj = this.objects.get(ref);
    if (!obj) throw notFound(ref);
    if (!this.reverse.get(obj.id)?.size && obj !== this.serverManager) throw notFound(ref);
    return obj;
  }

  /** `getMediaObject(session, ref)`: finds it and adds it (and its parents) to the session. */
  getObjectFor(sessionId: string, ref: string): MediaObj {
    const obj = this.getObject(ref);
    this.ref(sessionId, obj);
    return obj;
  }

  /** `ref` method: like getObjectFor. */
  refById(sessionId: string, ref: string): void {
    this.ref(sessionId, this.getObject(ref));
  }

  /** `unref` method: an unknown object is not an error. */
  unrefById(sessionId: string, ref: string): void {
    let obj: MediaObj;
    try {
      obj = this.getObject(ref);
    } catch {
      return;
    }
    this.unref(sessionId, obj);
  }

  unref(sessionId: string, obj: MediaObj): void {
    this.unrefOne(sessionId, obj);
    this.settle();
  }

  private unrefOne(sessionId: string, obj: MediaObj): void {
    this.sessionMap.get(sessionId)?.delete(obj.id);
    for (const child of [...(this.children.get(obj.id)?.values() ?? [])]) this.unrefOne(sessionId, child);
    const sessions = this.reverse.get(obj.id);
    sessions?.delete(sessionId);
    const released = !sessions || sessions.size === 0;
    this.handlers.get(sessionId)?.delete(obj.id);
    if (!released || obj === this.serverManager) return;
    if (obj.parent) this.children.get(obj.parent.id)?.delete(obj.id);
    this.children.delete(obj.id);
    this.reverse.delete(obj.id);
    this.destroy(obj);
  }

  /** `release` method: unrefs the object from every session; unknown objects are not an error. */
  releaseById(ref: string): void {
    let obj: MediaObj;
    try {
      obj = this.getObject(ref);
    } catch {
      return;
    }
    this.release(obj);
  }

  release(obj: MediaObj): void {
    for (const session of [...(this.reverse.get(obj.id) ?? [])]) this.unrefOne(session, obj);
    this.settle();
  }

  unrefSession(sessionId: string): void {
    for (const obj of [...(this.sessionMap.get(sessionId)?.values() ?? [])]) this.unrefOne(sessionId, obj);
    this.forget(sessionId);
    this.settle();
  }

  releaseSession(sessionId: string): void {
    for (const obj of [...(this.sessionMap.get(sessionId)?.values() ?? [])]) {
      for (const session of [...(this.reverse.get(obj.id) ?? [])]) this.unrefOne(session, obj);
    }
    this.forget(sessionId);
    this.settle();
  }

  private forget(sessionId: string): void {
    this.sessionMap.delete(sessionId);
    this.inUse.delete(sessionId);
    this.handlers.delete(sessionId);
  }

  private destroy(obj: MediaObj): void {
    // unrefSession walks a copy of the session's objects, so a child released with its parent comes again
    if (!this.objects.has(obj.id)) return;
    // MediaElementImpl::release → disconnectAll: a source that outlives this element sees ElementDisconnected
    for (const c of [...obj.sinks]) disconnectOne(c);
    for (const c of [...obj.sources]) {
      disconnectOne(c);
      this.orphaned.push(c);
    }
    this.objects.delete(obj.id);
    this.onDestroyed?.(obj);
    this.raise(this.serverManager, 'ObjectDestroyed', { objectId: obj.id });
  }

  /** After a release settles, the surviving sources of destroyed sinks raise ElementDisconnected. */
  private settle(): void {
    for (const c of this.orphaned.splice(0)) if (this.objects.has(c.source.id)) this.raiseDisconnected(c);
  }

  raiseDisconnected(c: Connection): void {
    this.raise(c.source, 'ElementDisconnected', { sink: c.sink.id, mediaType: c.type, sourceMediaDescription: c.sourceDescription, sinkMediaDescription: c.sinkDescription });
  }

  childrenOf(obj: MediaObj): MediaObj[] {
    return [...(this.children.get(obj.id)?.values() ?? [])].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  sessionsOf(obj: MediaObj): string[] {
    return [...(this.reverse.get(obj.id) ?? [])].sort();
  }

  objectsOf(sessionId: string): string[] {
    return [...(this.sessionMap.get(sessionId)?.keys() ?? [])].sort();
  }

  /** Sessions that reference (or once referenced) objects: sessionMap's keys. */
  sessionIds(): string[] {
    return [...this.sessionMap.keys()].sort();
  }

  /** Sessions the GC tracks (sessionInUse). */
  liveSessions(): string[] {
    return [...this.inUse.keys()].sort();
  }

  /** `MediaSet::getSessions`: a vector sized N and then appended to, so N empty strings come first. */
  getSessions(): string[] {
    const ids = this.sessionIds();
    return [...ids.map(() => ''), ...ids];
  }

  /** `MediaSet::getPipelines("")`: looks every object up through session "", which refs them all to it. */
  getPipelines(): MediaObj[] {
    const out: MediaObj[] = [];
    for (const id of [...this.objects.keys()].sort()) {
      try {
        const obj = this.getObjectFor('', id);
        if (obj.type === 'MediaPipeline') out.push(obj);
      } catch {
        // not referenced by any session
      }
    }
    return out;
  }

  subscribe(sessionId: string, obj: MediaObj, type: string): string {
    if (!eventsOf(obj.type).includes(type)) throw new KmsError(Kms.MEDIA_OBJECT_EVENT_NOT_SUPPORTED, `Event '${type}' not supported`);
    const id = randomUUID();
    let perObject = this.handlers.get(sessionId);
    if (!perObject) this.handlers.set(sessionId, (perObject = new Map()));
    let subs = perObject.get(obj.id);
    if (!subs) perObject.set(obj.id, (subs = new Map()));
    subs.set(id, type);
    return id;
  }

  unsubscribe(sessionId: string, objectId: string, subscription: string): void {
    this.handlers.get(sessionId)?.get(objectId)?.delete(subscription);
  }

  /** Raises an event on `obj`: one `onEvent` per subscribed session, however many subscriptions. */
  raise(obj: MediaObj, type: string, fields: Record<string, unknown>): void {
    const data: Record<string, unknown> = {
      ...fields,
      source: obj.id,
      tags: obj.sendTagsInEvents ? [...obj.tags].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => complex('Tag', { key, value })) : [],
      timestampMillis: String(Math.floor(this.now())),
      ...(raiseBaseEvents.has(type) ? {} : { type }),
    };
    const message = writeJson({ jsonrpc: '2.0', method: 'onEvent', params: { value: { data, object: obj.id, type } } });
    for (const [sessionId, perObject] of [...this.handlers]) {
      const subs = perObject.get(obj.id);
      if (subs && [...subs.values()].includes(type)) this.sink(sessionId, message);
    }
  }

  /**
   * One `doGarbageCollection` pass. `connected` are the sessions bound to an open socket, which
   * the transport's keep-alive thread marks in use before every pass. Returns the collected ones.
   */
  collect(connected: Iterable<string>): string[] {
    for (const s of connected) if (this.inUse.has(s)) this.inUse.set(s, this.pass);
    const collected: string[] = [];
    for (const [sessionId, lastAlive] of [...this.inUse].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (lastAlive === this.pass) continue;
      collected.push(sessionId);
      this.unrefSession(sessionId);
    }
    this.pass++;
    return collected;
  }
}

function disconnectOne(c: { source: MediaObj; sink: MediaObj }): void {
  c.source.sinks = c.source.sinks.filter((x) => x !== c);
  c.sink.sources = c.sink.sources.filter((x) => x !== c);
}
