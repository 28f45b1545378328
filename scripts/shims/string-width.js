// Build-time stand-in for `string-width` (used by yargs' help layout and ora): the original compiles
// large Unicode regular expressions at load, which cost more than the rest of `--help` together.
// elasticrtc prints ASCII and a few single-width symbols, for which counting code points is exact.
import stripAnsi from './strip-ansi.js';

export default function stringWidth(text) {
  let width = 0;
  for (const ch of stripAnsi(String(text))) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || (code >= 0x300 && code < 0x370) || code === 0x200b) continue;
    // CJK and other wide blocks take two columns.
    width += (code >= 0x1100 && code <= 0x115f) || (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || (code >= 0xffe0 && code <= 0xffe6) || (code >= 0x1f300 && code <= 0x1faff) || (code >= 0x20000 && code <= 0x3fffd) ? 2 : 1;
  }
  return width;
}
