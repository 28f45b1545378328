import { type RpcRequest, SERVER_MANAGER } from './protocol.js';

/** Where a client request goes. Pure. */
export type Route =
  | { kind: 'ping' }
  | { kind: 'connect'; sessionId?: string }
  | { kind: 'place' }
  | { kind: 'object'; id: string }
  | { kind: 'server-manager' }
  | { kind: 'transaction'; ids: string[] }
  | { kind: 'every-upstream' }
  | { kind: 'invalid'; message: string };

const OBJECT_METHODS = new Set(['invoke', 'describe', 'subscribe', 'unsubscribe', 'release', 'ref', 'unref']);

/** Ids an operation names: its object, or for a create the objects among its constructor parameters. */
export function namedIds(method: string, params: Record<string, unknown> | undefined): string[] {
  if (!params) return [];
  if (method === 'create') {
    const ctor = (params.constructorParams ?? {}) as Record<string, unknown>;
    return Object.values(ctor).filter((v): v is string => typeof v === 'string' && v.includes('_') && !v.startsWith('newref:'));
  }
  return typeof params.object === 'string' && !params.object.startsWith('newref:') ? [params.object] : [];
}

export function route(req: RpcRequest): Route {
  const p = req.params ?? {};
  switch (req.method) {
    case 'ping':
      return { kind: 'ping' };
    case 'connect':
      return { kind: 'connect', ...(typeof p.sessionId === 'string' ? { sessionId: p.sessionId } : {}) };
    case 'keepAlive':
    case 'closeSession':
      return { kind: 'every-upstream' };
    case 'create': {
      if (p.type === 'MediaPipeline') return { kind: 'place' };
      const ids = namedIds('create', p);
      return ids[0] ? { kind: 'object', id: ids[0] } : { kind: 'invalid', message: `create ${String(p.type)}: no media pipeline in its constructor parameters` };
    }
    case 'transaction': {
      const ops = Array.isArray(p.operations) ? (p.operations as RpcRequest[]) : [];
      return { kind: 'transaction', ids: ops.flatMap((op) => namedIds(op.method, op.params)).filter((id) => id !== SERVER_MANAGER) };
    }
    default:
      if (!OBJECT_METHODS.has(req.method)) return { kind: 'invalid', message: `Method not found: ${req.method}` };
      if (typeof p.object !== 'string') return { kind: 'invalid', message: `${req.method}: no object` };
      return p.object === SERVER_MANAGER ? { kind: 'server-manager' } : { kind: 'object', id: p.object };
  }
}
