/**
 * The recorders' live HLS, served from disk: the camera's {@link liveDir} (`<dir>/live/<camera>/`) at
 * `/app/cameras/hls/<camera>/<file>`, for configured cameras and plain file names only (a letter or
 * digit first, then letters, digits, `.`, `_`, `-`; an HLS extension), so no path ever leaves it.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { LIVE_PLAYLIST, liveDir } from '../layout.js';

/** Content types of what an HLS recorder writes. */
const TYPES: Readonly<Record<string, string>> = {
  m3u8: 'application/vnd.apple.mpegurl',
  ts: 'video/mp2t',
  m4s: 'video/iso.segment',
  mp4: 'video/mp4',
  aac: 'audio/aac',
};

const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The content type of a file name that may be served, or undefined. */
export function hlsType(file: string): string | undefined {
  if (!SAFE_FILE.test(file) || file.includes('..')) return undefined;
  return TYPES[file.slice(file.lastIndexOf('.') + 1)];
}

/** Decodes one path segment; undefined when malformed or when it would name another folder. */
function segment(raw: string): string | undefined {
  try {
    const s = decodeURIComponent(raw);
    return s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s) ? undefined : s;
  } catch {
    return undefined;
  }
}

/**
 * Serves `rest` (`<camera>/<file>`, still URL-encoded) from the camera's live directory under `dir`
 * (the app's directory). Playlists are `no-cache` (they change with every segment); segments, never
 * rewritten under the same name (ffmpeg.ts numbers them from the run's epoch second), may be kept a minute.
 */
export async function serveHls(req: IncomingMessage, res: ServerResponse, dir: string, cameras: ReadonlySet<string>, rest: string): Promise<void> {
  const parts = rest.split('/');
  const camera = parts.length === 2 ? segment(parts[0] ?? '') : undefined;
  const file = parts.length === 2 ? segment(parts[1] ?? '') : undefined;
  const type = file !== undefined ? hlsType(file) : undefined;
  if (camera === undefined || file === undefined || !cameras.has(camera) || !type) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  const path = join(liveDir(dir, camera), file);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain', 'cache-control': 'no-cache' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': type,
    'content-length': info.size,
    'cache-control': file.endsWith('.m3u8') ? 'no-cache' : 'max-age=60',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** How old each camera's live playlist is (ms), or undefined when it is missing. */
export async function playlistAges(dir: string, cameras: readonly string[], now: number): Promise<Map<string, number | undefined>> {
  const ages = await Promise.all(cameras.map(async (c) => (await stat(join(liveDir(dir, c), LIVE_PLAYLIST)).catch(() => undefined))?.mtimeMs));
  return new Map(cameras.map((c, i) => [c, ages[i] === undefined ? undefined : Math.max(0, now - ages[i])]));
}
