/**
 * The ROOM demo's server without a browser: its HTTP routes under /app, the page protocol (Kurento's
 * group call) spoken by WebSocket clients, against a fake KMS (the room server is a Kurento client
 * like any other). Pipelines and endpoints are made and released as the participants come and go;
 * a lost cluster is said to every page and recovered from; the api key never leaves the server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { parseFromPage, ProtocolError } from '../../src/node/room/protocol.js';
import { type RoomServer, startRoomServer } from '../../src/node/room/server.js';
import { type FakeKms, startFakeKms } from '../support/fake-kms/index.js';
import { BROWSER_OFFER } from '../support/fake-kms/sample-offer.js';

const KEY = 'RoomServerKey0123456789';
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const x of opened.splice(0).reverse()) await x.close();
});

async function setup(): Promise<{ kms: FakeKms; room: RoomServer }> {
  const kms = await startFakeKms({ path: KEY });
  opened.push(kms);
  const room = await startRoomServer({ host: '127.0.0.1', port: 0, kurentoUrl: kms.url, kurento: { pingIntervalMs: 500, timeoutMs: 2_000, retryMs: [50, 100] } });
  opened.push(room);
  await until('the cluster up', () => room.clusterState() === 'up');
  return { kms, room };
}

const until = async (what: string, check: () => boolean, ms = 5_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

type Message = Record<string, any>;

/** A page's socket: every message it received, and a way to wait for the next of an id. */
async function page(room: RoomServer, headers: Record<string, string> = {}) {
  const ws = new WebSocket(new URL('ws', room.url.replace(/^http/, 'ws')), { headers });
  opened.push({ close: () => ws.terminate() });
  const received: Message[] = [];
  const raw: string[] = [];
  ws.on('message', (d) => {
    raw.push(String(d));
    received.push(JSON.parse(String(d)) as Message);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let seen = 0;
  return {
    ws,
    received,
    raw,
    send: (m: Message) => ws.send(JSON.stringify(m)),
    /** The next message with this id after the last one taken. */
    next: async (id: string): Promise<Message> => {
      let found: Message | undefined;
      await until(`message ${id}`, () => {
        const i = received.findIndex((m, j) => j >= seen && m['id'] === id);
        if (i < 0) return false;
        found = received[i];
        seen = i + 1;
        return true;
      });
      return found!;
    },
  };
}

const endpoints = (kms: FakeKms) => kms.objects().filter((o) => o.type === 'WebRtcEndpoint');

describe('the room server over HTTP', () => {
  it('serves the page, its script and style under /app with a strict CSP; /app/healthz; nothing else', async () => {
    const { room } = await setup();
    const get = (path: string, init?: RequestInit) => fetch(new URL(path, room.url), { redirect: 'manual', ...init });
    const html = await get('/app/');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    const text = await html.text();
    expect(text).toContain('<script src="room.js" defer></script>');
    expect(text).not.toMatch(/https?:\/\//); // nothing from a CDN
    expect((await get('/app/room.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('/app/room.css')).status).toBe(200);
    const bare = await get('/app');
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/app/']);
    expect(await (await get('/app/healthz')).json()).toEqual({ status: 'ok', cluster: 'up', rooms: 0 });
    expect((await get('/')).status).toBe(404);
    expect((await get('/app/other')).status).toBe(404);
    expect((await get('/app/', { method: 'POST' })).status).toBe(405);
    for (const body of [text, await (await get('/app/room.js')).text()]) expect(body).not.toContain(KEY);
  });

  it('upgrades only /app/ws, and only from its own origin', async () => {
    const { room } = await setup();
    const status = (path: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(new URL(path, room.url.replace(/^http/, 'ws')), { headers });
        ws.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => (ws.close(), resolve(101)));
        ws.on('error', () => undefined);
      });
    expect(await status('/app/ws')).toBe(101);
    expect(await status(`/${KEY}`)).toBe(404);
    expect(await status('/app/ws', { origin: 'https://elsewhere.example' })).toBe(404);
    expect(await status('/app/ws', { origin: `http://${new URL(room.url).host}` })).toBe(101);
  });
});

describe('the room protocol', () => {
  it('joins two participants, answers their offers, relays candidates both ways, and releases on leave', async () => {
    const { kms, room } = await setup();
    const alice = await page(room);
    expect(await alice.next('cluster')).toEqual({ id: 'cluster', state: 'up', message: 'The media cluster is reachable.' });
    alice.send({ id: 'joinRoom', name: 'alice', room: 'r1' });
    expect(await alice.next('existingParticipants')).toEqual({ id: 'existingParticipants', room: 'r1', name: 'alice', data: [] });
    expect(kms.pipelines()).toHaveLength(1);

    const bob = await page(room);
    bob.send({ id: 'joinRoom', name: 'bob', room: 'r1' });
    expect((await bob.next('existingParticipants')).data).toEqual(['alice']);
    expect(await alice.next('newParticipantArrived')).toEqual({ id: 'newParticipantArrived', name: 'bob' });

    // a name taken in the room
    const eve = await page(room);
    eve.send({ id: 'joinRoom', name: 'alice', room: 'r1' });
    expect((await eve.next('error')).message).toBe('alice is already in room r1: choose another name');
    eve.send({ id: 'joinRoom', name: '<b>', room: 'r1' });
    expect((await eve.next('error')).message).toMatch(/^the name "<b>": expected 1 to 64 characters/);

    // bob receives alice: an incoming endpoint fed by alice's outgoing one
    bob.send({ id: 'receiveVideoFrom', sender: 'alice', sdpOffer: BROWSER_OFFER });
    const answer = await bob.next('receiveVideoAnswer');
    expect(answer.name).toBe('alice');
    expect(answer.sdpAnswer).toMatch(/^v=0\r\n/);
    const candidate = await bob.next('iceCandidate');
    expect(candidate).toMatchObject({ name: 'alice', candidate: { candidate: expect.stringMatching(/^candidate:/), sdpMid: '0', sdpMLineIndex: 0 } });
    bob.send({ id: 'onIceCandidate', name: 'alice', candidate: { candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 51901 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    await until('the candidate added', () => kms.requests.some((q) => (q.params as Message | undefined)?.['operation'] === 'addIceCandidate'));
    const added = kms.requests.find((q) => (q.params as Message)['operation'] === 'addIceCandidate')!.params as Message;
    expect(added['operationParams']).toEqual({ candidate: { __module__: 'kurento', __type__: 'IceCandidate', candidate: 'candidate:1 1 udp 2122260223 192.0.2.7 51901 typ host', sdpMid: '0', sdpMLineIndex: 0 } });
    const connects = kms.requests.filter((q) => (q.params as Message)?.['operation'] === 'connect');
    expect(connects).toHaveLength(1);
    expect(endpoints(kms)).toHaveLength(3);

    // bob's page goes: alice is told, bob's endpoints and alice's... bob's incoming endpoint go
    bob.ws.close();
    expect(await alice.next('participantLeft')).toEqual({ id: 'participantLeft', name: 'bob' });
    await until('bob’s endpoints released', () => endpoints(kms).length === 1);
    alice.send({ id: 'leaveRoom' });
    await until('the pipeline released', () => kms.pipelines().length === 0);
    expect(room.rooms.rooms.size).toBe(0);
    for (const m of [...alice.raw, ...bob.raw, ...eve.raw]) expect(m).not.toContain(KEY);
  });

  it('answers a message it cannot use with an error, and keeps the page', async () => {
    const { room } = await setup();
    const p = await page(room);
    p.ws.send('not json');
    expect((await p.next('error')).message).toBe('the message is not JSON');
    p.send({ id: 'dance' });
    expect((await p.next('error')).message).toBe('unknown message "dance"');
    p.send({ id: 'receiveVideoFrom', sender: 'x', sdpOffer: 'v=0' });
    expect((await p.next('error')).message).toBe('join a room first');
    expect(() => parseFromPage(JSON.stringify({ id: 'onIceCandidate', name: 'a', candidate: {} }))).toThrow(ProtocolError);
  });

  it('says when the cluster is lost and refuses joins meanwhile; a restarted KMS (the session gone) closes the rooms, saying so', async () => {
    const { kms, room } = await setup();
    const alice = await page(room);
    alice.send({ id: 'joinRoom', name: 'alice', room: 'r1' });
    await alice.next('existingParticipants');
    kms.kill('refuse');
    const down = await alice.next('cluster');
    expect(down).toEqual({ id: 'cluster', state: 'down', message: 'The media cluster cannot be reached. The room server keeps trying; rooms resume when it is back.' });
    expect(await (await fetch(new URL('healthz', room.url))).json()).toMatchObject({ status: 'ok', cluster: 'down' });
    const bob = await page(room);
    expect((await bob.next('cluster')).state).toBe('down');
    bob.send({ id: 'joinRoom', name: 'bob', room: 'r1' });
    expect((await bob.next('error')).message).toMatch(/^The media cluster cannot be reached/);

    kms.restart();
    expect((await alice.next('roomClosed')).message).toBe('The media cluster lost this room (it was unreachable too long). Join again.');
    expect((await alice.next('cluster')).state).toBe('up');
    expect(room.rooms.rooms.size).toBe(0);
    alice.send({ id: 'joinRoom', name: 'alice', room: 'r1' });
    expect((await alice.next('existingParticipants')).data).toEqual([]);
  });

  it('resumes its Kurento session after a dropped link: the rooms go on', async () => {
    const { kms, room } = await setup();
    const alice = await page(room);
    alice.send({ id: 'joinRoom', name: 'alice', room: 'r1' });
    await alice.next('existingParticipants');
    const pipeline = kms.pipelines()[0];
    kms.dropConnections();
    expect((await alice.next('cluster')).state).toBe('down');
    expect((await alice.next('cluster')).state).toBe('up');
    expect(kms.requests.filter((q) => q.method === 'connect')).toHaveLength(1);
    const bob = await page(room);
    bob.send({ id: 'joinRoom', name: 'bob', room: 'r1' });
    expect((await bob.next('existingParticipants')).data).toEqual(['alice']);
    expect(kms.pipelines()).toEqual([pipeline]);
    expect(alice.received.some((m) => m['id'] === 'roomClosed')).toBe(false);
  });
});
