// Proofs of the per-collector secret (see secretFile.ts for where the secret lives).
// The secret itself never crosses the wire: both directions send an HMAC-SHA256 of a fresh
// nonce, labelled per direction (a proof the collector gives can never serve as a client
// token) and bound to the port the client dialled, so a process on another port that
// relays a handshake to the real collector gets a token the real collector refuses.
//
//   client → collector  (ws upgrade of /live)  x-vibewatch-auth: v1.<timeMs>.<nonce>.<mac>
//   collector → client  (101 response, and GET /health with x-vibewatch-nonce)
//                       x-vibewatch-proof: <mac>
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const AUTH_HEADER = 'x-vibewatch-auth';
export const NONCE_HEADER = 'x-vibewatch-nonce';
export const PROOF_HEADER = 'x-vibewatch-proof';
/** How far a client token's clock may be from the collector's. */
export const TOKEN_MAX_SKEW_MS = 60_000;

const LABEL = { client: 'vibewatch-live-client/v1', collector: 'vibewatch-collector-proof/v1' } as const;
const NONCE_RE = /^[A-Za-z0-9_-]{16,64}$/;

/** 32 random bytes, hex: the secret a collector generates at every start. */
export function generateSecret(): string {
  return randomBytes(32).toString('hex');
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

function mac(secret: string, label: string, parts: (string | number)[]): string {
  return createHmac('sha256', secret).update([label, ...parts].join('\n')).digest('base64url');
}

function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The token a client sends on the /live upgrade to the collector it dialled on `port`. */
export function clientToken(secret: string, port: number, nowMs = Date.now(), nonce = newNonce()): string {
  return `v1.${nowMs}.${nonce}.${mac(secret, LABEL.client, [port, nowMs, nonce])}`;
}

export type TokenCheck = { ok: true; nonce: string } | { ok: false; reason: string };

/** Checks a client token against the secret and the port this connection arrived on. */
export function checkClientToken(token: string | undefined, secret: string, localPort: number, nowMs = Date.now()): TokenCheck {
  if (!token) return { ok: false, reason: 'no token' };
  const parts = token.split('.');
  if (parts.length !== 4 || parts[0] !== 'v1' || !/^\d{1,16}$/.test(parts[1]) || !NONCE_RE.test(parts[2])) return { ok: false, reason: 'malformed token' };
  const time = Number(parts[1]);
  if (Math.abs(nowMs - time) > TOKEN_MAX_SKEW_MS) return { ok: false, reason: 'token too old or from the future' };
  if (!sameMac(parts[3], mac(secret, LABEL.client, [localPort, time, parts[2]]))) return { ok: false, reason: 'wrong token' };
  return { ok: true, nonce: parts[2] };
}

/** What the collector answers to a client's nonce: evidence it holds the secret. */
export function collectorProof(secret: string, port: number, nonce: string): string {
  return mac(secret, LABEL.collector, [port, nonce]);
}

export function checkCollectorProof(proof: string | undefined, secret: string, port: number, nonce: string): boolean {
  return !!proof && sameMac(proof, collectorProof(secret, port, nonce));
}

/** A nonce the client may ask the collector to prove against (bounded, URL-safe). */
export function isNonce(v: unknown): v is string {
  return typeof v === 'string' && NONCE_RE.test(v);
}

/**
 * Remembers the nonces of accepted tokens for as long as they are fresh, so a token is
 * accepted once. Bounded: when full, the oldest entries go first (they expire first too).
 */
export class NonceLedger {
  private readonly seen = new Map<string, number>();

  constructor(private readonly max = 10_000) {}

  /** True the first time `nonce` is offered within the freshness window. */
  claim(nonce: string, nowMs = Date.now()): boolean {
    for (const [n, t] of this.seen) {
      if (nowMs - t <= 2 * TOKEN_MAX_SKEW_MS && this.seen.size < this.max) break;
      this.seen.delete(n);
    }
    if (this.seen.has(nonce)) return false;
    this.seen.set(nonce, nowMs);
    return true;
  }
}
