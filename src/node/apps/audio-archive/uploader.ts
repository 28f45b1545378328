/**
 * The audio archive's uploader (shared/uploader.ts): every finished segment goes to
 * `staging/<stream>/<node id>/<slot start>-<name>` and is then deleted locally. A segment is keyed by
 * the slot its name falls in, so a restarted recorder's short first segment lands in its slot.
 */
import { readFile } from 'node:fs/promises';
import type { Clock } from '../../context.js';
import { SegmentUploader } from '../shared/uploader.js';
import { slotOf, slotStartMs, stagingKey, type Stream } from './layout.js';
import type { ArchiveStore } from './store.js';

export type { UploadPass } from '../shared/uploader.js';

export interface UploaderOptions {
  /** The archive's directory: one directory per stream, named by it. */
  dir: string;
  streams: readonly Stream[];
  nodeId: string;
  store: Pick<ArchiveStore, 'put'>;
  /** Whether ffmpeg is writing into a run directory now (its recorder's `isLive`). */
  isLive(runDir: string): boolean;
  clock: Clock;
  log(line: string): void;
  /** Between passes; default 2 s. */
  intervalMs?: number;
}

export class Uploader extends SegmentUploader {
  constructor({ streams, nodeId, store, ...options }: UploaderOptions) {
    const segmentSeconds = new Map(streams.map((s) => [s.name, s.segmentSeconds]));
    super({
      ...options,
      sources: streams,
      ext: 'mp3',
      key: (stream, segment, start) => {
        const S = segmentSeconds.get(stream) ?? 1;
        return stagingKey(stream, nodeId, slotStartMs(slotOf(start, S), S), segment);
      },
      // complete: ffmpeg finished it (listed); otherwise the last, cut segment of a killed run.
      meta: (_stream, segment, complete) => ({ contentType: 'audio/mpeg', metadata: { node: nodeId, segment, complete: String(complete) } }),
      // MP3 segments are small (a few MB): read whole.
      upload: async (key, path, _size, meta) => store.put(key, await readFile(path), meta),
    });
  }
}
