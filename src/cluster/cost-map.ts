import { type Parsed, fail, ok } from './parse.js';

/** Kurento media element types (core elements and filters) that can carry a load cost. */
export const KURENTO_ELEMENTS = [
  'AlphaBlending',
  'Composite',
  'Dispatcher',
  'DispatcherOneToMany',
  'FaceOverlayFilter',
  'GStreamerFilter',
  'HttpPostEndpoint',
  'ImageOverlayFilter',
  'Mixer',
  'PlayerEndpoint',
  'RecorderEndpoint',
  'RtpEndpoint',
  'WebRtcEndpoint',
  'ZBarFilter',
] as const;

export const DEFAULT_COST_MAP: Readonly<Record<string, number>> = { WebRtcEndpoint: 1 };

/**
 * Parses `--cost-map Type=Cost[,…]`: the load points (100 per CPU) each media element costs; decimals
 * allowed. Unknown element types are rejected with the list of known ones.
 */
export function parseCostMap(raw: string): Parsed<Record<string, number>> {
  const map: Record<string, number> = {};
  for (const pair of raw.split(',')) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(pair);
    if (!m?.[1] || !m[2]) return fail('cost-map', raw, 'expected ElementType=cost pairs separated by commas, e.g. WebRtcEndpoint=1,RecorderEndpoint=0.5');
    const type = KURENTO_ELEMENTS.find((k) => k.toLowerCase() === m[1]?.toLowerCase());
    if (!type) return fail('cost-map', m[1], `is not a Kurento media element type; known types: ${KURENTO_ELEMENTS.join(', ')}`);
    const cost = Number(m[2]);
    if (cost <= 0 || cost > 100) return fail('cost-map', pair.trim(), 'has a cost outside (0, 100]; a cost is in load points, 100 per CPU');
    map[type] = cost;
  }
  return ok(map);
}
