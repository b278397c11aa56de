// The one encoding of a series key, for every keyed series of the collector (lens lines,
// baselines of endpoints, locations and metrics, per-revision cells). A key is a kind tag
// and the series' dimension values in a fixed order, joined with `|`; each value has `%`
// and `|` percent-escaped, so any value (a service or route with `|` in it) round-trips and
// two different series never share a key. Values without `%` or `|` read as written, so
// `ep|shop|GET /orders` is the key of that endpoint.

/** What a series is about; the dimensions of each, in key order. */
export const SERIES_DIMENSIONS = {
  /** A source line's calls or logs as the lens shows them (all services together). */
  line: ['file', 'line', 'signal'],
  /** An HTTP endpoint of a service (`METHOD route`). */
  ep: ['service', 'endpoint'],
  /** A code location of a service (`file:line`). */
  loc: ['service', 'location'],
  /** One OTLP metric series (its attributes as canonical JSON). */
  m: ['service', 'metric', 'attrs'],
  /** A code location run by one revision, its own spans or the queries it issues. */
  rev: ['role', 'file', 'line', 'revision'],
} as const;

export type SeriesKind = keyof typeof SERIES_DIMENSIONS;

const escape = (v: string): string => v.replace(/%/g, '%25').replace(/\|/g, '%7C');
const unescape = (v: string): string => v.replace(/%7C/g, '|').replace(/%25/g, '%');

/** The key of a series of `kind` with these dimension values (in SERIES_DIMENSIONS order). */
export function seriesKey(kind: SeriesKind, ...values: (string | number)[]): string {
  const want = SERIES_DIMENSIONS[kind].length;
  if (values.length !== want) throw new Error(`a ${kind} series key has ${want} dimensions, got ${values.length}`);
  return [kind, ...values.map((v) => escape(String(v)))].join('|');
}

/** The kind and dimension values of a key, or undefined for a string that is not one. */
export function parseSeriesKey(key: string): { kind: SeriesKind; values: string[] } | undefined {
  const [kind, ...rest] = key.split('|');
  if (!Object.prototype.hasOwnProperty.call(SERIES_DIMENSIONS, kind)) return undefined;
  const k = kind as SeriesKind;
  if (rest.length !== SERIES_DIMENSIONS[k].length) return undefined;
  return { kind: k, values: rest.map(unescape) };
}

export const endpointKey = (service: string, endpoint: string): string => seriesKey('ep', service, endpoint);
export const locationKey = (service: string, file: string, line: number): string => seriesKey('loc', service, `${file}:${line}`);
export const metricKey = (service: string, metric: string, attrs: string): string => seriesKey('m', service, metric, attrs);
export const lineKey = (file: string, line: number, signal: 'span' | 'log'): string => seriesKey('line', file, line, signal);
export const revisionKey = (role: 'own' | 'query', file: string, line: number, revision: string): string => seriesKey('rev', role, file, line, revision);
