// OpenTelemetry `code.*` attributes, stable names first, then the older ones many SDKs
// still emit (code.filepath / code.lineno / code.function / code.namespace).
import type { Attributes, AttrValue } from '../model/types';

export interface CodeAttributes {
  file?: string;
  line?: number;
  column?: number;
  function?: string;
  stacktrace?: string;
}

export function codeAttributes(attrs: Attributes | undefined): CodeAttributes {
  if (!attrs) return {};
  const out: CodeAttributes = {};
  const file = str(attrs['code.file.path']) ?? str(attrs['code.filepath']);
  if (file) out.file = file;
  const line = num(attrs['code.line.number']) ?? num(attrs['code.lineno']);
  if (line !== undefined && line > 0) out.line = line;
  const col = num(attrs['code.column.number']) ?? num(attrs['code.column']);
  if (col !== undefined && col > 0) out.column = col;
  const fn = str(attrs['code.function.name']);
  if (fn) out.function = fn;
  else {
    const old = str(attrs['code.function']);
    const ns = str(attrs['code.namespace']);
    if (old) out.function = ns && !old.startsWith(`${ns}.`) ? `${ns}.${old}` : old;
  }
  const st = str(attrs['code.stacktrace']);
  if (st) out.stacktrace = st;
  return out;
}

export function str(v: AttrValue | undefined): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export function num(v: AttrValue | undefined): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}
