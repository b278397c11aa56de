// Field-level conversion shared by the JSON and protobuf paths. Both decoders produce
// "loose" objects with the same lowerCamelCase field names (protobufjs camelCases the
// .proto names; OTLP JSON uses lowerCamelCase), so one normaliser reads both. What differs
// is handled here: ids are hex strings (JSON) or bytes (protobuf); 64-bit integers are
// strings or numbers (JSON) or Long (protobuf); bytes values are base64 (JSON) or bytes.
// Oneof members are checked with own-property tests: protobufjs messages carry defaults on
// their prototype, so `x.stringValue !== undefined` would be true for every AnyValue.
import type { AttrValue, Attributes, TelemetryBatch } from '../model/types';

export interface ReceiverLimits {
  /** Attributes kept per resource/scope/span/event/link/log/point; the rest are dropped. Default 128. */
  maxAttributes: number;
  /** Every string cut to this many characters: attribute values (and base64 bytes) and keys,
   *  span, event, scope and metric names, status messages, severity text. Default 4096. */
  maxValueLength: number;
  /** Events and links kept per span (the first ones, as the OpenTelemetry SDKs keep). Default 128 each. */
  maxEvents: number;
  maxLinks: number;
  /** Accepted time window: not before 2000-01-01 and at most this far ahead of arrival.
   *  Outside it an item is rejected (partial success), so a bogus time cannot pin a store
   *  segment past retention. Default 1 hour (clock skew between hosts). */
  maxFutureMs: number;
}
export const DEFAULT_LIMITS: ReceiverLimits = { maxAttributes: 128, maxValueLength: 4096, maxEvents: 128, maxLinks: 128, maxFutureMs: 3_600_000 };

/** Decoding context: the limits and the batch whose `truncated` counter is bumped. */
export interface Ctx {
  limits: ReceiverLimits;
  batch: TelemetryBatch;
}

/** An item failed validation; the decoder catches it, rejects the item and counts it. */
export class ItemError extends Error {}

const hasOwn = Object.prototype.hasOwnProperty;
export const own = (o: unknown, k: string): boolean => o !== null && typeof o === 'object' && hasOwn.call(o, k);

interface LongLike { low: number; high: number; unsigned?: boolean }
const isLong = (v: unknown): v is LongLike => typeof v === 'object' && v !== null && typeof (v as LongLike).low === 'number' && typeof (v as LongLike).high === 'number';

const HEX = /^[0-9a-fA-F]*$/;
const HEX_DIGITS = '0123456789abcdef';

function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_DIGITS[b[i] >> 4] + HEX_DIGITS[b[i] & 15];
  return s;
}

/** An id of `bytes` bytes as lowercase hex, `undefined` when absent/empty; throws when malformed or all zero. */
export function readId(v: unknown, bytes: number, what: string): string | undefined {
  let hex: string;
  if (v === undefined || v === null) return undefined;
  // protobufjs's prototype default for an absent `bytes` field is an empty plain array.
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    v = Uint8Array.from(v as number[]);
  }
  if (typeof v === 'string') {
    if (v.length === 0) return undefined;
    if (v.length !== bytes * 2 || !HEX.test(v)) throw new ItemError(`${what} must be ${bytes * 2} hex characters, got ${JSON.stringify(v.slice(0, 40))}`);
    hex = v.toLowerCase();
  } else if (v instanceof Uint8Array) {
    if (v.length === 0) return undefined;
    if (v.length !== bytes) throw new ItemError(`${what} must be ${bytes} bytes, got ${v.length}`);
    hex = bytesToHex(v);
  } else throw new ItemError(`${what} must be a hex string`);
  if (/^0+$/.test(hex)) throw new ItemError(`${what} is all zeros`);
  return hex;
}

/** An unsigned 64-bit integer (nanosecond time, count) as bigint; 0n when absent. */
export function readU64(v: unknown, what: string): bigint {
  if (v === undefined || v === null || v === '') return 0n;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || !Number.isInteger(v) || v < 0) throw new ItemError(`${what} must be a non-negative integer`);
    return BigInt(v);
  }
  if (typeof v === 'string') {
    if (!/^\d{1,20}$/.test(v)) throw new ItemError(`${what} must be a decimal integer string, got ${JSON.stringify(v.slice(0, 30))}`);
    return BigInt(v);
  }
  if (isLong(v)) return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  throw new ItemError(`${what} must be an integer`);
}

