import { strict as assert } from 'node:assert';
import { makeNonce, panelAssets, renderPanelHtml } from '../../../../extension/panels/html';

describe('panel HTML and CSP', () => {
  const html = renderPanelHtml('metrics', 'vscode-resource://x', (f) => `vscode-resource://x/dist/webview/${f}`, 'N0NCE+/=');

  it('allows scripts only with the nonce and styles/fonts only from the webview source', () => {
    const csp = /content="([^"]+)"/.exec(html)![1].replace(/&#39;|&amp;#39;/g, "'");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-N0NCE\+\/='/);
    assert.match(csp, /style-src vscode-resource:\/\/x(;|$)/);
    assert.match(csp, /font-src vscode-resource:\/\/x/);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
  });

  it('has one script, carrying the nonce, and no inline styles', () => {
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<script nonce="N0NCE\+\/=" src="vscode-resource:\/\/x\/dist\/webview\/metrics\.js">/);
    assert.ok(!/style="/.test(html) && !/<style/.test(html));
  });

  it('loads the codicon sheet under the id vscode-elements looks for, and uPlot css for charts', () => {
    assert.match(html, /id="vscode-codicon-stylesheet" href="[^"]+codicon\.css"/);
    assert.deepEqual(panelAssets('metrics').styles, ['base.css', 'metrics.css', 'uPlot.min.css']);
    assert.deepEqual(panelAssets('traces').styles, ['base.css', 'traces.css']);
  });

  it('makes a fresh 144-bit nonce each time', () => {
    const a = makeNonce();
    assert.notEqual(a, makeNonce());
    assert.equal(Buffer.from(a, 'base64').length, 18);
  });
});
