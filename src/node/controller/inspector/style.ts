/** The inspector pages' stylesheet (`/inspector/assets/style.css`). */
export const STYLE_CSS = String.raw`
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;background:#f1f5f9}
header{display:flex;align-items:center;gap:18px;padding:0 22px;height:50px;background:#0f172a;color:#e2e8f0}
header .brand{font-size:16px;letter-spacing:.2px}
header nav{display:flex;gap:4px;flex:1}
header nav a{color:#cbd5e1;text-decoration:none;padding:6px 12px;border-radius:6px}
header nav a[aria-current]{background:#1e293b;color:#fff}
header .user{color:#94a3b8;font-size:13px}
header form{margin:0}
button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #cbd5e1;background:#fff;padding:5px 12px}
button.link{background:none;border:0;color:#93c5fd;padding:0}
button.danger{background:#dc2626;border-color:#dc2626;color:#fff}
button.secondary{background:#fff}
button:disabled{opacity:.5;cursor:default}
main{padding:20px 22px;max-width:1280px}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:22px 0 8px}
.muted{color:#64748b}
.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.summary{color:#475569;margin-bottom:16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(380px,1fr));gap:16px}
.card{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:14px 16px}
.card h3{margin:0;font-size:15px;display:flex;align-items:center;gap:8px}
.card .host{color:#64748b;font-size:12px;margin-bottom:10px}
.badge{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.4px;padding:2px 8px;border-radius:999px;background:#e2e8f0;color:#334155}
.badge.UP{background:#dcfce7;color:#166534}
.badge.DRAINING{background:#fef3c7;color:#92400e}
.badge.STALE{background:#e0e7ff;color:#3730a3}
.badge.LOST{background:#fee2e2;color:#991b1b}
.badge.leak{background:#fee2e2;color:#991b1b}
.badge.ok{background:#f1f5f9;color:#475569}
.metrics{display:grid;grid-template-columns:repeat(4,1fr);gap:6px 12px;margin:8px 0}
.metric .k{color:#64748b;font-size:12px}
.metric .v{font-weight:600}
.meter{position:relative;height:10px;background:#e2e8f0;border-radius:5px;margin:4px 0 2px}
.meter .fill{position:absolute;left:0;top:0;bottom:0;border-radius:5px;background:#2563eb}
.meter .mark{position:absolute;top:-3px;bottom:-3px;width:2px}
.meter .mark.out{background:#dc2626}
.meter .mark.in{background:#16a34a}
.legend{font-size:11.5px;color:#64748b}
.chart{width:100%;height:auto;display:block;margin-top:6px}
.card .actions{margin-top:10px;display:flex;justify-content:flex-end}
.drain{background:#fffbeb;border:1px solid #fde68a;border-radius:6px;padding:6px 8px;margin:6px 0;font-size:12.5px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e2e8f0;border-radius:10px;overflow:hidden}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid #f1f5f9;vertical-align:top}
th{background:#f8fafc;font-size:12px;color:#475569;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
a{color:#1d4ed8}
.head{display:flex;align-items:flex-start;gap:16px}
.head .grow{flex:1}
.facts{display:flex;gap:22px;flex-wrap:wrap;color:#475569;margin:6px 0 4px}
.graph{background:#fff;border:1px solid #e2e8f0;border-radius:10px;overflow:auto}
.graph svg{display:block}
.graph .box rect{fill:#eff6ff;stroke:#3b82f6;stroke-width:1.5}
.graph .box.hub rect{fill:#f5f3ff;stroke:#8b5cf6}
.graph .box text{font-size:12px;fill:#0f172a}
.graph .box text.sub{fill:#64748b;font-size:11px}
.graph path.edge{fill:none;stroke:#475569;stroke-width:1.5}
.graph path.port{fill:none;stroke:#8b5cf6;stroke-dasharray:4 3}
.graph text.edge-label{font-size:10.5px;fill:#334155}
.streams td{font-size:12.5px}
.events{background:#0f172a;color:#e2e8f0;border-radius:10px;padding:10px 12px;height:260px;overflow:auto;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.events div{white-space:pre-wrap;word-break:break-all;padding:1px 0}
.events .t{color:#94a3b8}
.events .y{color:#fcd34d}
.events .end{color:#fca5a5}
.tailbar{display:flex;gap:10px;align-items:center;margin:6px 0}
dialog{border:0;border-radius:10px;padding:18px 20px;max-width:460px;box-shadow:0 12px 40px rgba(0,0,0,.35)}
dialog h2{margin-top:0}
dialog .actions{display:flex;gap:8px;justify-content:flex-end;margin-top:14px}
.notice{padding:8px 12px;border-radius:6px;background:#ecfeff;border:1px solid #a5f3fc;margin:8px 0}
.notice.error{background:#fef2f2;border-color:#fecaca}
`;
