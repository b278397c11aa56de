// Who may send to the collector: the loopback and API-key rules shared by the HTTP server
// (OTLP/HTTP, /live, routes) and the OTLP/gRPC receiver, so both surfaces enforce one policy.
import type { CollectorConfig } from '../config';
import { isLoopbackHostHeader, keyMatches, presentedKey } from './httpUtil';

type AccessConfig = Pick<CollectorConfig, 'allowRemote' | 'apiKey'>;
/** Header-like view of a request: HTTP headers, or gRPC metadata mapped to the same names. */
export type KeyHeaders = { 'x-vibewatch-key'?: string | string[]; authorization?: string };

/** Remote mode with a key: every request must present it. */
export function requiresApiKey(config: AccessConfig): boolean {
  return config.allowRemote && !!config.apiKey;
}

/** The request presents the configured key, or none is required. */
export function keyAccepted(config: AccessConfig, headers: KeyHeaders): boolean {
  return !requiresApiKey(config) || keyMatches(presentedKey(headers), config.apiKey);
}

/** In loopback mode the request must be addressed to a loopback name (Host / :authority),
 *  so a DNS-rebound name cannot reach us. */
export function hostAccepted(config: AccessConfig, host: string | undefined): boolean {
  return config.allowRemote || isLoopbackHostHeader(host);
}
