/**
 * The inspector pages' script (`/inspector/assets/app.js`): plain browser JavaScript, no build step,
 * nothing fetched from elsewhere. It renders the page named by `<body data-page>` from the JSON API
 * and refreshes it (nodes every 5 s, pipelines every 2 s, a pipeline's statistics every 3 s), draws
 * the load charts and the pipeline graph as inline SVG, follows a pipeline's events over
 * Server-Sent Events, and asks for confirmation before an admin action. Text from the cluster is
 * only ever set as text, never as HTML.
 */
export const APP_JS = String.raw`(function () {
  'use strict';
  var body = document.body;
  var page = body.getAttribute('data-page');
  var pageId = body.getAttribute('data-id') || '';
  var csrf = document.querySelector('meta[name="csrf-token"]').getAttribute('content');
  var main = document.getElementById('main');
  var SVGNS = 'http://www.w3.org/2000/svg';

  function h(tag, attrs, children) {
    var e = document.createElement(tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  function s(tag, attrs, children) {
    var e = document.createElementNS(SVGNS, tag);
    setAttrs(e, attrs);
    append(e, children);
    return e;
  }
  function setAttrs(e, attrs) {
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) return;
      if (k === 'text') e.textContent = String(v);
      else if (k === 'style') Object.keys(v).forEach(function (p) { e.style[p] = v[p]; }); // CSSOM: allowed by the CSP, unlike style attributes
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, String(v));
    });
  }
  function append(e, children) {
    (Array.isArray(children) ? children : children === undefined ? [] : [children]).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
  }
  function replace(e, children) {
    while (e.firstChild) e.removeChild(e.firstChild);
    append(e, children);
  }
  function enc(x) { return encodeURIComponent(x); }

  function api(path, method) {
    var opts = { credentials: 'same-origin', headers: { accept: 'application/json' } };
    if (method) {
      opts.method = method;
      opts.headers['x-csrf-token'] = csrf;
    }
    return fetch('/inspector/api' + path, opts).then(function (r) {
      if (r.status === 401) {
        location.href = '/inspector/login';
        throw new Error('logged out');
      }
      return r.json().then(function (body) {
        if (!r.ok) {
          var err = new Error(body && body.error ? body.error : 'HTTP ' + r.status);
          err.status = r.status;
          throw err;
        }
        return body;
      });
    });
  }

  function fmtAge(ms) {
    if (ms === undefined || ms === null) return '?';
    var sec = Math.floor(ms / 1000);
    if (sec < 60) return sec + ' s';
    var min = Math.floor(sec / 60);
    if (min < 60) return min + ' min ' + (sec % 60) + ' s';
    var hr = Math.floor(min / 60);
    if (hr < 48) return hr + ' h ' + (min % 60) + ' min';
    return Math.floor(hr / 24) + ' d ' + (hr % 24) + ' h';
  }
  function fmtBytes(n) {
    if (n === undefined) return '–';
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KiB';
    if (n < 1073741824) return (n / 1048576).toFixed(1) + ' MiB';
    return (n / 1073741824).toFixed(2) + ' GiB';
  }
  function fmtBitrate(bps) {
    if (bps === undefined || bps === null || isNaN(bps)) return '–';
    if (bps < 1000) return Math.round(bps) + ' bit/s';
    if (bps < 1e6) return (bps / 1000).toFixed(1) + ' kbit/s';
    return (bps / 1e6).toFixed(2) + ' Mbit/s';
  }
  function pct(x) { return x === undefined || x === null ? '–' : (Math.round(x * 10) / 10) + ' %'; }
  function short(id) {
    var last = id.slice(id.lastIndexOf('/') + 1);
    return last.slice(0, 8);
  }
  function notice(text, isError) { return h('p', { 'class': isError ? 'notice error' : 'notice', text: text }); }

  var dialog = document.getElementById('confirm');
  function confirmAction(title, text, okLabel) {
    return new Promise(function (resolve) {
      document.getElementById('confirm-title').textContent = title;
      document.getElementById('confirm-text').textContent = text;
      document.getElementById('confirm-ok').textContent = okLabel;
      dialog.returnValue = '';
      dialog.addEventListener('close', function onClose() {
        dialog.removeEventListener('close', onClose);
        resolve(dialog.returnValue === 'ok');
      });
      dialog.showModal();
    });
  }

  // ---- nodes ----
  function chart(history, t, nowMs) {
    var W = 360, H = 120, L = 30, R = 6, T = 8, B = 18;
    var top = Math.max(100, t.scaleOut + 10);
    history.forEach(function (p) { if (p.load > top) top = Math.ceil(p.load / 50) * 50; });
    var x = function (time) { return L + (W - L - R) * (1 - (nowMs - time) / 3600000); };
    var y = function (v) { return T + (H - T - B) * (1 - v / top); };
    var kids = [
      s('rect', { x: L, y: T, width: W - L - R, height: H - T - B, fill: '#f8fafc', stroke: '#e2e8f0' }),
      s('line', { x1: L, x2: W - R, y1: y(t.scaleOut), y2: y(t.scaleOut), stroke: '#dc2626', 'stroke-dasharray': '4 3' }),
      s('line', { x1: L, x2: W - R, y1: y(t.scaleIn), y2: y(t.scaleIn), stroke: '#16a34a', 'stroke-dasharray': '4 3' }),
      s('text', { x: L - 4, y: y(t.scaleOut) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#dc2626', text: t.scaleOut }),
      s('text', { x: L - 4, y: y(t.scaleIn) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#16a34a', text: t.scaleIn }),
      s('text', { x: L - 4, y: y(0) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#64748b', text: '0' }),
      s('text', { x: L, y: H - 4, 'font-size': 10, fill: '#64748b', text: '-60 min' }),
      s('text', { x: (L + W - R) / 2, y: H - 4, 'text-anchor': 'middle', 'font-size': 10, fill: '#64748b', text: '-30 min' }),
      s('text', { x: W - R, y: H - 4, 'text-anchor': 'end', 'font-size': 10, fill: '#64748b', text: 'now' })
    ];
    if (history.length > 0) {
      var pts = history.map(function (p) { return x(p.t).toFixed(1) + ',' + y(p.load).toFixed(1); });
      var last = history[history.length - 1];
      pts.push(x(nowMs).toFixed(1) + ',' + y(last.load).toFixed(1));
      var first = history[0];
      kids.push(s('polygon', { points: x(first.t).toFixed(1) + ',' + y(0) + ' ' + pts.join(' ') + ' ' + x(nowMs).toFixed(1) + ',' + y(0), fill: 'rgba(37,99,235,.12)' }));
      kids.push(s('polyline', { points: pts.join(' '), fill: 'none', stroke: '#2563eb', 'stroke-width': 1.6 }));
    }
    return s('svg', { 'class': 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': 'load over the last hour' }, kids);
  }

  function meter(load, t) {
    var scale = Math.max(100, load);
    return h('div', { 'class': 'meter', title: 'scale-in below ' + t.scaleIn + ' %, scale-out at ' + t.scaleOut + ' %' }, [
      h('div', { 'class': 'fill', style: { width: Math.min(100, (load / scale) * 100) + '%' } }),
      h('div', { 'class': 'mark in', style: { left: (t.scaleIn / scale) * 100 + '%' } }),
      h('div', { 'class': 'mark out', style: { left: (t.scaleOut / scale) * 100 + '%' } })
    ]);
  }

  function metric(k, v) { return h('div', { 'class': 'metric' }, [h('div', { 'class': 'k', text: k }), h('div', { 'class': 'v', text: v })]); }

  function nodeCard(n, t, nowMs) {
    var drain = null;
    if (n.drain) {
      var left = n.drain.limitAt - nowMs;
      drain = h('div', { 'class': 'drain', text: n.drain.end ? 'Drain ended (' + n.drain.end + ')' : 'Draining for ' + fmtAge(nowMs - n.drain.startedAt) + ': ' + n.drain.pipelinesLeft + ' pipeline(s) left; the limit is in ' + fmtAge(Math.max(0, left)) });
    }
    var actions = null;
    if (n.hasAgent && n.state !== 'DRAINING' && n.state !== 'LOST') {
      actions = h('div', { 'class': 'actions' }, h('button', { 'class': 'danger', 'data-action': 'drain', text: 'Drain…', onclick: function () {
        confirmAction('Drain node ' + n.id + '?', 'The node takes no new pipelines; its ' + n.pipelines + ' pipeline(s) stay until their applications release them. Its agent then completes the node\'s termination, if the group is terminating it. This cannot be undone from here.', 'Drain node').then(function (ok) {
          if (!ok) return;
          api('/nodes/' + enc(n.id) + '/drain', 'POST').then(refresh, function (e) { main.insertBefore(notice('Drain failed: ' + e.message, true), main.firstChild); });
        });
      } }));
    }
    return h('section', { 'class': 'card node', 'data-node': n.id }, [
      h('h3', {}, [h('span', { text: n.id }), h('span', { 'class': 'badge ' + n.state, 'data-state': n.state, text: n.state })]),
      h('div', { 'class': 'host mono', text: n.host + (n.hasAgent ? (n.agentReachable ? ' · agent reachable' : ' · agent unreachable') : ' · no agent') }),
      h('div', { 'class': 'metric' }, [h('div', { 'class': 'k', text: 'Load (cost model)' }), h('div', { 'class': 'v load', text: pct(n.load) })]),
      meter(n.load, t),
      h('div', { 'class': 'legend', text: 'scale-in below ' + t.scaleIn + ' % · scale-out at ' + t.scaleOut + ' %' }),
      h('div', { 'class': 'metrics' }, [
        metric('CPU', n.cpuPercent === undefined ? '–' : pct(n.cpuPercent) + ' of ' + n.cpus),
        metric('Memory', n.memoryKiB === undefined ? '–' : fmtBytes(n.memoryKiB * 1024)),
        metric('Pipelines', String(n.pipelines)),
        metric('Elements', String(n.elements))
      ]),
      drain,
      chart(n.history, t, nowMs),
      actions
    ]);
  }

  function renderNodes(d) {
    var t = d.thresholds;
    replace(main, [
      h('h1', { text: 'Nodes' }),
      h('p', { 'class': 'summary', text: d.nodes.length + ' node(s) · load: the cost of the elements on a node (cost map) over its CPUs, in percent · the alarms average it over the nodes: scale-out at ' + t.scaleOut + ' %, scale-in below ' + t.scaleIn + ' %' }),
      d.nodes.length === 0 ? notice('No media server is known yet.') : h('div', { 'class': 'cards' }, d.nodes.map(function (n) { return nodeCard(n, t, d.now); }))
    ]);
  }

  // ---- pipelines ----
  function renderPipelines(d) {
    var rows = d.pipelines.map(function (p) {
      return h('tr', { 'data-pipeline': p.id }, [
        h('td', {}, h('a', { 'class': 'mono', href: '/inspector/pipelines/' + enc(p.id), text: p.id })),
        h('td', { 'class': 'mono', text: p.node }),
        h('td', { 'class': 'num', text: fmtAge(p.ageMs) }),
        h('td', { 'class': 'num', text: String(p.elements) }),
        h('td', {}, h('span', { 'class': p.possiblyLeaked ? 'badge leak' : 'badge ok', title: p.leakReason, text: p.possiblyLeaked ? 'possibly leaked' : 'ok' }))
      ]);
    });
    replace(main, [
      h('h1', { text: 'Pipelines' }),
      h('p', { 'class': 'summary', id: 'pipeline-count', text: d.pipelines.length + ' pipeline(s) across the cluster · possibly leaked: older than ' + fmtAge(d.leakAfterMs) + ' with no media flowing into any of its elements' }),
      d.pipelines.length === 0 ? notice('No pipelines.') :
        h('table', { id: 'pipelines' }, [h('thead', {}, h('tr', {}, [h('th', { text: 'Pipeline' }), h('th', { text: 'Node' }), h('th', { 'class': 'num', text: 'Age' }), h('th', { 'class': 'num', text: 'Elements' }), h('th', { text: 'Status' })])), h('tbody', {}, rows)])
    ]);
  }

  // ---- one pipeline ----
  // Columns by longest path from the sources, after dropping the edges that close a cycle (a
  // loopback, two peers feeding each other): those are drawn as arcs below. A hub sits after the
  // ports that feed it and before the ports it feeds.
  var COL = 230, ROW = 84;
  function layout(p) {
    var ids = p.elements.map(function (e) { return e.id; });
    var byId = {};
    p.elements.forEach(function (e) { byId[e.id] = e; });
    var edges = {};
    p.connections.forEach(function (c) {
      if (!byId[c.source] || !byId[c.sink]) return;
      var key = c.source + ' ' + c.sink;
      (edges[key] = edges[key] || { source: c.source, sink: c.sink, types: [] }).types.push(c.type);
    });
    var list = Object.keys(edges).map(function (k) { return edges[k]; });
    var out = {}, inDegree = {};
    ids.forEach(function (id) { out[id] = []; inDegree[id] = 0; });
    function link(a, b) { if (a !== b) { out[a].push(b); inDegree[b]++; } }
    list.forEach(function (e) { link(e.source, e.sink); });
    p.elements.forEach(function (e) {
      if (!byId[e.parent]) return;
      var fed = list.some(function (x) { return x.sink === e.id; });
      var feeds = list.some(function (x) { return x.source === e.id; });
      if (fed || !feeds) link(e.id, e.parent);
      if (feeds) link(e.parent, e.id);
    });
    var starts = ids.slice().sort(function (a, b) {
      var ka = (inDegree[a] === 0 ? 0 : 2) + (/Endpoint$/.test(byId[a].type) ? 0 : 1);
      var kb = (inDegree[b] === 0 ? 0 : 2) + (/Endpoint$/.test(byId[b].type) ? 0 : 1);
      return ka - kb;
    });
    var state = {}, order = [], dag = {};
    ids.forEach(function (id) { dag[id] = []; });
    function visit(id) {
      state[id] = 1;
      out[id].forEach(function (n) {
        if (state[n] === 1) return; // closes a cycle: not a layout edge
        dag[id].push(n);
        if (!state[n]) visit(n);
      });
      state[id] = 2;
      order.unshift(id);
    }
    starts.forEach(function (id) { if (!state[id]) visit(id); });
    var depth = {};
    ids.forEach(function (id) { depth[id] = 0; });
    order.forEach(function (id) { dag[id].forEach(function (n) { if (depth[n] < depth[id] + 1) depth[n] = depth[id] + 1; }); });
    var cols = {}, pos = {}, maxRow = 0, maxCol = 0;
    order.forEach(function (id) {
      var c = depth[id];
      var row = (cols[c] = cols[c] || []).push(id) - 1;
      pos[id] = { x: 24 + c * COL, y: 24 + row * ROW };
      if (row > maxRow) maxRow = row;
      if (c > maxCol) maxCol = c;
    });
    return { edges: list, pos: pos, width: 24 + maxCol * COL + 160, height: 48 + (maxRow + 1) * ROW };
  }
  var MEDIA = { AUDIO: 'A', VIDEO: 'V', DATA: 'D' };

  function graph(p) {
    var BW = 160, BH = 48;
    var g = layout(p);
    var kids = [s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#475569' })))];
    p.elements.forEach(function (e) {
      if (e.parent === p.id || !g.pos[e.parent]) return;
      var a = g.pos[e.parent], b = g.pos[e.id];
      kids.push(s('path', { 'class': 'port', d: 'M' + (a.x + BW / 2) + ',' + (a.y + BH / 2) + ' L' + (b.x + BW / 2) + ',' + (b.y + BH / 2) }));
    });
    g.edges.forEach(function (e) {
      var a = g.pos[e.source], b = g.pos[e.sink], d, lx, ly;
      if (e.source === e.sink) {
        d = 'M' + (a.x + BW) + ',' + (a.y + 14) + ' C' + (a.x + BW + 46) + ',' + (a.y - 22) + ' ' + (a.x + BW + 46) + ',' + (a.y + BH + 22) + ' ' + (a.x + BW) + ',' + (a.y + BH - 14);
        lx = a.x + BW + 8; ly = a.y - 6;
      } else if (b.x > a.x) {
        d = 'M' + (a.x + BW) + ',' + (a.y + BH / 2) + ' C' + (a.x + BW + 40) + ',' + (a.y + BH / 2) + ' ' + (b.x - 40) + ',' + (b.y + BH / 2) + ' ' + b.x + ',' + (b.y + BH / 2);
        lx = (a.x + BW + b.x) / 2; ly = (a.y + b.y) / 2 + BH / 2 - 7;
      } else {
        d = 'M' + (a.x + BW / 2) + ',' + (a.y + BH) + ' C' + (a.x + BW / 2) + ',' + (a.y + BH + 50) + ' ' + (b.x + BW / 2) + ',' + (b.y + BH + 50) + ' ' + (b.x + BW / 2) + ',' + (b.y + BH);
        lx = (a.x + b.x + BW) / 2; ly = Math.max(a.y, b.y) + BH + 34;
      }
      kids.push(s('path', { 'class': 'edge', d: d, 'marker-end': 'url(#arrow)', 'data-source': e.source, 'data-sink': e.sink }, s('title', { text: e.types.join(', ') })));
      kids.push(s('text', { 'class': 'edge-label', x: lx, y: ly, 'text-anchor': 'middle', text: e.types.map(function (t) { return MEDIA[t] || t; }).join('+') }));
    });
    p.elements.forEach(function (e) {
      var at = g.pos[e.id];
      var named = e.name && e.name !== e.id;
      kids.push(s('g', { 'class': e.classes.indexOf('Hub') >= 0 ? 'box hub' : 'box', 'data-element': e.id, transform: 'translate(' + at.x + ',' + at.y + ')' }, [
        s('title', { text: e.id }),
        s('rect', { width: BW, height: BH, rx: 7 }),
        s('text', { x: 10, y: 20, 'font-weight': 600, text: e.type }),
        s('text', { 'class': 'sub', x: 10, y: 37, text: named ? e.name.slice(0, 22) : short(e.id) })
      ]));
    });
    var W = g.width + 60, H = g.height + 50;
    // Scaled down to fit the page, never up.
    return s('svg', { viewBox: '0 0 ' + W + ' ' + H, width: '100%', style: { maxWidth: W + 'px' }, role: 'img', 'aria-label': 'pipeline graph' }, kids);
  }

  var previous = {};
  function streamRows(e) {
    var st = e.stats;
    if (!st || st.streams.length === 0) return [h('tr', {}, h('td', { colspan: 8, 'class': 'muted', text: 'no RTP streams' }))];
    return st.streams.map(function (x) {
      var key = e.id + ' ' + x.direction + ' ' + x.ssrc + ' ' + (x.mediaType || '');
      var prev = previous[key];
      var rate = x.bitrate;
      if (x.direction === 'inbound' && prev && x.timestampMillis > prev.timestampMillis) rate = ((x.bytes - prev.bytes) * 8000) / (x.timestampMillis - prev.timestampMillis);
      previous[key] = x;
      return h('tr', { 'data-stream': key }, [
        h('td', { text: (x.mediaType || '') + ' ' + x.direction }),
        h('td', { 'class': 'num mono', text: x.ssrc }),
        h('td', { 'class': 'num', text: String(x.packets) }),
        h('td', { 'class': 'num', text: fmtBytes(x.bytes) }),
        h('td', { 'class': 'num', text: fmtBitrate(rate) }),
        h('td', { 'class': 'num', text: x.packetsLost + ' (' + Math.round((x.fractionLost / 256) * 1000) / 10 + ' %)' }),
        h('td', { 'class': 'num', text: x.jitterMs === undefined ? '–' : x.jitterMs.toFixed(1) + ' ms' }),
        h('td', { 'class': 'num', text: x.roundTripTimeMs === undefined ? '–' : x.roundTripTimeMs.toFixed(1) + ' ms' })
      ]);
    });
  }
  function states(list) { return list && list.length ? list.map(function (c) { return c.streamId + '/' + c.componentId + ' ' + c.state; }).join(', ') : '–'; }
  function elementBlock(e) {
    var st = e.stats;
    var facts = [h('span', {}, ['Type ', h('b', { text: e.type })]), h('span', { 'class': 'mono', text: e.id })];
    if (st && st.mediaState !== undefined) facts.push(h('span', { text: 'media ' + (st.mediaState || '–') + ' · connection ' + (st.connectionState || '–') }));
    if (st && st.ice) facts.push(h('span', { 'data-ice': '', text: 'ICE ' + states(st.ice) }));
    if (st && st.dtls) facts.push(h('span', { 'data-dtls': '', text: 'DTLS ' + states(st.dtls) }));
    if (st && st.candidatePairs && st.candidatePairs.length) facts.push(h('span', { text: 'pairs ' + st.candidatePairs.map(function (c) { return c.local + ' / ' + c.remote; }).join('; ') }));
    return h('section', { 'class': 'element', 'data-element-stats': e.id }, [
      h('h3', { text: (e.name && e.name !== e.id ? e.name + ' · ' : '') + e.type + ' ' + short(e.id) }),
      h('div', { 'class': 'facts' }, facts),
      e.classes.indexOf('MediaElement') < 0 ? null : h('table', { 'class': 'streams' }, [
        h('thead', {}, h('tr', {}, ['Stream', 'SSRC', 'Packets', 'Bytes', 'Bitrate', 'Lost', 'Jitter', 'RTT'].map(function (x, i) { return h('th', { 'class': i ? 'num' : '', text: x }); }))),
        h('tbody', {}, streamRows(e))
      ])
    ]);
  }

  var graphKey = '';
  var shell = null;
  function renderPipeline(p) {
    if (!shell) {
      shell = {
        facts: h('div', { 'class': 'facts' }),
        graph: h('div', { 'class': 'graph', id: 'graph' }),
        elements: h('div', { id: 'elements' }),
        tailState: h('span', { 'class': 'muted', id: 'tail-state', text: 'connecting…' }),
        resume: h('button', { id: 'tail-resume', hidden: true, text: 'Resume', onclick: function () { startTail(); } }),
        events: h('div', { 'class': 'events', id: 'events' })
      };
      replace(main, [
        h('div', { 'class': 'head' }, [
          h('div', { 'class': 'grow' }, [h('h1', { text: 'Pipeline' }), h('div', { 'class': 'mono', id: 'pipeline-id', text: p.id }), shell.facts]),
          h('button', { 'class': 'danger', 'data-action': 'release', text: 'Release…', onclick: function () {
            confirmAction('Release this pipeline?', 'Pipeline ' + p.id + ' on node ' + p.node + ' and its ' + p.elements.length + ' element(s) are destroyed at once, whoever uses them.', 'Release pipeline').then(function (ok) {
              if (!ok) return;
              api('/pipelines/' + enc(p.id) + '/release', 'POST').then(function () { stop('The pipeline was released.'); }, function (e) { main.insertBefore(notice('Release failed: ' + e.message, true), main.firstChild); });
            });
          } })
        ]),
        h('h2', { text: 'Graph' }), shell.graph,
        h('h2', { text: 'Elements' }), shell.elements,
        h('h2', { text: 'Events' }), h('div', { 'class': 'tailbar' }, [shell.tailState, shell.resume]), shell.events
      ]);
      startTail();
    }
    replace(shell.facts, [
      h('span', { text: 'node ' + p.node }),
      h('span', { text: 'age ' + fmtAge(p.ageMs) }),
      h('span', { text: p.elements.length + ' element(s), ' + p.connections.length + ' connection(s)' }),
      p.name && p.name !== p.id ? h('span', { text: 'name ' + p.name }) : null
    ]);
    var key = JSON.stringify([p.elements.map(function (e) { return e.id; }), p.connections]);
    if (key !== graphKey) {
      graphKey = key;
      replace(shell.graph, p.elements.length ? [graph(p), h('p', { 'class': 'legend', style: { padding: '0 12px 8px' }, text: 'Arrows: media from source to sink (A audio, V video, D data). Dashed: a hub and its ports. Arcs below: connections that close a loop.' })] : h('p', { 'class': 'muted', style: { padding: '10px' }, text: 'No elements.' }));
    }
    // Element sections in the graph's reading order: by column, then row.
    var at = layout(p).pos;
    var ordered = p.elements.slice().sort(function (a, b) { return at[a.id].x - at[b.id].x || at[a.id].y - at[b.id].y; });
    replace(shell.elements, ordered.map(elementBlock));
  }

  var source = null;
  function tailLine(line) {
    var box = shell.events;
    var at = line.at ? new Date(Number(line.at)).toLocaleTimeString() : new Date().toLocaleTimeString();
    var text;
    if (line.kind === 'event') text = [h('span', { 'class': 't', text: at + ' ' }), h('span', { 'class': 'y', text: line.type }), ' ' + short(line.object || '') + ' ' + JSON.stringify(line.data || {})];
    else if (line.kind === 'end') text = [h('span', { 'class': 'end', text: 'tail ended: ' + line.reason })];
    else text = [h('span', { 'class': 't', text: at + ' ' }), h('span', { 'class': 'y', text: 'Object' + (line.kind === 'created' ? 'Created' : 'Destroyed') }), ' ' + (line.object || '')];
    box.insertBefore(h('div', { 'data-kind': line.kind, 'data-type': line.type || '' }, text), box.firstChild);
    while (box.childNodes.length > 300) box.removeChild(box.lastChild);
  }
  function startTail() {
    if (source) source.close();
    shell.resume.hidden = true;
    shell.tailState.textContent = 'live';
    source = new EventSource('/inspector/api/pipelines/' + enc(pageId) + '/events');
    source.onmessage = function (m) {
      var line = JSON.parse(m.data);
      tailLine(line);
      if (line.kind === 'end') {
        source.close();
        shell.tailState.textContent = 'ended: ' + line.reason;
        shell.resume.hidden = false;
      }
    };
    source.onerror = function () {
      if (source.readyState === 2) { shell.tailState.textContent = 'disconnected'; shell.resume.hidden = false; }
    };
  }

  var timer = null;
  function stop(message) {
    if (timer) clearInterval(timer);
    if (source) source.close();
    replace(main, [h('h1', { text: 'Pipeline' }), h('div', { 'class': 'mono', text: pageId }), notice(message), h('p', {}, h('a', { href: '/inspector/pipelines', text: 'All pipelines' }))]);
  }

  function refresh() {
    if (page === 'nodes') return api('/nodes').then(renderNodes, showError);
    if (page === 'pipelines') return api('/pipelines').then(renderPipelines, showError);
    return api('/pipelines/' + enc(pageId)).then(renderPipeline, function (e) {
      if (e.status === 404) stop('This pipeline does not exist (any more).');
      else showError(e);
    });
  }
  function showError(e) {
    if (e.message === 'logged out') return;
    var old = document.getElementById('load-error');
    if (old) old.remove();
    var n = notice('Could not load: ' + e.message, true);
    n.id = 'load-error';
    main.insertBefore(n, main.firstChild);
  }
  refresh();
  timer = setInterval(refresh, page === 'nodes' ? 5000 : page === 'pipelines' ? 2000 : 3000);
})();
`;
