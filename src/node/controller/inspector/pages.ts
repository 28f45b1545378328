/**
 * The inspector's HTML: the login page (self-contained: nothing else is served without a session)
 * and the shell of the three pages, which the page's script fills from the JSON API.
 */
import { createHash } from 'node:crypto';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const LOGIN_STYLE = `body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#0f172a;color:#0f172a;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:10px;padding:28px 32px;width:320px;box-shadow:0 10px 30px rgba(0,0,0,.35)}
h1{font-size:19px;margin:0 0 4px}p.sub{color:#64748b;margin:0 0 18px;font-size:13px}
label{display:block;font-size:13px;color:#334155;margin:12px 0 4px}
input{width:100%;box-sizing:border-box;padding:8px 10px;border:1px solid #cbd5e1;border-radius:6px;font:inherit}
button{margin-top:18px;width:100%;padding:9px;border:0;border-radius:6px;background:#2563eb;color:#fff;font:inherit;font-weight:600;cursor:pointer}
.error{background:#fef2f2;color:#b91c1c;border:1px solid #fecaca;border-radius:6px;padding:8px 10px;font-size:13px;margin-bottom:6px}`;

/** The CSP source of the login page's one inline style. */
export const LOGIN_STYLE_HASH = `'sha256-${createHash('sha256').update(LOGIN_STYLE).digest('base64')}'`;

export function loginPage(message?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Log in · elasticrtc inspector</title><style>${LOGIN_STYLE}</style></head>
<body><main>
<h1>elasticrtc inspector</h1><p class="sub">Log in with the cluster's inspector user.</p>
${message ? `<div class="error" role="alert">${escapeHtml(message)}</div>` : ''}
<form method="post" action="/inspector/login">
<label for="user">User</label><input id="user" name="user" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Log in</button>
</form></main></body></html>
`;
}

export type PageName = 'nodes' | 'pipelines' | 'pipeline';

const TITLES: Record<PageName, string> = { nodes: 'Nodes', pipelines: 'Pipelines', pipeline: 'Pipeline' };

/** A page's shell: header, navigation, logout, and the data the script needs (page, id, CSRF token). */
export function pageShell(page: PageName, user: string, csrf: string, id = ''): string {
  const nav = (name: PageName, label: string) => `<a href="/inspector/${name}"${page === name || (page === 'pipeline' && name === 'pipelines') ? ' aria-current="page"' : ''}>${label}</a>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${TITLES[page]}${id ? ` ${escapeHtml(id.slice(0, 8))}` : ''} · elasticrtc inspector</title>
<meta name="csrf-token" content="${escapeHtml(csrf)}">
<link rel="stylesheet" href="/inspector/assets/style.css"><script src="/inspector/assets/app.js" defer></script></head>
<body data-page="${page}" data-id="${escapeHtml(id)}">
<header><span class="brand">elasticrtc <b>inspector</b></span><nav>${nav('nodes', 'Nodes')}${nav('pipelines', 'Pipelines')}</nav>
<span class="user">${escapeHtml(user)}</span>
<form method="post" action="/inspector/logout"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}"><button type="submit" class="link">Log out</button></form></header>
<main id="main"><p class="muted">Loading…</p></main>
<dialog id="confirm"><form method="dialog"><h2 id="confirm-title"></h2><p id="confirm-text"></p>
<div class="actions"><button value="cancel" class="secondary">Cancel</button><button value="ok" id="confirm-ok" class="danger"></button></div></form></dialog>
</body></html>
`;
}
