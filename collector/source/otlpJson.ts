// Minimal reading of an OTLP/JSON export (resourceSpans / resourceLogs) for `vibewatch
// resolve`: only the attributes placement needs (exception.stacktrace, code.*). Deliberately
// independent of the receiver's decoder; anything unexpected is skipped, never thrown on.

export interface OtlpItem {
  /** `span NAME event exception`, `log record`, … */
  source: string;
  attributes: Record<string, string | number>;
}

type Json = unknown;

function arr(v: Json): Json[] {
  return Array.isArray(v) ? v : [];
}

function obj(v: Json): Record<string, Json> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, Json>) : {};
}

/** OTLP KeyValue list → flat record of string/number values. */
export function flatAttributes(list: Json): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const kv of arr(list)) {
    const { key, value } = obj(kv);
    if (typeof key !== 'string') continue;
    const v = obj(value);
    if (typeof v.stringValue === 'string') out[key] = v.stringValue;
    else if (typeof v.intValue === 'string' || typeof v.intValue === 'number') out[key] = Number(v.intValue);
    else if (typeof v.doubleValue === 'number') out[key] = v.doubleValue;
  }
  return out;
}

export function isOtlpJson(doc: Json): boolean {
  const o = obj(doc);
  return Array.isArray(o.resourceSpans) || Array.isArray(o.resourceLogs);
}

export function otlpItems(doc: Json): OtlpItem[] {
  const items: OtlpItem[] = [];
  const o = obj(doc);
  for (const rs of arr(o.resourceSpans)) {
    for (const ss of arr(obj(rs).scopeSpans ?? obj(rs).instrumentationLibrarySpans)) {
      for (const sp of arr(obj(ss).spans)) {
        const span = obj(sp);
        const name = typeof span.name === 'string' ? span.name : '?';
        const attrs = flatAttributes(span.attributes);
        if (Object.keys(attrs).some((k) => k.startsWith('code.') || k === 'db.statement' || k === 'db.query.text' || k === 'http.route')) {
          items.push({ source: `span ${name}`, attributes: attrs });
        }
        for (const ev of arr(span.events)) {
          const e = obj(ev);
          const ea = flatAttributes(e.attributes);
          if (typeof ea['exception.stacktrace'] === 'string') items.push({ source: `span ${name} event ${String(e.name ?? '')}`, attributes: ea });
        }
      }
    }
  }
  for (const rl of arr(o.resourceLogs)) {
    for (const sl of arr(obj(rl).scopeLogs)) {
      for (const lr of arr(obj(sl).logRecords)) {
        const attrs = flatAttributes(obj(lr).attributes);
        if (Object.keys(attrs).some((k) => k.startsWith('code.') || k === 'exception.stacktrace')) items.push({ source: 'log record', attributes: attrs });
      }
    }
  }
  return items;
}
