/**
 * Creating objects and invoking operations on them, as KMS's generated `invoke` does: walk the
 * class and its ancestors, nearest first; in each, its methods, then `get<Property>` for every
 * property and `set<Property>` for writable ones; nothing matched ⇒ 40008 "Method 'x' with N
 * parameters not found". Methods without behaviour here do nothing and answer `null`.
 */
import { classes, factories, lineage, type ModuleName } from './catalog.js';
import { mediaElement, playerEndpoint, recorderEndpoint, uriEndpoint, withDot } from './elements.js';
import { Kms, KmsError, RpcError } from './errors.js';
import { hasMember, jsonSize } from './json.js';
import { accepts, decode, describe, readParams } from './marshal.js';
import type { MediaSet } from './media-set.js';
import { complex, MediaObj } from './model.js';
import { sdpEndpoint, webRtcEndpoint } from './sdp-endpoint.js';
import type { MediaPlane } from './media-plane.js';

/** What the server reports about itself, and the address its endpoints use. */
export interface ServerConfig {
  version: string;
  cpuCount: number;
  /** `getUsedCpu` answer, percent. */
  usedCpu: number;
  /** `getUsedMemory` answer, KiB. */
  usedMemory: number;
  metadata: string;
  /** Where ICE candidates and SDP point when an endpoint has no externalIPv4. */
  candidateIp: string;
}

export interface ObjectContext {
  set: MediaSet;
  config: ServerConfig;
  now(): number;
  /** Waits on the injected clock (getUsedCpu). */
  sleep(ms: number): Promise<void>;
  allocatePort(): number;
  /** The endpoints' media plane, when the fake has one (`media: 'werift'`); else no media flows. */
  media?: MediaPlane;
}

export type Behaviour = (obj: MediaObj, args: Record<string, unknown>, ctx: ObjectContext) => unknown;
export type Behaviours = Record<string, Behaviour>;

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const MODULES: ModuleName[] = ['core', 'elements', 'filters'];

/** `getInfo`: a ServerInfo as KMS serialises it. */
export const serverInfo = (config: ServerConfig) =>
  complex('ServerInfo', {
    version: config.version,
    modules: MODULES.map((name) => complex('ModuleInfo', { version: config.version, name, generationTime: 'Jan 01 2025 00:00:00', factories: factories(name) })),
    type: 'KMS',
    capabilities: ['transactions'],
  });

const mediaObject: Behaviours = {
  addTag(obj, args) {
    obj.tags.set(String(args['key']), String(args['value']));
    return null;
  },
  removeTag(obj, args) {
    obj.tags.delete(String(args['key']));
    return null;
  },
  getTag(obj, args) {
    const value = obj.tags.get(String(args['key']));
    if (value === undefined) throw new KmsError(Kms.MEDIA_OBJECT_TAG_KEY_NOT_FOUND, 'Tag key not found');
    return value;
  },
  getTags: (obj) => [...obj.tags].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, value]) => complex('Tag', { key, value })),
};

const serverManager: Behaviours = {
  getKmd(_obj, args) {
    const name = String(args['moduleName']);
    if (!(MODULES as string[]).includes(name)) throw new KmsError(Kms.SERVER_MANAGER_ERROR_KMD_NOT_FOUND, "Requested kmd module doesn't exist");
    return JSON.stringify({ name, version: '7.3.0', kurentoVersion: '^7.1.0', remoteClasses: factories(name as ModuleName).map((n) => ({ name: n })) });
  },
  getCpuCount: (_o, _a, ctx) => ctx.config.cpuCount,
  async getUsedCpu(_o, args, ctx) {
    await ctx.sleep(Number(args['interval']));
    return ctx.config.usedCpu;
  },
  getUsedMemory: (_o, _a, ctx) => ctx.config.usedMemory,
};

const behaviours: Record<string, Behaviours> = {
  MediaObject: mediaObject,
  ServerManager: serverManager,
  MediaPipeline: withDot,
  Hub: withDot,
  MediaElement: mediaElement,
  UriEndpoint: uriEndpoint,
  PlayerEndpoint: playerEndpoint,
  RecorderEndpoint: recorderEndpoint,
  SdpEndpoint: sdpEndpoint,
  WebRtcEndpoint: webRtcEndpoint,
  HttpEndpoint: { getUrl: () => '' },
};

