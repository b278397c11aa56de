// Builds every panel's HTML and its Content-Security-Policy. No vscode import, so tests
// can produce exactly the page the extension serves (test/harness/panelPage.ts).
// Contract: scripts run only with the per-load nonce; styles and fonts only from the
// webview resource origin (no inline styles — panels style through CSSOM); no network.
import { randomBytes } from 'node:crypto';
import type { PanelName } from '../../webview/protocol';

export const PANEL_TITLES: Record<PanelName, string> = {
  traces: 'Vibewatch: Traces',
  logs: 'Vibewatch: Logs',
  errors: 'Vibewatch: Errors',
  alerts: 'Vibewatch: Alerts',
  incidents: 'Vibewatch: Incidents',
  metrics: 'Vibewatch: Metrics',
  status: 'Vibewatch: Status',
};

/** Panels that draw charts also load uPlot's stylesheet. */
const CHART_PANELS: ReadonlySet<PanelName> = new Set(['alerts', 'metrics']);

/** Files under dist/webview a panel loads, in order. */
export function panelAssets(panel: PanelName): { script: string; styles: string[] } {
  const styles = ['base.css', `${panel}.css`];
  if (CHART_PANELS.has(panel)) styles.push('uPlot.min.css');
  return { script: `${panel}.js`, styles };
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function panelCsp(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
  ].join('; ');
}

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `uri(file)` maps a file name under dist/webview to the URI the webview may load. */
export function renderPanelHtml(panel: PanelName, cspSource: string, uri: (file: string) => string, nonce: string): string {
  const { script, styles } = panelAssets(panel);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(panelCsp(cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${attr(PANEL_TITLES[panel])}</title>
<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${attr(uri('codicon.css'))}">
${styles.map((s) => `<link rel="stylesheet" href="${attr(uri(s))}">`).join('\n')}
</head>
<body data-panel="${panel}">
<div id="app"></div>
<script nonce="${attr(nonce)}" src="${attr(uri(script))}"></script>
</body>
</html>`;
}
