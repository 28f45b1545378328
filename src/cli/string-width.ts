import { stripVTControlCharacters } from 'node:util';

/**
 * Columns a string takes on a terminal: ANSI codes take none, combining marks none, East Asian wide
 * characters and emoji two, the rest one. The CLI bundle uses this in place of the `string-width`
 * package (which yargs' help layout calls for every cell): that one segments graphemes with
 * `Intl.Segmenter` and costs ~12 ms per `--help`, a third of the start-up budget, for text that is
 * ASCII but for a few punctuation marks. Same signature, default export.
 */
export default function stringWidth(text: string): number {
  let width = 0;
  for (const char of stripVTControlCharacters(text)) {
    const c = char.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || (c >= 0x300 && c <= 0x36f) || c === 0x200b || (c >= 0xfe00 && c <= 0xfe0f)) continue;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1f64f) ||
      (c >= 0x1f900 && c <= 0x1f9ff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}
