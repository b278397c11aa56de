// Turns a trace's spans into the rows of a waterfall: depth-first in start order, with
// runs of identical sibling spans (the N+1 shape: same name, one after another under one
// parent) folded into one group row that expands on demand. Pure; handles 100k spans
// without recursion (deep chains would overflow the stack).
import type { SpanView } from '../../../collector/live/protocol';

/** Siblings with the same name repeated at least this many times in a row are grouped. */
export const REPEAT_MIN = 3;

export type WaterfallRow =
  | { kind: 'span'; span: SpanView; depth: number; hasError: boolean }
  | { kind: 'group'; key: string; name: string; spans: SpanView[]; depth: number; startMs: number; endMs: number; errors: number; expanded: boolean };

export interface Waterfall {
  rows: WaterfallRow[];
  startMs: number;
  endMs: number;
  spanCount: number;
  errorCount: number;
}

const isError = (s: SpanView) => s.statusCode === 2;

export function buildWaterfall(spans: readonly SpanView[], expanded: ReadonlySet<string> = new Set()): Waterfall {
  const ids = new Set<string>();
  for (const s of spans) ids.add(s.spanId);
  const children = new Map<string, SpanView[]>();
  const roots: SpanView[] = [];
  let startMs = Infinity;
  let endMs = -Infinity;
  let errorCount = 0;
  for (const s of spans) {
    if (s.startMs < startMs) startMs = s.startMs;
    if (s.startMs + s.durationMs > endMs) endMs = s.startMs + s.durationMs;
    if (isError(s)) errorCount++;
    // A span whose parent never arrived is shown as a root rather than lost.
    if (s.parentSpanId && ids.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
      const list = children.get(s.parentSpanId);
      if (list) list.push(s);
      else children.set(s.parentSpanId, [s]);
    } else roots.push(s);
  }
  const byStart = (a: SpanView, b: SpanView) => a.startMs - b.startMs || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0);
  roots.sort(byStart);
  for (const list of children.values()) list.sort(byStart);

  type Unit = { kind: 'span'; span: SpanView; depth: number } | { kind: 'group'; key: string; run: SpanView[]; depth: number };
  const unitsOf = (list: SpanView[], depth: number, parentKey: string): Unit[] => {
    const units: Unit[] = [];
    let i = 0;
    while (i < list.length) {
      let j = i + 1;
      while (j < list.length && list[j].name === list[i].name) j++;
      if (j - i >= REPEAT_MIN) units.push({ kind: 'group', key: `${parentKey}/${list[i].name}@${i}`, run: list.slice(i, j), depth });
      else for (let k = i; k < j; k++) units.push({ kind: 'span', span: list[k], depth });
      i = j;
    }
    return units;
  };
  const rows: WaterfallRow[] = [];
  const seen = new Set<string>();
  // Explicit stack, pushed in reverse so units pop in start order (pre-order traversal).
  const stack: Unit[] = unitsOf(roots, 0, '').reverse();
  while (stack.length) {
    const u = stack.pop()!;
    if (u.kind === 'group') {
      const open = expanded.has(u.key);
      let end = -Infinity;
      let errors = 0;
      for (const s of u.run) {
        end = Math.max(end, s.startMs + s.durationMs);
        if (isError(s)) errors++;
      }
      rows.push({ kind: 'group', key: u.key, name: u.run[0].name, spans: u.run, depth: u.depth, startMs: u.run[0].startMs, endMs: end, errors, expanded: open });
      if (open) for (let k = u.run.length - 1; k >= 0; k--) stack.push({ kind: 'span', span: u.run[k], depth: u.depth + 1 });
      continue;
    }
    const s = u.span;
    if (seen.has(s.spanId)) continue; // duplicate ids in bad data
    seen.add(s.spanId);
    rows.push({ kind: 'span', span: s, depth: u.depth, hasError: isError(s) });
    const kids = children.get(s.spanId);
    if (kids) {
      const units = unitsOf(kids, u.depth + 1, s.spanId);
      for (let k = units.length - 1; k >= 0; k--) stack.push(units[k]);
    }
  }
  return { rows, startMs: Number.isFinite(startMs) ? startMs : 0, endMs: Number.isFinite(endMs) ? endMs : 0, spanCount: spans.length, errorCount };
}
