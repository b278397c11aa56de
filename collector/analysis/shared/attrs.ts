// Reading typed values out of model attributes, and converting model locations to views.
import type { AttrValue, Attributes, SourceLocation } from '../../model/types';
import type { LocationView } from '../../model/queries';

export function attrStr(attrs: Attributes, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v: AttrValue | undefined = attrs[k];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  }
  return undefined;
}

export function attrNum(attrs: Attributes, ...keys: string[]): number | undefined {
  for (const k of keys) {
    const v = attrs[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  }
  return undefined;
}

export function toLocationView(loc: SourceLocation | undefined): LocationView | undefined {
  if (!loc) return undefined;
  const v: LocationView = { file: loc.file, line: loc.line };
  if (loc.column !== undefined) v.column = loc.column;
  if (loc.function !== undefined) v.function = loc.function;
  return v;
}

/** Attributes as a stable `k=v,k=v` string (for series keys). */
export function attrsKey(attrs: Attributes): string {
  return Object.keys(attrs)
    .sort()
    .map((k) => `${k}=${JSON.stringify(attrs[k], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`)
    .join(',');
}