/** Getters whose value is computed rather than stored. */
const computed: Record<string, Record<string, (obj: MediaObj, ctx: ObjectContext) => unknown>> = {
  MediaObject: {
    mediaPipeline: (obj) => (obj.pipeline.type === 'MediaPipeline' ? obj.pipeline.id : null),
    parent: (obj) => obj.parent?.id ?? null,
    id: (obj) => obj.id,
    children: (obj, ctx) => ctx.set.childrenOf(obj).map((c) => c.id),
    name: (obj) => (obj.name ??= obj.id),
    sendTagsInEvents: (obj) => obj.sendTagsInEvents,
    creationTime: (obj) => obj.creationTime,
  },
  ServerManager: {
    info: (_o, ctx) => serverInfo(ctx.config),
    pipelines: (_o, ctx) => ctx.set.getPipelines().map((p) => p.id),
    sessions: (_o, ctx) => ctx.set.getSessions(),
    metadata: (_o, ctx) => ctx.config.metadata,
  },
};

const setters: Record<string, (obj: MediaObj, value: unknown) => void> = {
  name: (obj, v) => (obj.name = String(v)),
  sendTagsInEvents: (obj, v) => (obj.sendTagsInEvents = Boolean(v)),
};

/** `MediaObjectImpl::invoke` for `obj`. */
export async function invoke(obj: MediaObj, operation: string, params: unknown, ctx: ObjectContext): Promise<unknown> {
  const lookup = (id: string) => ctx.set.getObject(id);
  for (const cls of lineage(obj.type)) {
    const method = cls.methods?.find((m) => m.name === operation);
    if (method) {
      const args = readParams(method.params, params, 'operationParams', lookup);
      const impl = behaviours[cls.name]?.[operation];
      return impl ? ((await impl(obj, args, ctx)) ?? null) : null;
    }
    for (const prop of cls.properties ?? []) {
      if (operation === `get${cap(prop.name)}`) {
        const get = computed[cls.name]?.[prop.name];
        return get ? get(obj, ctx) : obj.props.has(prop.name) ? obj.props.get(prop.name) : (prop.initial ?? null);
      }
      if (operation === `set${cap(prop.name)}` && prop.access === 'rw') {
        const v = hasMember(params, prop.name) ? (params as Record<string, unknown>)[prop.name] : undefined;
        if (v === undefined || !accepts(prop.type, v)) throw new KmsError(Kms.MARSHALL_ERROR, `'${prop.name}' parameter should be a ${describe(prop.type)}`);
        const value = decode(prop.type, v, lookup);
        if (setters[prop.name]) setters[prop.name]!(obj, value);
        else obj.props.set(prop.name, value);
        return null;
      }
    }
  }
  throw new RpcError(Kms.MALFORMED_TRANSACTION, `Method '${operation}' with ${jsonSize(params)} parameters not found`, { type: 'MALFORMED_TRANSACTION' });
}

/** `moduleManager.getFactory(type)`: non-abstract classes only. */
export function factoryFor(type: string): string {
  const cls = classes.get(type);
  if (!cls || cls.abstract) throw new KmsError(Kms.MEDIA_OBJECT_NOT_AVAILABLE, `Factory '${type}' not found`);
  return cls.name;
}

/** `Factory::createObject`: reads the constructor parameters, registers the object, refs it to `sessionId`. */
export function createObject(type: string, sessionId: string, constructorParams: unknown, createProperties: unknown, ctx: ObjectContext): MediaObj {
  const cls = classes.get(type)!;
  const args = readParams(cls.constructorParams ?? [], constructorParams, 'constructorParams', (id) => ctx.set.getObject(id), true);
  const parent = (args['hub'] ?? args['mediaPipeline']) as MediaObj | undefined;
  const obj = new MediaObj(type, parent, Math.floor(ctx.now() / 1000));
  obj.constructorParams = args;
  obj.createProperties = createProperties;
  for (const key of ['uri', 'command']) if (key in args) obj.props.set(key, args[key]);
  ctx.set.register(obj);
  ctx.set.ref(sessionId, obj);
  return obj;
}
