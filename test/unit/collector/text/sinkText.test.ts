import { strict as assert } from 'node:assert';
import { commandArgsText, labelText, markdownCode, markdownText, notificationText, plainLines, plainText, slackText } from '../../../../collector/text/sinkText';
import { CONTROL, HOSTILE, renderLabel, renderMarkdown, renderNotification, renderSlack } from '../../../harness/renderedSinks';

const none = { links: [], headings: 0, html: [], icons: [] };
const short = (s: string) => JSON.stringify(s.slice(0, 60));

describe('sink escaping', () => {
  describe('plainText', () => {
    it('turns controls and newlines into single spaces', () => {
      assert.equal(plainText('a\nb\r\n\tc\u0000d\u001b[31m\u202ee\u2028f'), 'a b c d [31m e f');
    });
    it('bounds the length with an ellipsis and never splits a surrogate pair', () => {
      assert.equal(plainText('x'.repeat(500), 10), `${'x'.repeat(9)}…`);
      const cut = plainText(`abcdefgh${'😀'.repeat(3)}`, 10);
      assert.ok(!/[\ud800-\udbff]…$/.test(cut), cut);
    });
    it('stringifies non-strings and shows nothing for undefined', () => {
      assert.equal(plainText(42), '42');
      assert.equal(plainText(undefined), '');
    });
    for (const h of HOSTILE) {
      it(`keeps ${short(h)} on one bounded line`, () => {
        const out = plainText(h);
        assert.ok(!CONTROL.test(out), out);
        assert.ok(out.length <= 200);
      });
    }
  });

  it('plainLines keeps line breaks but bounds lines and their count', () => {
    assert.equal(plainLines('a\nb\u202e\nc', 10, 2), 'a\nb\n…');
  });

  describe('labelText (CodeLens titles, quick picks, status bar)', () => {
    it('shows $(icon) as text with the backslash escape VS Code honours', () => {
      assert.equal(labelText('$(alert) x'), '\\$(alert) x');
      assert.equal(labelText('\\$(alert)'), '\\$(alert)', 'an escaped icon is not escaped twice');
    });
    for (const h of HOSTILE) {
      it(`renders ${short(h)} with no icon and no control`, () => {
        const out = labelText(h);
        assert.deepEqual(renderLabel(out), none);
        assert.ok(!CONTROL.test(out));
      });
    }
  });

  describe('notificationText', () => {
    it('separates ] and ( so no link forms, keeping the words', () => {
      assert.equal(notificationText('[Click here](command:x)'), '[Click here] (command:x)');
    });
    for (const h of HOSTILE) {
      it(`renders ${short(h)} with no link, no icon and no control`, () => {
        const out = notificationText(h);
        assert.deepEqual(renderNotification(out), none);
        assert.ok(!CONTROL.test(out));
        assert.ok(out.length <= 120);
      });
    }
  });

  describe('markdownText (hovers, Markdown tooltips)', () => {
    it('shows the text the user sent, literally', () => {
      const r = renderMarkdown(markdownText('a_b *c* [d](e) <f> & $5'));
      assert.equal(r.textNodes.join('').trim(), 'a_b *c* [d](e) <f> & $5');
    });
    it('leaves $(icon) escaped after Markdown parsing, so VS Code shows it as text', () => {
      assert.equal(renderMarkdown(markdownText('$(alert)')).textNodes.join('').trim(), '\\$(alert)');
    });
    for (const h of HOSTILE) {
      it(`renders ${short(h)} with no link, heading, HTML or icon`, () => {
        assert.deepEqual(pick(renderMarkdown(markdownText(h))), none);
      });
      it(`renders ${short(h)} inside **bold** with no link, heading, HTML or icon`, () => {
        assert.deepEqual(pick(renderMarkdown(`**${markdownText(h)}** — ${markdownText(h)}`)), none);
      });
    }
  });

  describe('markdownCode', () => {
    it('holds backticks literally: the fence is longer than any run inside', () => {
      const md = markdownCode('a `` b ` c');
      assert.equal(md, '```a `` b ` c```');
      assert.match(renderMarkdown(md).textNodes.join(''), /a `` b ` c/);
    });
    for (const h of HOSTILE) {
      it(`renders ${short(h)} as one code span with no link, heading, HTML or icon`, () => {
        const r = renderMarkdown(`x ${markdownCode(h)} y`);
        assert.deepEqual(pick(r), none);
      });
    }
  });

  describe('slackText', () => {
    it('escapes &, < and > as Slack requires', () => {
      assert.equal(slackText('<!channel> & <https://x|y>'), '&lt;!channel&gt; &amp; &lt;https://x|y&gt;');
    });
    for (const h of HOSTILE) {
      it(`renders ${short(h)} with no link, mention or raw &`, () => {
        assert.deepEqual(renderSlack(slackText(h)), none);
      });
    }
  });

  it('commandArgsText shows the arguments in full, never cut', () => {
    const args = [{ text: `echo ${'x'.repeat(5000)}` }];
    assert.ok(commandArgsText(args).includes('x'.repeat(5000)));
    assert.equal(commandArgsText(undefined), '(no arguments)');
  });
});

function pick(r: ReturnType<typeof renderMarkdown>) {
  return { links: r.links, headings: r.headings, html: r.html, icons: r.icons };
}
