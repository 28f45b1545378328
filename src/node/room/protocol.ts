/**
 * The page's WebSocket protocol (`/app/ws`), Kurento's group-call tutorial's messages: JSON objects
 * named by `id`. The page joins a room, sends one offer for its own video (`sender` = its name)
 * and one per other participant, and trickles ICE candidates for each; the server answers, relays
 * Kurento's candidates, and says who arrives and who leaves. `cluster` tells whether the media
 * cluster can be reached; `roomClosed` that the room's media is gone.
 */

/** An ICE candidate as the browser's RTCIceCandidate gives it. */
export interface Candidate {
  candidate: string;
  sdpMid: string | null;
  sdpMLineIndex: number | null;
}

export type FromPage =
  | { id: 'joinRoom'; name: string; room: string }
  | { id: 'receiveVideoFrom'; sender: string; sdpOffer: string }
  | { id: 'onIceCandidate'; name: string; candidate: Candidate }
  | { id: 'leaveRoom' };

export type ToPage =
  | { id: 'cluster'; state: 'up' | 'down'; message: string }
  | { id: 'existingParticipants'; room: string; name: string; data: string[] }
  | { id: 'newParticipantArrived'; name: string }
  | { id: 'participantLeft'; name: string }
  | { id: 'receiveVideoAnswer'; name: string; sdpAnswer: string }
  | { id: 'iceCandidate'; name: string; candidate: Candidate }
  | { id: 'roomClosed'; message: string }
  | { id: 'error'; message: string };

/** A page message that cannot be used; the message says why. */
export class ProtocolError extends Error {}

const NAME = /^[^<>"'&]{1,64}$/u;
const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

const text = (v: unknown, what: string, max: number): string => {
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw new ProtocolError(`${what} is missing or longer than ${max} characters`);
  return v;
};

/** A room or participant name: 1 to 64 printable characters, trimmed; no markup characters. */
export function checkName(v: unknown, what: string): string {
  const name = typeof v === 'string' ? v.trim() : '';
  if (!NAME.test(name) || hasControl(name)) throw new ProtocolError(`${what} ${JSON.stringify(typeof v === 'string' ? v.slice(0, 64) : v)}: expected 1 to 64 characters, without < > " ' &`);
  return name;
}

/** Parses and checks one message from the page. */
export function parseFromPage(raw: string): FromPage {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    throw new ProtocolError('the message is not JSON');
  }
  if (typeof m !== 'object' || m === null) throw new ProtocolError('the message is not a JSON object');
  const o = m as Record<string, unknown>;
  switch (o['id']) {
    case 'joinRoom':
      return { id: 'joinRoom', name: checkName(o['name'], 'the name'), room: checkName(o['room'], 'the room') };
    case 'receiveVideoFrom':
      return { id: 'receiveVideoFrom', sender: checkName(o['sender'], 'the sender'), sdpOffer: text(o['sdpOffer'], 'sdpOffer', 64 * 1024) };
    case 'onIceCandidate': {
      const c = o['candidate'] as Record<string, unknown> | null;
      if (typeof c !== 'object' || c === null || typeof c['candidate'] !== 'string' || c['candidate'].length > 1024) throw new ProtocolError('candidate is missing');
      const mid = c['sdpMid'];
      const index = c['sdpMLineIndex'];
      return {
        id: 'onIceCandidate',
        name: checkName(o['name'], 'the name'),
        candidate: { candidate: c['candidate'], sdpMid: typeof mid === 'string' ? mid : null, sdpMLineIndex: typeof index === 'number' ? index : null },
      };
    }
    case 'leaveRoom':
      return { id: 'leaveRoom' };
    default:
      throw new ProtocolError(`unknown message ${JSON.stringify(String(o['id']).slice(0, 40))}`);
  }
}
