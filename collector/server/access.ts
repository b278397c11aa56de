// Who may use which part of the collector's surface. Small exported rules so every
// receiver (OTLP/HTTP here, OTLP/gRPC beside it) applies the same ones:
//   - loopback mode: only requests addressed to a loopback host name (DNS rebinding);
//   - remote mode (--allow-remote, which always has an API key): the key on everything
//     but the public routes (/status*);
//   - /live: the per-collector secret, proved by a client token (live/auth.ts), and never
//     from a browser (a request with an Origin header): pages and webviews cannot read the
//     secret file, and the extension forwards panel requests itself;
//   - /live in remote mode (a team collector): a client with the API key and no token is a
//     team client (a teammate's collector, from another machine, through TLS at a reverse
//     proxy), served the read-only TEAM_METHODS only.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { CollectorConfig } from '../config';
import { AUTH_HEADER, checkClientToken, collectorProof, isNonce, NONCE_HEADER, type NonceLedger } from '../live/auth';
import { isLoopbackHostHeader, keyMatches, presentedKey } from './httpUtil';

/** Header-like view of a request: HTTP headers, or gRPC metadata mapped to the same names. */
export type KeyHeaders = { 'x-vibewatch-key'?: string | string[]; authorization?: string };

/** In remote mode every non-public request needs the API key (configFrom refuses remote mode without one). */
export function requiresApiKey(config: Pick<CollectorConfig, 'allowRemote'>): boolean {
  return config.allowRemote;
}

/** The Host rule: in loopback mode a request must name a loopback host (or none). */
export function hostAllowed(config: Pick<CollectorConfig, 'allowRemote'>, host: string | undefined): boolean {
  return config.allowRemote || isLoopbackHostHeader(host);
}

/** The API-key rule for one request (true when the mode needs no key). */
export function apiKeyAccepted(config: Pick<CollectorConfig, 'allowRemote' | 'apiKey'>, headers: KeyHeaders | IncomingHttpHeaders): boolean {
  return !requiresApiKey(config) || keyMatches(presentedKey(headers), config.apiKey);
}

/** `local`: holds the collector's secret (the extension, the CLI on this machine); `team`: a
 *  remote reader authenticated by the API key alone. */
export type LiveRole = 'local' | 'team';
export type LiveVerdict = { ok: true; role: LiveRole } | { ok: false; status: 401 | 403; reason: string };

/** Decides a /live upgrade: no browser origin, the Host rule, the API key, a fresh token for this port. */
export function liveUpgradeVerdict(req: IncomingMessage, config: Pick<CollectorConfig, 'allowRemote' | 'apiKey'>, secret: string, ledger: NonceLedger, nowMs = Date.now()): LiveVerdict {
  if (req.headers.origin !== undefined) return { ok: false, status: 403, reason: 'browser origins cannot use /live' };
  if (!hostAllowed(config, req.headers.host)) return { ok: false, status: 403, reason: 'not addressed to a loopback host name' };
  if (!apiKeyAccepted(config, req.headers)) return { ok: false, status: 401, reason: 'API key missing or wrong' };
  const token = req.headers[AUTH_HEADER];
  if (token === undefined && requiresApiKey(config)) return { ok: true, role: 'team' };
  const check = checkClientToken(typeof token === 'string' ? token : undefined, secret, req.socket.localPort ?? -1, nowMs);
  if (!check.ok) return { ok: false, status: 401, reason: check.reason };
  if (!ledger.claim(check.nonce, nowMs)) return { ok: false, status: 401, reason: 'token already used' };
  return { ok: true, role: 'local' };
}

/**
 * The proof to add to a response for a client that sent a nonce, bound to the port the
 * request arrived on; none for browser requests (an Origin header) or without a nonce.
 */
export function proofFor(req: IncomingMessage, secret: string): string | undefined {
  const nonce = req.headers[NONCE_HEADER];
  if (req.headers.origin !== undefined || !isNonce(nonce)) return undefined;
  return collectorProof(secret, req.socket.localPort ?? -1, nonce);
}
