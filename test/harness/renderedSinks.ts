// How each sink's text would render, checked against what must never appear: the rules VS Code
// applies to notifications (linkedText), to trusted Markdown (marked, the parser VS Code uses,
// then theme icons in the text), to icon-rendering labels, and Slack's mrkdwn rules. Shared by
// the per-sink unit tests and the fuzz test through the real collector.
import { marked } from 'marked';

/** The hostile strings of issue 13, plus variants. */
export const HOSTILE: readonly string[] = [
  '/pay [Click here to fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22echo%20PWNED%20%3E%20%2Ftmp%2Fpwned%5Cn%22%7D)',
  '[x](command:vibewatch.clearData?%7B%22confirmed%22%3Atrue%7D)',
  '](command:workbench.action.terminal.new)',
  '[a](https://evil.example/) and [b](file:///etc/passwd)',
  '`` `break` out of the code span ` [x](command:evil) ``',
  '# heading\n## another',
  '\n# heading after a newline',
  '<img src=x onerror=alert(1)><b>bold</b><a href="command:evil">x</a>',
  '&lt;script&gt; &#x5b;x&#x5d;(command:evil)',
  '$(alert) $(zap~spin) \\$(gear)',
  'line one\nline two\r\nline three\u2028four\u0000\u001b[31mred\u202eevil',
  '<!channel> <@U123> <https://evil.example|click> &amp;',
  'https://evil.example/auto www.evil.example mail@evil.example',
  '**bold** _it_ ~~strike~~ | table | ![img](https://evil.example/x.png)',
  '[ref]: command:evil\n[ref]',
  'x'.repeat(20_000),
];

export interface Rendered {
  links: string[];
  headings: number;
  html: string[];
  icons: string[];
}

// VS Code's linkedText (notifications): `[label](https:|http:|command:|file:…)`.
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
// VS Code's icon syntax in labels and theme-icon Markdown; a preceding backslash escapes it.
const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;

function icons(text: string): string[] {
  return [...text.matchAll(ICON)].filter((m) => !m[1]).map((m) => m[0]);
}

/** A notification message as VS Code renders it. */
export function renderNotification(text: string): Rendered {
  return { links: [...text.matchAll(NOTIFICATION_LINK)].map((m) => m[2]), headings: 0, html: [], icons: icons(text) };
}

/** A label that renders `$(icon)` (CodeLens title, quick pick, status-bar text). */
export function renderLabel(text: string): Rendered {
  return { links: [], headings: 0, html: [], icons: icons(text) };
}

/** Markdown rendered by marked (GFM, as VS Code's hover); `allowedHrefs` are the links our
 *  own Markdown adds (e.g. the hover's trace links). */
export function renderMarkdown(md: string): Rendered & { textNodes: string[] } {
  const html = marked.parse(md, { async: false, gfm: true });
  const links = [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((m) => m[1]);
  const headings = [...html.matchAll(/<h[1-6][\s>]/g)].length;
  const tags = [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase());
  const ours = new Set(['p', 'strong', 'em', 'code', 'a', 'br']);
  // Text between tags, entities decoded the way a browser would for the icon check.
  const textNodes = html.split(/<[^>]*>/).map((t) => t.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
  return { links, headings, html: tags.filter((t) => !ours.has(t)), icons: textNodes.flatMap(icons), textNodes };
}

/** Slack mrkdwn: `<…>` is a link, mention or broadcast; a raw `&`, `<` or `>` is invalid. */
export function renderSlack(text: string): Rendered {
  const controls = [...text.matchAll(/<[^>]*>/g)].map((m) => m[0]);
  const rawAmp = [...text.matchAll(/&(?!amp;|lt;|gt;)/g)].map((m) => m[0]);
  return { links: controls, headings: 0, html: rawAmp, icons: [] };
}

/** Control characters a one-line sink must not show (newlines, escapes, bidi overrides). */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
