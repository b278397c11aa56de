import { strict as assert } from 'node:assert';
import { aiDiffTooltipMarkdown, productionMarkdown } from '../../../../extension/views/treeText';
import { HOSTILE, renderMarkdown } from '../../../harness/renderedSinks';

describe('AI Diffs view tooltip', () => {
  it('shows the subject in bold and each risk reason as a list item', () => {
    const r = renderMarkdown(aiDiffTooltipMarkdown({ subject: 'Faster checkout', source: 'trailer', commit: 'a1b2c3d4', risk: { score: 2, reasons: ['p95 up 4×'] } as never }));
    assert.equal(r.links.length + r.headings, 0);
    assert.deepEqual(r.html.filter((t) => t !== 'ul' && t !== 'li'), []);
    assert.match(r.textNodes.join(''), /Faster checkout \(trailer, a1b2c3d\)/);
  });
  for (const h of HOSTILE) {
    it(`renders ${JSON.stringify(h.slice(0, 40))} from git and telemetry with no link, heading, HTML or icon`, () => {
      const r = renderMarkdown(aiDiffTooltipMarkdown({ subject: h, source: h as never, commit: h, risk: { score: 1, reasons: [h, h] } as never }));
      assert.deepEqual({ links: r.links, headings: r.headings, html: r.html.filter((t) => t !== 'ul' && t !== 'li'), icons: r.icons }, { links: [], headings: 0, html: [], icons: [] });
    });
  }
});

describe('AI Diffs view tooltip, production paragraph (team mode)', () => {
  it('labels the figures as production and shows the sentence and reasons', () => {
    const r = renderMarkdown(productionMarkdown({ calls: 1200, errors: 3, risk: { score: 7.25, reasons: ['p95 up 5.9×'] }, beforeAfter: 'checkout(): p95 ↑ 5.9× (300 before / 680 after) since abc1234 (AI diff)' }));
    assert.match(r.textNodes.join(''), /^Production \(team collector\): 1\.2k calls, 3 errors, risk 7\.3 — checkout\(\): p95 ↑ 5\.9×/);
    assert.match(r.textNodes.join(''), /p95 up 5\.9×/);
  });
  for (const h of HOSTILE) {
    it(`renders ${JSON.stringify(h.slice(0, 40))} from the team collector with no link, heading, HTML or icon`, () => {
      const r = renderMarkdown(productionMarkdown({ calls: 1, errors: 0, risk: { score: 1, reasons: [h] }, beforeAfter: h }));
      assert.deepEqual({ links: r.links, headings: r.headings, html: r.html.filter((t) => t !== 'ul' && t !== 'li' && t !== 'strong'), icons: r.icons }, { links: [], headings: 0, html: [], icons: [] });
    });
  }
});
