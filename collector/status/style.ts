// The status page's stylesheet (inlined under the page's nonce). Honours dark mode.
export const STATUS_CSS = `
:root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--bg:#fff;--card:#f6f8fa;--border:#d1d9e0;--up:#1a7f37;--deg:#bf8700;--part:#d1600a;--major:#cf222e;--nodata:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--bg:#0d1117;--card:#151b23;--border:#3d444d;--nodata:#3d444d}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
header,main,footer{max-width:860px;margin:0 auto;padding:16px}h1{font-size:24px;margin:8px 0}
.overall{padding:14px 16px;border-radius:6px;font-weight:600;color:#fff;background:var(--up)}
.overall.s-degraded_performance{background:var(--deg)}.overall.s-partial_outage{background:var(--part)}.overall.s-major_outage{background:var(--major)}
.component,.incident{background:var(--card);border:1px solid var(--border);border-radius:6px;padding:12px 16px;margin:12px 0}
.component-head{display:flex;justify-content:space-between;align-items:center}.component h2{font-size:16px;margin:0}
.state{font-weight:600}.state.s-operational{color:var(--up)}.state.s-degraded_performance{color:var(--deg)}.state.s-partial_outage{color:var(--part)}.state.s-major_outage{color:var(--major)}
.bars{display:flex;gap:2px;height:28px;margin-top:8px}.bar{flex:1;border-radius:2px;background:var(--nodata)}
.bar.up{background:var(--up)}.bar.degraded{background:var(--deg)}.bar.partial{background:var(--part)}.bar.major{background:var(--major)}
.bars-legend{display:flex;justify-content:space-between;font-size:12px;color:var(--muted)}
.incident h3{margin:0 0 4px}.impact-critical{border-left:4px solid var(--major)}.impact-warning{border-left:4px solid var(--part)}.impact-info{border-left:4px solid var(--deg)}
.updates{list-style:none;padding:0;margin:8px 0 0}.update{margin:8px 0}.muted{color:var(--muted);font-size:13px}
a{color:inherit}`;
