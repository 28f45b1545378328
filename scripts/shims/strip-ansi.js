// Build-time stand-in for `strip-ansi` (see string-width.js): removes CSI and OSC escape sequences.
// eslint-disable-next-line no-control-regex
const ANSI = /[\u001b\u009b](?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

export default function stripAnsi(text) {
  return String(text).replace(ANSI, '');
}
