// Defence in depth for the public page: producers should only hand us public text, but an
// incident title or update typed in a hurry may paste a stack frame or a path. Those are
// cut here before rendering. Escaping is separate (escape.ts); this removes content.

const STACK_LINE = /^\s*(at\s+\S.*|File ".*", line \d+.*|\S+\.(?:java|kt|scala):\d+\)?|#\d+\s+0x[0-9a-f]+.*)$/gim;
// Absolute POSIX paths with at least two segments, Windows drive paths, file:// URLs.
const PATHS = /(?:file:\/\/\/?[^\s"'<>]+|[A-Za-z]:\\[^\s"'<>]+|(?<![\w.:/])\/(?:[\w.@-]+\/)+[\w.@-]+(?::\d+(?::\d+)?)?)/g;
const MAX_TEXT = 2000;

export const REDACTED = '[internal detail removed]';

export function scrubPublicText(text: string): string {
  let t = String(text ?? '').slice(0, MAX_TEXT);
  t = t.replace(STACK_LINE, REDACTED);
  t = t.replace(PATHS, REDACTED);
  // Collapse runs produced by multi-line stacks.
  t = t.replace(new RegExp(`(${escapeRe(REDACTED)}\\s*){2,}`, 'g'), `${REDACTED} `);
  return t.trim();
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
