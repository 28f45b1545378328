/**
 * What the audio archive asks of AWS, as narrow facades: the bucket ({@link ArchiveStore}) and the
 * missing-slot metric ({@link MissingSlotsMetric}). `sdk.ts` implements them with the SDK; the
 * recorder, uploader and reconciler see only these.
 */

/** One object of a listing. */
export interface ListedObject {
  key: string;
  /** Bytes. */
  size: number;
}

/** The archive's bucket. */
export interface ArchiveStore {
  /** Writes (or replaces) an object. */
  put(key: string, body: Buffer, meta: { contentType: string; metadata: Record<string, string> }): Promise<void>;
  /**
   * Every object under `prefix` (all pages), keys after `startAfter` when given; with a delimiter,
   * the common prefixes instead of what is below them.
   */
  list(prefix: string, options?: { delimiter?: string; startAfter?: string; maxKeys?: number }): Promise<{ objects: ListedObject[]; prefixes: string[] }>;
  /**
   * Copies `source` to `target` only if `target` does not exist (`If-None-Match: *`): `copied`,
   * `exists` (someone wrote it first; S3 answered 412) or `no-source`.
   */
  copyIfAbsent(source: string, target: string, meta: { contentType: string; metadata: Record<string, string> }): Promise<'copied' | 'exists' | 'no-source'>;
  exists(key: string): Promise<boolean>;
  /** A JSON object and its ETag, `undefined` when there is none. */
  readJson(key: string): Promise<{ value: unknown; etag: string } | undefined>;
  /**
   * Writes a JSON object only if it is still what was read: `If-Match: etag`, or `If-None-Match: *`
   * when nothing was (`etag` undefined). `false` when another writer came first.
   */
  writeJsonIf(key: string, value: unknown, etag: string | undefined): Promise<boolean>;
}

/** The metric the template's alarm watches: slots no recorder has a non-empty copy of. */
export const MISSING_SLOTS_METRIC = { namespace: 'ElasticRTC/AudioArchive', name: 'MissingSlots', dimensions: ['Cluster', 'Stream'], unit: 'Count' } as const;

/** Publishes {@link MISSING_SLOTS_METRIC}. */
export interface MissingSlotsMetric {
  /** One datum: how many slots of this run had no copy (0 included, so the alarm sees data). */
  put(input: { cluster: string; stream: string; count: number; atMs: number }): Promise<void>;
}