/** A signed 64-bit integer as number when safe, else bigint. */
export function readI64(v: unknown, what: string): number | bigint {
  let b: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new ItemError(`${what} must be an integer`);
    return v;
  }
  if (typeof v === 'string') {
    if (!/^-?\d{1,20}$/.test(v)) throw new ItemError(`${what} must be a decimal integer string`);
    // Up to 15 digits always fits a double exactly: skip the BigInt round trip.
    if (v.length <= 15) return Number(v) || 0; // `|| 0`: no -0
    b = BigInt(v);
  } else if (isLong(v)) {
    b = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    if (!v.unsigned && v.high < 0) b -= 1n << 64n;
  } else if (typeof v === 'bigint') b = v;
  else throw new ItemError(`${what} must be an integer`);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/** A count that must fit a JS number (bucket counts, point counts). */
export function readCount(v: unknown, what: string): number {
  const b = readU64(v, what);
  if (b > BigInt(Number.MAX_SAFE_INTEGER)) throw new ItemError(`${what} is too large`);
  return Number(b);
}

/** A double; OTLP JSON may also spell NaN/Infinity as strings. */
export function readDouble(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new ItemError(`${what} must be a number`);
}

export function readString(v: unknown, what: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new ItemError(`${what} must be a string`);
  return v;
}

/** A string field of telemetry (a name, a message...), cut to the string limit. */
export function readText(v: unknown, what: string, ctx: Ctx): string {
  return clip(readString(v, what), ctx);
}

/** The first `max` elements of a list; the rest are counted as truncated, one each. */
export function firstOf(list: unknown[], max: number, ctx: Ctx): unknown[] {
  if (list.length <= max) return list;
  ctx.batch.truncated += list.length - max;
  return list.slice(0, max);
}

/** An enum given as its integer (or, leniently, its name from `names`). */
export function readEnum(v: unknown, max: number, what: string, names?: readonly string[]): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string' && names) {
    const i = names.indexOf(v);
    if (i >= 0) return i;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw new ItemError(`${what} must be an integer 0..${max}, got ${JSON.stringify(v)}`);
  return v;
}

/** `s` cut to the string limit; a cut is counted in the batch's `truncated`. */
export function clip(s: string, ctx: Ctx): string {
  if (s.length <= ctx.limits.maxValueLength) return s;
  ctx.batch.truncated++;
  return s.slice(0, ctx.limits.maxValueLength);
}

const MAX_DEPTH = 8;

/** An OTLP AnyValue → AttrValue; an empty AnyValue is null. */
export function readAnyValue(v: unknown, ctx: Ctx, depth = 0): AttrValue {
  if (v === undefined || v === null || typeof v !== 'object') return null;
  if (depth > MAX_DEPTH) { ctx.batch.truncated++; return null; }
  const o = v as Record<string, unknown>;
  if (own(o, 'stringValue')) return clip(readString(o.stringValue, 'stringValue'), ctx);
  if (own(o, 'boolValue')) return o.boolValue === true || o.boolValue === 'true';
  if (own(o, 'intValue')) return readI64(o.intValue, 'intValue');
  if (own(o, 'doubleValue')) return readDouble(o.doubleValue, 'doubleValue');
  if (own(o, 'arrayValue')) {
    const vals = (o.arrayValue as { values?: unknown[] } | null)?.values ?? [];
    if (!Array.isArray(vals)) throw new ItemError('arrayValue.values must be an array');
    const n = Math.min(vals.length, ctx.limits.maxAttributes);
    if (n < vals.length) ctx.batch.truncated++;
    const out: AttrValue[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = readAnyValue(vals[i], ctx, depth + 1);
    return out;
  }
  if (own(o, 'kvlistValue')) return readAttributes((o.kvlistValue as { values?: unknown } | null)?.values, ctx, depth + 1);
  if (own(o, 'bytesValue')) {
    const b = o.bytesValue;
    const s = b instanceof Uint8Array ? Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64') : readString(b, 'bytesValue');
    return clip(s, ctx);
  }
  return null;
}

/** A KeyValue list → Attributes, at most `maxAttributes` (the rest counted as truncated). */
export function readAttributes(list: unknown, ctx: Ctx, depth = 0): Attributes {
  const out: Attributes = {};
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new ItemError('attributes must be an array');
  const max = ctx.limits.maxAttributes;
  let kept = 0;
  for (let i = 0; i < list.length; i++) {
    const kv = list[i] as { key?: unknown; value?: unknown } | null;
    if (kv === null || typeof kv !== 'object') throw new ItemError('attribute must be an object');
    if (typeof kv.key !== 'string' || kv.key === '') throw new ItemError('attribute key must be a non-empty string');
    const key = clip(kv.key, ctx);
    const seen = hasOwn.call(out, key);
    if (kept >= max && !seen) { ctx.batch.truncated++; continue; }
    if (!seen) kept++;
    const value = readAnyValue(kv.value, ctx, depth);
    // `__proto__` as a plain assignment would replace the object's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
