/**
 * KMS's two kinds of error (server/module-core/src/server/interface/KurentoException.hpp and
 * server/jsonrpc/src/jsonrpc/JsonRpcException.hpp): a `KurentoException` carries a code whose
 * `type` name goes into `error.data.type` when ServerMethods turns it into a JSON-RPC
 * `CallException`; a `CallException` built without data gets a `type` only for the five standard
 * JSON-RPC codes (so `-32000 "'object' parameter is required"` goes out with no `data`).
 */

export const Kms = {
  MARSHALL_ERROR: 40001,
  UNEXPECTED_ERROR: 40003,
  CONNECT_ERROR: 40004,
  UNSUPPORTED_MEDIA_TYPE: 40005,
  NOT_IMPLEMENTED: 40006,
  INVALID_SESSION: 40007,
  MALFORMED_TRANSACTION: 40008,
  NOT_ENOUGH_RESOURCES: 40009,
  MEDIA_OBJECT_TYPE_NOT_FOUND: 40100,
  MEDIA_OBJECT_NOT_FOUND: 40101,
  MEDIA_OBJECT_CONSTRUCTOR_NOT_FOUND: 40104,
  MEDIA_OBJECT_METHOD_NOT_FOUND: 40105,
  MEDIA_OBJECT_EVENT_NOT_SUPPORTED: 40106,
  MEDIA_OBJECT_ILLEGAL_PARAM_ERROR: 40107,
  MEDIA_OBJECT_NOT_AVAILABLE: 40108,
  MEDIA_OBJECT_NOT_FOUND_TRANSACTION_NO_COMMIT: 40109,
  MEDIA_OBJECT_TAG_KEY_NOT_FOUND: 40110,
  MEDIA_OBJECT_OPERATION_NOT_SUPPORTED: 40111,
  SDP_CREATE_ERROR: 40200,
  SDP_PARSE_ERROR: 40201,
  SDP_END_POINT_NO_LOCAL_SDP_ERROR: 40202,
  SDP_END_POINT_NO_REMOTE_SDP_ERROR: 40203,
  SDP_END_POINT_GENERATE_OFFER_ERROR: 40204,
  SDP_END_POINT_PROCESS_OFFER_ERROR: 40205,
  SDP_END_POINT_PROCESS_ANSWER_ERROR: 40206,
  SDP_CONFIGURATION_ERROR: 40207,
  SDP_END_POINT_ALREADY_NEGOTIATED: 40208,
  SDP_END_POINT_NOT_OFFER_GENERATED: 40209,
  SDP_END_POINT_ANSWER_ALREADY_PROCCESED: 40210,
  SDP_END_POINT_CANNOT_CREATE_SESSON: 40211,
  HTTP_END_POINT_REGISTRATION_ERROR: 40300,
  ICE_GATHER_CANDIDATES_ERROR: 40400,
  ICE_ADD_CANDIDATE_ERROR: 40401,
  /** Has no name in `getType()`, so it goes out as type "UNDEFINED". */
  SERVER_MANAGER_ERROR_KMD_NOT_FOUND: 40500,
  URI_PATH_FILE_NOT_FOUND: 40600,
  PLAYER_SEEK_FAIL: 40700,
} as const;

export const Rpc = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  SERVER_ERROR_INIT: -32000,
} as const;

const typeNames = new Map<number, string>(
  Object.entries(Kms)
    .filter(([name]) => name !== 'SERVER_MANAGER_ERROR_KMD_NOT_FOUND')
    .map(([name, code]) => [code, name]),
);

/** A `KurentoException`. */
export class KmsError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  /** `KurentoException::getType()`. */
  get type(): string {
    return typeNames.get(this.code) ?? 'UNDEFINED';
  }
}

const rpcTypes = new Map<number, string>(Object.entries(Rpc).filter(([n]) => n !== 'SERVER_ERROR_INIT').map(([n, c]) => [c, n]));

/** A `JsonRpc::CallException`. */
export class RpcError extends Error {
  readonly data: unknown;
  constructor(
    readonly code: number,
    message: string,
    data?: unknown,
  ) {
    super(message);
    const type = rpcTypes.get(code);
    this.data = data ?? (type ? { type } : undefined);
  }

  /** The `error` member of a response. */
  toJson(): Record<string, unknown> {
    return { code: this.code, message: this.message, ...(this.data === undefined ? {} : { data: this.data }) };
  }
}

/** What ServerMethods does with a caught `KurentoException`. */
export const fromKms = (e: KmsError): RpcError => new RpcError(e.code, e.message, { type: e.type });

/** `JsonRpc::getValue` failures. */
export const missingParam = (name: string): RpcError => new RpcError(Rpc.SERVER_ERROR_INIT, `'${name}' parameter is required`);
export const wrongParam = (name: string, kind: string): RpcError => new RpcError(Rpc.SERVER_ERROR_INIT, `'${name}' parameter should be ${kind}`);

export const notFound = (id: string): KmsError => new KmsError(Kms.MEDIA_OBJECT_NOT_FOUND, `Object '${id}' not found`);
