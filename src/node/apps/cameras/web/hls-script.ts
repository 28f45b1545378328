/**
 * hls.js, from the npm package: its "light" build (live and on-demand HLS without subtitles,
 * alternate audio tracks or DRM, none of which a camera sends; 390 KB instead of 620 KB), served at
 * `/app/cameras/hls.js` for browsers without native HLS. Nothing comes from a CDN.
 *
 * The runtime bundle embeds the file: scripts/build.mjs replaces this module by one that exports its
 * text (same name, same path). Run from source (the tests), the file is read from node_modules when
 * first asked for.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The file of the package that is served (scripts/build.mjs embeds the same one). */
export const HLS_JS_FILE = 'hls.js/dist/hls.light.min.js';

let text: string | undefined;

/** The text of hls.js. */
export function hlsScript(): string {
  text ??= readFileSync(createRequire(import.meta.url).resolve(HLS_JS_FILE), 'utf8');
  return text;
}
