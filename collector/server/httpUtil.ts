// Small HTTP helpers: bounded body reading (gzip inflated with a streaming limit),
// draining, CORS for loopback origins, API-key check.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import { createGunzip } from 'node:zlib';

/** An HTTP error with its status and the google.rpc code used in a Status body. */
export class HttpError extends Error {
  constructor(readonly status: number, readonly rpcCode: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

export type BodyEncoding = 'gzip' | 'identity';

export function bodyEncoding(req: IncomingMessage): BodyEncoding {
  const raw = (req.headers['content-encoding'] ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'identity') return 'identity';
  if (raw === 'gzip' || raw === 'x-gzip') return 'gzip';
  throw new HttpError(415, 3, `unsupported Content-Encoding ${JSON.stringify(raw)} (use gzip or none)`);
}

const tooLarge = (limit: number) => new HttpError(413, 8, `request body exceeds the limit of ${limit} bytes (after decompression)`, { connection: 'close' });

/**
 * Reads the body, inflating gzip as it streams, and fails with 413 as soon as more than
 * `limit` bytes (compressed or inflated) have arrived — a gzip bomb stops early.
 */
export function readBody(req: IncomingMessage, limit: number, encoding: BodyEncoding): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const fail = (err: Error) => {
      if (done) return;
      done = true;
      req.unpipe();
      reject(err);
    };
    const onData = (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        if (gunzip) gunzip.destroy();
        return fail(tooLarge(limit));
      }
      chunks.push(c);
    };
    const finish = () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    req.on('error', fail);
    req.on('aborted', () => fail(new HttpError(400, 3, 'request aborted')));
    let compressed = 0;
    const gunzip = encoding === 'gzip' ? createGunzip() : undefined;
    if (gunzip) {
      req.on('data', (c: Buffer) => {
        compressed += c.length;
        if (compressed > limit) { gunzip.destroy(); fail(tooLarge(limit)); }
      });
      gunzip.on('data', onData);
      gunzip.on('end', finish);
      gunzip.on('error', (e) => fail(new HttpError(400, 3, `malformed gzip body: ${e.message}`)));
      req.pipe(gunzip);
    } else {
      req.on('data', onData);
      req.on('end', finish);
    }
  });
}

/** Reads and throws away the rest of a request body so the connection can be reused; above `limit` the connection is closed instead. */
export function drain(req: IncomingMessage, limit: number): Promise<boolean> {
  if (req.readableEnded || req.complete) return Promise.resolve(true);
  return new Promise((resolve) => {
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) { req.removeAllListeners('data'); resolve(false); }
    });
    req.on('end', () => resolve(true));
    req.on('error', () => resolve(false));
  });
}

export function isLoopbackOrigin(origin: string): boolean {
  try {
    const u = new URL(origin);
    const h = u.hostname;
    return (u.protocol === 'http:' || u.protocol === 'https:') && (h === 'localhost' || h === '[::1]' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h));
  } catch {
    return false; // not a URL, so not a loopback origin
  }
}

/** Adds CORS headers for loopback origins; returns false when an Origin is present and not allowed. */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  if (!isLoopbackOrigin(origin)) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-methods', 'POST, GET, OPTIONS');
  res.setHeader('access-control-allow-headers', 'content-type, content-encoding, x-vibewatch-key, authorization');
  res.setHeader('access-control-max-age', '600');
  return true;
}

/** The API key sent as `x-vibewatch-key` or `Authorization: Bearer`. */
export function presentedKey(headers: Pick<IncomingMessage['headers'], 'authorization'> & { 'x-vibewatch-key'?: string | string[] }): string | undefined {
  const k = headers['x-vibewatch-key'];
  if (typeof k === 'string' && k) return k;
  const auth = headers.authorization;
  if (typeof auth === 'string' && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
  return undefined;
}

/**
 * The Host header names a loopback address (or is absent). In loopback mode anything else
 * is a DNS-rebinding attempt: a page whose name resolves to 127.0.0.1 must not read us.
 */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return true;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return name === 'localhost' || name === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/** Compares a presented API key with the configured one in constant time. */
export function keyMatches(presented: string | undefined, expected: string | undefined): boolean {
  if (!presented || !expected) return false;
  const digest = (k: string) => createHash('sha256').update(k).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
