/**
 * The cameras page's WebSocket protocol (`/app/cameras/ws`): JSON objects named by `id`, as the ROOM
 * page's. A tile switched to live sends one offer for its camera (`view`) and trickles its ICE
 * candidates; the server answers, relays Kurento's candidates, and says when the camera's stream is
 * lost and back (`source`), when a view is over (`viewClosed`) and whether the media cluster can be
 * reached (`cluster`). Camera names only: never a camera URL.
 */
import { type Candidate, ProtocolError } from '../../../room/protocol.js';

export { ProtocolError };

export type FromPage =
  | { id: 'view'; camera: string; sdpOffer: string }
  | { id: 'onIceCandidate'; camera: string; candidate: Candidate }
  | { id: 'stop'; camera: string };

/** `off`: this server has no cluster URL, so no live view. */
export type LiveState = 'up' | 'down' | 'off';

export type ToPage =
  | { id: 'cluster'; state: LiveState; message: string }
  | { id: 'viewAnswer'; camera: string; sdpAnswer: string }
  | { id: 'iceCandidate'; camera: string; candidate: Candidate }
  | { id: 'source'; camera: string; state: 'playing' | 'lost'; message: string }
  | { id: 'viewClosed'; camera: string; message: string }
  | { id: 'error'; camera?: string; message: string };

const MAX_OFFER = 64 * 1024;

function field(o: Record<string, unknown>, key: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '' || v.length > max) throw new ProtocolError(`${key} is missing or longer than ${max} characters`);
  return v;
}

/** A browser's RTCIceCandidate as sent; `null` mid and index when the browser gave none. */
function candidateOf(v: unknown): Candidate {
  if (typeof v !== 'object' || v === null) throw new ProtocolError('candidate is missing');
  const c = v as Record<string, unknown>;
  const line = c['candidate'];
  if (typeof line !== 'string' || line.length > 1024) throw new ProtocolError('candidate is missing');
  return {
    candidate: line,
    sdpMid: typeof c['sdpMid'] === 'string' ? c['sdpMid'] : null,
    sdpMLineIndex: typeof c['sdpMLineIndex'] === 'number' ? c['sdpMLineIndex'] : null,
  };
}

/** Parses one message from the page; the camera is checked against the configured ones by the caller. */
export function parseFromPage(raw: string): FromPage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ProtocolError('the message is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ProtocolError('the message is not a JSON object');
  const m = parsed as Record<string, unknown>;
  const id = m['id'];
  if (id === 'view') return { id, camera: field(m, 'camera', 128), sdpOffer: field(m, 'sdpOffer', MAX_OFFER) };
  if (id === 'onIceCandidate') return { id, camera: field(m, 'camera', 128), candidate: candidateOf(m['candidate']) };
  if (id === 'stop') return { id, camera: field(m, 'camera', 128) };
  throw new ProtocolError(`unknown message ${JSON.stringify(String(id).slice(0, 40))}`);
}
