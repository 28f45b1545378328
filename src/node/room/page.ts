/**
 * The ROOM page, served as it is (no build at boot, nothing from a CDN): plain HTML, CSS and
 * JavaScript embedded in the runtime bundle. The script speaks protocol.ts over `ws[s]://<host>/app/ws`,
 * holds one RTCPeerConnection for its own camera (sendonly) and one per other participant
 * (recvonly), trickles ICE both ways, and uses whatever candidates Kurento offers (TURN included):
 * it needs no ICE server of its own. `window.roomPeers` holds the peers, for the console.
 */

export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ElasticRTC room</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="room.css">
<script src="room.js" defer></script>
</head>
<body>
<header><strong>ElasticRTC</strong> <span>room</span></header>
<div id="banner" class="banner" role="alert" hidden></div>
<main>
<section id="join">
<h1>Join a room</h1>
<p>Everyone in the same room sees and hears everyone else, through the media cluster.</p>
<form id="join-form" autocomplete="off">
<label>Room <input id="room-name" name="room" required maxlength="64" value="demo"></label>
<label>Your name <input id="user-name" name="name" required maxlength="64"></label>
<button id="join-button" type="submit">Join</button>
</form>
<p id="error" class="error" role="status" hidden></p>
</section>
<section id="room" hidden>
<div class="bar"><h1 id="room-title"></h1><button id="leave-button" type="button">Leave</button></div>
<div id="participants" class="grid"></div>
</section>
</main>
</body>
</html>
`;

/** What the app pages share: the dark theme and the header. */
export const BASE_CSS = `*{box-sizing:border-box}
body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#10151c;color:#e8edf3}
header{padding:12px 20px;background:#0a0e13;border-bottom:1px solid #243040}
header span{color:#8fa3b8}
`;

export const PAGE_CSS = `${BASE_CSS}main{padding:20px;max-width:1200px;margin:0 auto}
h1{font-size:20px;margin:0 0 12px}
form{display:flex;gap:12px;flex-wrap:wrap;align-items:flex-end}
label{display:flex;flex-direction:column;gap:4px;color:#8fa3b8;font-size:13px}
input{font:inherit;padding:8px 10px;border-radius:6px;border:1px solid #33445a;background:#18202a;color:#e8edf3;min-width:200px}
button{font:inherit;padding:8px 18px;border-radius:6px;border:0;background:#2f7de1;color:#fff;cursor:pointer}
button:disabled{background:#33445a;cursor:not-allowed}
#leave-button{background:#c0392b}
.banner{padding:10px 20px;background:#7a2e12;color:#fff;border-bottom:1px solid #a8421c}
.error{color:#ff9b7a}
.bar{display:flex;justify-content:space-between;align-items:center;margin-bottom:16px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:16px}
.tile{margin:0;background:#000;border-radius:8px;overflow:hidden;position:relative;aspect-ratio:4/3}
.tile video{width:100%;height:100%;object-fit:cover;display:block}
.tile figcaption{position:absolute;left:0;bottom:0;padding:4px 10px;background:rgba(0,0,0,.6);font-size:13px}
.tile[data-state]:not([data-state=connected]) figcaption::after{content:" · " attr(data-state);color:#f5b041}
`;

export const PAGE_JS = String.raw`(function () {
  'use strict';
  var socket = null;
  var me = null;
  var local = null;
  var clusterUp = false;
  var peers = {};
  window.roomPeers = peers;

  function $(id) { return document.getElementById(id); }

  function banner(text) {
    var b = $('banner');
    b.textContent = text || '';
    b.hidden = !text;
  }

  function showError(text) {
    var e = $('error');
    e.textContent = text || '';
    e.hidden = !text;
  }

  function setJoinable() {
    $('join-button').disabled = !clusterUp || !socket || socket.readyState !== 1;
  }

  function send(message) {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
  }

  function connect() {
    var path = location.pathname.replace(/[^\/]*$/, '') + 'ws';
    socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path);
    socket.onopen = function () { setJoinable(); };
    socket.onmessage = function (e) { handle(JSON.parse(e.data)); };
    socket.onclose = function () {
      clusterUp = false;
      leaveLocally();
      banner('The room server cannot be reached. Reconnecting…');
      setJoinable();
      setTimeout(connect, 2000);
    };
  }

  function tile(name, muted) {
    var figure = document.createElement('figure');
    figure.className = 'tile';
    figure.dataset.name = name;
    figure.dataset.state = 'new';
    var video = document.createElement('video');
    video.autoplay = true;
    video.playsInline = true;
    video.muted = muted;
    var caption = document.createElement('figcaption');
    caption.textContent = muted ? name + ' (you)' : name;
    figure.appendChild(video);
    figure.appendChild(caption);
    $('participants').appendChild(figure);
    return figure;
  }

  function negotiate(name, peer) {
    var offered = false;
    var queued = [];
    var answered;
    peer.answered = new Promise(function (resolve) { answered = resolve; });
    peer.setAnswered = answered;
    peer.pc.onicecandidate = function (e) {
      if (!e.candidate || !e.candidate.candidate) return;
      var c = { candidate: e.candidate.candidate, sdpMid: e.candidate.sdpMid, sdpMLineIndex: e.candidate.sdpMLineIndex };
      if (offered) send({ id: 'onIceCandidate', name: name, candidate: c });
      else queued.push(c);
    };
    peer.pc.onconnectionstatechange = function () { peer.tile.dataset.state = peer.pc.connectionState; };
    return peer.pc.createOffer().then(function (offer) {
      return peer.pc.setLocalDescription(offer);
    }).then(function () {
      send({ id: 'receiveVideoFrom', sender: name, sdpOffer: peer.pc.localDescription.sdp });
      offered = true;
      queued.forEach(function (c) { send({ id: 'onIceCandidate', name: name, candidate: c }); });
    });
  }

  function sendOwn() {
    return navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } } }).then(function (stream) {
      if (!me) { stream.getTracks().forEach(function (t) { t.stop(); }); return; }
      local = stream;
      var peer = { pc: new RTCPeerConnection(), tile: tile(me, true) };
      peers[me] = peer;
      peer.tile.querySelector('video').srcObject = stream;
      stream.getTracks().forEach(function (t) { peer.pc.addTransceiver(t, { direction: 'sendonly', streams: [stream] }); });
      return negotiate(me, peer);
    }, function (error) {
      showError('No camera or microphone (' + error.name + '): you can watch the others only.');
    });
  }

  function receive(name) {
    if (peers[name]) drop(name);
    var peer = { pc: new RTCPeerConnection(), tile: tile(name, false), stream: new MediaStream() };
    peers[name] = peer;
    peer.pc.addTransceiver('video', { direction: 'recvonly' });
    peer.pc.addTransceiver('audio', { direction: 'recvonly' });
    var video = peer.tile.querySelector('video');
    peer.pc.ontrack = function (e) {
      peer.stream.addTrack(e.track);
      video.srcObject = peer.stream;
    };
    negotiate(name, peer);
  }

  function drop(name) {
    var peer = peers[name];
    if (!peer) return;
    delete peers[name];
    peer.pc.close();
    peer.tile.remove();
  }

  function leaveLocally() {
    Object.keys(peers).forEach(drop);
    if (local) local.getTracks().forEach(function (t) { t.stop(); });
    local = null;
    me = null;
    $('room').hidden = true;
    $('join').hidden = false;
  }

  function handle(m) {
    switch (m.id) {
      case 'cluster':
        clusterUp = m.state === 'up';
        banner(clusterUp ? '' : m.message);
        setJoinable();
        break;
      case 'existingParticipants':
        me = m.name;
        showError('');
        $('room-title').textContent = 'Room ' + m.room;
        $('join').hidden = true;
        $('room').hidden = false;
        sendOwn().then(function () { m.data.forEach(receive); });
        break;
      case 'newParticipantArrived':
        if (me) receive(m.name);
        break;
      case 'participantLeft':
        drop(m.name);
        break;
      case 'receiveVideoAnswer': {
        var peer = peers[m.name];
        if (peer) peer.pc.setRemoteDescription({ type: 'answer', sdp: m.sdpAnswer }).then(peer.setAnswered, function (e) { showError('Answer for ' + m.name + ' refused: ' + e.message); });
        break;
      }
      case 'iceCandidate': {
        var p = peers[m.name];
        if (p) p.answered.then(function () { return p.pc.addIceCandidate(m.candidate); }).catch(function () {});
        break;
      }
      case 'roomClosed':
        leaveLocally();
        showError(m.message);
        break;
      case 'error':
        showError(m.message);
        if (!me) $('join-button').disabled = !clusterUp;
        break;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('join-form').addEventListener('submit', function (e) {
      e.preventDefault();
      showError('');
      send({ id: 'joinRoom', room: $('room-name').value, name: $('user-name').value });
    });
    $('leave-button').addEventListener('click', function () {
      send({ id: 'leaveRoom' });
      leaveLocally();
    });
    setJoinable();
    connect();
  });
})();
`;
