/**
 * Kurento JSON-RPC as the controller needs it: message shapes, object ids, error codes
 * (../shared/reference/kurento-runtime-notes.md §1; KMS: ServerMethods.cpp, KurentoException.hpp).
 */
export interface RpcRequest {
  jsonrpc: '2.0';
  id?: number | string;
  method: string;
  params?: Record<string, unknown>;
}

export interface RpcResponse {
  jsonrpc: '2.0';
  id: number | string | null;
  result?: { value?: unknown; sessionId?: string; [k: string]: unknown };
  error?: RpcError;
}

export interface RpcError {
  code: number;
  message: string;
  data?: { type?: string; [k: string]: unknown };
}

export type RpcMessage = RpcRequest | RpcResponse;

export const ERRORS = {
  invalidSession: 40007,
  notEnoughResources: 40009,
  objectNotFound: 40101,
  doNotSharePipeline: 40004,
  /** The controller's own range starts here (KMS leaves 49000-49999 free). */
  nodeLost: 49001,
  noNode: 49002,
} as const;

export const SERVER_MANAGER = 'manager_ServerManager';

/** The pipeline an object belongs to: the text before the first `/` (a pipeline's own id has none). */
export const pipelineOf = (id: string): string => id.split('/', 1)[0] ?? id;

/** The element type of an id (`…_kurento.WebRtcEndpoint` → `WebRtcEndpoint`). */
export function typeOf(id: string): string {
  const last = id.slice(id.lastIndexOf('/') + 1);
  const qualified = last.slice(last.indexOf('_') + 1);
  return qualified.slice(qualified.lastIndexOf('.') + 1);
}

export const isRequest = (m: unknown): m is RpcRequest => typeof m === 'object' && m !== null && typeof (m as RpcRequest).method === 'string';

export const errorResponse = (id: RpcResponse['id'], code: number, message: string, type = 'UNEXPECTED_ERROR'): RpcResponse => ({
  jsonrpc: '2.0',
  id,
  error: { code, message, data: { type } },
});

export const notFound = (id: RpcResponse['id'], objectId: string): RpcResponse => errorResponse(id, ERRORS.objectNotFound, `Object '${objectId}' not found`, 'MEDIA_OBJECT_NOT_FOUND');
