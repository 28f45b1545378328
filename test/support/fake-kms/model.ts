/** The fake's media objects: what each KMS `MediaObjectImpl` holds that the protocol can see. */
import { randomUUID } from 'node:crypto';
import { qualified } from './catalog.js';
import type { SdpState } from './sdp-endpoint.js';

export type MediaTypeName = 'AUDIO' | 'VIDEO' | 'DATA';

/** One `ElementConnectionData`: source's src pad for `type` linked to sink's sink pad. */
export interface Connection {
  source: MediaObj;
  sink: MediaObj;
  type: MediaTypeName;
  sourceDescription: string;
  sinkDescription: string;
}

export class MediaObj {
  readonly id: string;
  name: string | undefined;
  sendTagsInEvents = false;
  readonly tags = new Map<string, string>();
  /** Property values set by setters, constructor parameters or behaviour. */
  readonly props = new Map<string, unknown>();
  /** Connections where this element is the source (KMS `sinks`). */
  sinks: Connection[] = [];
  /** Connections where this element is the sink (KMS `sources`). */
  sources: Connection[] = [];
  sdp: SdpState | undefined;
  /** What `create` received in `constructorParams`, and in `properties` (which KMS ignores). */
  constructorParams: Record<string, unknown> = {};
  createProperties: unknown;

  constructor(
    readonly type: string,
    readonly parent: MediaObj | undefined,
    /** `time(nullptr)` at creation: seconds. */
    readonly creationTime: number,
    id?: string,
  ) {
    // MediaObjectImpl::createId + getId: "<parentId>/<uuid>_kurento.<Type>"
    this.id = id ?? `${parent ? `${parent.id}/` : ''}${randomUUID()}_${qualified(type)}`;
  }

  /** `getMediaPipeline()`: the root of the parent chain. */
  get pipeline(): MediaObj {
    return this.parent ? this.parent.pipeline : this;
  }
}

/** A complex value as KMS serialises it: REGISTER types carry `__module__` and `__type__`. */
export const complex = (type: string, fields: Record<string, unknown>): Record<string, unknown> => ({ __module__: 'kurento', __type__: type, ...fields });
