// The one place that decides how untrusted text (telemetry, workspace files) is made safe for
// each place that renders it. Escape at the sink: the data stays what was sent, and every sink
// calls the function for its kind of rendering. No vscode import (the collector's webhook
// bodies and the extension's overlays both use it).
//
// What each sink does with raw text, and so what each function must undo:
// - VS Code notifications render `[label](https:|command:|file:…)` as a live link (commands
//   allowed) and `$(icon)` as a codicon.
// - Trusted MarkdownString (hovers) renders all of Markdown: links, headings, HTML, autolinks,
//   code spans, entities and (with theme icons on) `$(icon)`.
// - CodeLens titles, quick picks and status-bar text render `$(icon)`; they are one line.
// - Tree items, diagnostics and plain tooltips show text as is, but newlines, bidi controls and
//   unbounded length still mislead or swamp the UI.
// - Slack mrkdwn treats `<…>` as a link/mention (`<!channel>`, `<url|label>`) and needs `&`,
//   `<`, `>` as entities; it also has its own `*`, `_`, `~`, `` ` `` formatting.

/** Longest text a one-line sink shows; longer text is cut with an ellipsis. */
export const MAX_LINE = 200;

// C0 and C1 controls, DEL, zero-width and bidi formatting characters, line/paragraph separators
// and the BOM: they break lines, hide text or reorder what the user reads.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+/g;

function bound(s: string, max: number): string {
  if (s.length <= max) return s;
  let cut = Math.max(0, max - 1);
  // Never split a surrogate pair.
  if (cut > 0 && /[\ud800-\udbff]/.test(s[cut - 1])) cut--;
  return `${s.slice(0, cut)}…`;
}

/** One line of plain text: controls become spaces, runs of whitespace collapse, at most `max`
 *  characters. For tree items, diagnostics, tooltips and logs. */
export function plainText(value: unknown, max = MAX_LINE): string {
  const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  // Cut a huge string before the regexes run (linear anyway, but no need to scan megabytes).
  const head = s.length > max * 4 + 64 ? s.slice(0, max * 4 + 64) : s;
  return bound(head.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim(), max);
}

/** Multi-line plain text (a diagnostic's message, a tooltip): like `plainText` per line, with
 *  at most `maxLines` lines of `max` characters. */
export function plainLines(value: unknown, max = MAX_LINE, maxLines = 20): string {
  const s = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
  const lines = s.slice(0, (max + 1) * maxLines * 2).split(/\r\n|[\n\r\u2028\u2029]/);
  const out = lines.slice(0, maxLines).map((l) => plainText(l, max));
  if (lines.length > maxLines) out.push('…');
  return out.join('\n');
}

/** `$(name)` shown as text, not a codicon, where VS Code renders icons: the backslash escape
 *  VS Code's own `escapeIcons` uses (the renderer drops the backslash). */
export function escapeIcons(s: string): string {
  return s.replace(/(\\)?\$\(/g, (m, esc: string | undefined) => (esc ? m : '\\$('));
}

/** One-line text for sinks that render `$(icon)`: CodeLens titles, quick-pick labels,
 *  descriptions and details, status-bar text. */
export function labelText(value: unknown, max = MAX_LINE): string {
  return bound(escapeIcons(plainText(value, max * 2)), max);
}

/** Text inside a notification (showErrorMessage and friends). VS Code turns `[x](href)` into
 *  a link only when `]` and `(` touch; a space between them leaves brackets as text. Icons are
 *  escaped too. Notifications should carry fixed text and a rule's name only; this is the
 *  guard for that name (it comes from `.vibewatch/alerts.json`, a workspace file). */
export function notificationText(value: unknown, max = 120): string {
  // Cut after escaping (the escapes add characters): the result is at most `max` long.
  return bound(escapeIcons(plainText(value, max * 2)).replace(/\]\(/g, '] ('), max);
}

/** Inline Markdown text for a MarkdownString (hovers, tree tooltips). Every ASCII punctuation
 *  character is backslash-escaped (CommonMark allows it for all of them): no emphasis, link,
 *  autolink (`https\://`), heading, list, HTML tag or entity can start. Icons are escaped first,
 *  so with theme icons on `$(alert)` shows as text. One line, at most `max` characters. */
export function markdownText(value: unknown, max = MAX_LINE): string {
  return escapeIcons(plainText(value, max)).replace(/[!-/:-@[-`{-~]/g, (c) => `\\${c}`);
}

/** An inline Markdown code span holding `value` literally: the fence is one backtick longer
 *  than the longest run inside, so the text cannot close it; one line, so a blank line cannot
 *  end the paragraph. Backslash escapes do not work inside code spans, so `$(` gets a space
 *  (`$ (`): whether or not a renderer substitutes theme icons inside code, none appears. */
export function markdownCode(value: unknown, max = MAX_LINE): string {
  const s = plainText(value, max).replace(/\$\(/g, '$ (');
  if (!s) return '` `';
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  // A space pads a value that starts or ends with a backtick (CommonMark strips one each side).
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** Text for Slack mrkdwn: `&`, `<`, `>` as the entities Slack requires, so `<!channel>`,
 *  `<@U123>` and `<https://x|label>` stay text (Slack links, mentions and broadcasts all need
 *  `<`). Bold/italic characters are left alone: they change looks, not what a click does.
 *  One line, at most `max` characters. */
export function slackText(value: unknown, max = 300): string {
  return plainText(value, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Arguments of a command shown for confirmation: the full JSON, pretty-printed, never cut
 *  (the user must see everything that will run); controls other than the layout's newlines
 *  are escaped by JSON itself. */
export function commandArgsText(args: unknown): string {
  if (args === undefined) return '(no arguments)';
  try {
    return JSON.stringify(args, null, 2) ?? String(args);
  } catch (err) {
    return `(arguments that cannot be shown: ${(err as Error).message})`;
  }
}
