/**
 * The cameras page, served as it is (no build at boot, nothing from a CDN): HTML generated from the
 * camera names, one stylesheet and one script embedded in the runtime bundle, plus hls.js
 * (hls-script.ts). Each tile plays its camera's live HLS (native HLS where the browser has it, else
 * hls.js); "Live (low latency)" switches the tile to WebRTC through the media cluster (protocol.ts
 * over `/app/cameras/ws`), and back. The page receives camera names only, never a URL.
 * `window.cameraPeers` holds the live tiles' RTCPeerConnections, for the console.
 */
import { BASE_CSS } from '../../../room/page.js';

/** Where the page and its files are (the load balancer sends `/app/cameras` to this server). */
export const BASE = '/app/cameras';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function tile(name: string, live: boolean): string {
  const n = escapeHtml(name);
  return `<figure class="tile" data-camera="${n}" data-mode="hls">
<video muted autoplay playsinline controls></video>
<figcaption><span class="name">${n}</span> <span class="state">starting…</span></figcaption>
${live ? '<button type="button" class="live">Live (low latency)</button>\n' : ''}</figure>`;
}

/** The page for these cameras; `live`: the server has a cluster URL, so tiles get the live button. */
export function camerasPage(names: readonly string[], live: boolean): string {
  const tiles = names.length > 0 ? names.map((n) => tile(n, live)).join('\n') : '<p class="empty">No camera is configured.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ElasticRTC cameras</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${BASE}/cameras.css">
<script src="${BASE}/hls.js" defer></script>
<script src="${BASE}/cameras.js" defer></script>
</head>
<body data-live="${live ? 'on' : 'off'}">
<header><strong>ElasticRTC</strong> <span>cameras</span></header>
<div id="banner" class="banner" role="alert" hidden></div>
<main>
<div id="cameras" class="grid">
${tiles}
</div>
</main>
</body>
</html>
`;
}

export const PAGE_CSS = `${BASE_CSS}main{padding:20px;max-width:1400px;margin:0 auto}
.banner{padding:10px 20px;background:#7a2e12;color:#fff;border-bottom:1px solid #a8421c}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:16px}
.tile{margin:0;background:#000;border-radius:8px;overflow:hidden;position:relative;display:flex;flex-direction:column}
.tile video{width:100%;aspect-ratio:4/3;object-fit:contain;display:block;background:#000}
.tile figcaption{padding:6px 10px;background:#18202a;font-size:13px;display:flex;gap:8px;align-items:baseline}
.tile .name{font-weight:600}
.tile .state{color:#8fa3b8;flex:1}
.tile[data-mode=live] .state{color:#5fd38d}
.tile[data-trouble] .state{color:#f5b041}
.tile button{font:inherit;font-size:13px;padding:6px 12px;border:0;background:#2f7de1;color:#fff;cursor:pointer}
.tile[data-mode=live] button{background:#33445a}
.tile button:disabled{background:#33445a;color:#8fa3b8;cursor:not-allowed}
.empty{color:#8fa3b8}
`;

export const PAGE_JS = String.raw`(function () {
  'use strict';
  var BASE = '${BASE}';
  var socket = null;
  var liveUp = false;
  var tiles = {};
  var peers = {};
  window.cameraPeers = peers;

  function banner(text) {
    var b = document.getElementById('banner');
    b.textContent = text || '';
    b.hidden = !text;
  }

  function say(t, text, trouble) {
    t.el.querySelector('.state').textContent = text;
    if (trouble) t.el.dataset.trouble = '1';
    else delete t.el.dataset.trouble;
  }

  function send(message) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
  }

  function setButtons() {
    Object.keys(tiles).forEach(function (name) {
      var t = tiles[name];
      if (t.button) t.button.disabled = t.el.dataset.mode !== 'live' && !liveUp;
    });
  }

  // HLS: native where the browser plays it, else hls.js; retried while the recording is missing.
  function startHls(t) {
    var url = BASE + '/hls/' + encodeURIComponent(t.name) + '/index.m3u8';
    var video = t.video;
    t.el.dataset.mode = 'hls';
    video.srcObject = null;
    video.controls = true;
    var retry = function (why) {
      stopHls(t);
      say(t, why + ': trying again…', true);
      t.retry = setTimeout(function () { startHls(t); }, 3000);
    };
    t.onplaying = function () { say(t, 'recording · HLS', false); };
    video.addEventListener('playing', t.onplaying);
    if (video.canPlayType('application/vnd.apple.mpegurl')) {
      t.el.dataset.player = 'native';
      t.onerror = function () { retry('No recording yet'); };
      video.addEventListener('error', t.onerror);
      video.src = url;
      video.play().catch(function () {});
    } else if (window.Hls && window.Hls.isSupported()) {
      t.el.dataset.player = 'hls.js';
      // No worker: the page's Content-Security-Policy allows no blob: script.
      var hls = new window.Hls({ enableWorker: false, liveSyncDurationCount: 2, manifestLoadingMaxRetry: 1 });
      t.hls = hls;
      hls.on(window.Hls.Events.ERROR, function (_e, data) { if (data.fatal) retry('No recording yet'); });
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () { video.play().catch(function () {}); });
      hls.loadSource(url);
      hls.attachMedia(video);
    } else {
      say(t, 'This browser cannot play HLS.', true);
    }
    if (!t.el.dataset.trouble) say(t, 'loading…', false);
  }

  function stopHls(t) {
    clearTimeout(t.retry);
    if (t.hls) { t.hls.destroy(); t.hls = null; }
    if (t.onerror) t.video.removeEventListener('error', t.onerror);
    if (t.onplaying) t.video.removeEventListener('playing', t.onplaying);
    t.onerror = t.onplaying = null;
    t.video.removeAttribute('src');
    t.video.load();
  }

  // Live: one RTCPeerConnection per tile, receive only; candidates trickle both ways.
  function goLive(t) {
    stopHls(t);
    t.lost = null;
    t.video.controls = false; // a live stream has no timeline to seek
    t.el.dataset.mode = 'live';
    t.button.textContent = 'Back to HLS';
    say(t, 'connecting live…', false);
    var pc = new RTCPeerConnection();
    var peer = { pc: pc, queued: [], offered: false };
    var answered;
    peer.answered = new Promise(function (resolve) { answered = resolve; });
    peer.setAnswered = answered;
    peers[t.name] = peer;
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    var stream = new MediaStream();
    pc.ontrack = function (e) { stream.addTrack(e.track); t.video.srcObject = stream; t.video.play().catch(function () {}); };
    pc.onicecandidate = function (e) {
      if (!e.candidate || !e.candidate.candidate) return;
      var c = { candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex };
      if (peer.offered) send({ id: 'onIceCandidate', camera: t.name, candidate: c });
      else peer.queued.push(c);
    };
    pc.onconnectionstatechange = function () {
      if (pc.connectionState === 'connected') say(t, t.lost || 'live · WebRTC', !!t.lost);
      else if (pc.connectionState === 'failed') say(t, 'live connection failed', true);
    };
    pc.createOffer().then(function (offer) { return pc.setLocalDescription(offer); }).then(function () {
      send({ id: 'view', camera: t.name, sdpOffer: pc.localDescription.sdp });
      peer.offered = true;
      peer.queued.forEach(function (c) { send({ id: 'onIceCandidate', camera: t.name, candidate: c }); });
    });
  }

  function dropPeer(t) {
    var peer = peers[t.name];
    if (!peer) return;
    delete peers[t.name];
    peer.pc.close();
  }

  function backToHls(t, message) {
    dropPeer(t);
    if (t.button) t.button.textContent = 'Live (low latency)';
    startHls(t);
    if (message) say(t, message, true);
    setButtons();
  }

  function handle(m) {
    var t = m.camera !== undefined ? tiles[m.camera] : null;
    var peer = t ? peers[t.name] : null;
    switch (m.id) {
      case 'cluster':
        liveUp = m.state === 'up';
        banner(m.state === 'down' ? m.message : '');
        setButtons();
        break;
      case 'viewAnswer':
        if (peer) peer.pc.setRemoteDescription({ type: 'answer', sdp: m.sdpAnswer }).then(peer.setAnswered, function (e) { backToHls(t, 'Live answer refused: ' + e.message); });
        break;
      case 'iceCandidate':
        if (peer) peer.answered.then(function () { return peer.pc.addIceCandidate(m.candidate); }).catch(function () {});
        break;
      case 'source':
        if (!peer) break;
        t.lost = m.state === 'lost' ? m.message : null;
        say(t, t.lost || 'live · WebRTC', !!t.lost);
        break;
      case 'viewClosed':
        if (t && t.el.dataset.mode === 'live') backToHls(t, m.message);
        break;
      case 'error':
        if (t && t.el.dataset.mode === 'live') backToHls(t, m.message);
        else banner(m.message);
        break;
    }
  }

  function connect() {
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + BASE + '/ws');
    socket.onmessage = function (e) { handle(JSON.parse(e.data)); };
    socket.onclose = function () {
      liveUp = false;
      banner('The camera server cannot be reached for live view. Reconnecting…');
      Object.keys(tiles).forEach(function (name) { if (tiles[name].el.dataset.mode === 'live') backToHls(tiles[name]); });
      setButtons();
      setTimeout(connect, 2000);
    };
  }

  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('figure.tile'), function (el) {
      var t = { name: el.dataset.camera, el: el, video: el.querySelector('video'), button: el.querySelector('button.live'), hls: null };
      tiles[t.name] = t;
      if (t.button) t.button.addEventListener('click', function () {
        if (el.dataset.mode === 'live') { send({ id: 'stop', camera: t.name }); backToHls(t); }
        else goLive(t);
      });
      startHls(t);
    });
    setButtons();
    if (document.body.dataset.live === 'on') connect();
  });
})();
`;
