// A low-cardinality `http.route` for incoming requests of apps without a router that sets
// one (plain node:http): the path with id-like segments replaced by `:id`. The collector
// keys endpoints on `http.route`, so without this every GET of a node:http app would be one
// endpoint. Marked `vibewatch.route.inferred=true` so nobody mistakes it for the app's own.
// Never in an app that loaded a web framework we instrument: there the framework names the
// routes, and a request no route matched keeps no http.route (one endpoint, not one per URL).
import type { Span } from '@opentelemetry/api';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';

const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8,}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{24,})$/i;
const MAX_SEGMENTS = 8;

let frameworkLoaded = false;
/** Called when the app loads Express, Fastify or Koa (routeSites.ts). */
export function markFrameworkLoaded(): void {
  frameworkLoaded = true;
}

export function inferRoute(url: string): string {
  const path = url.split(/[?#]/, 1)[0] || '/';
  const segments = path.split('/').slice(1, MAX_SEGMENTS + 1);
  return '/' + segments.map((s) => (ID_SEGMENT.test(s) ? ':id' : s)).join('/');
}

/** instrumentation-http's `applyCustomAttributesOnSpan` (runs when the response is done). */
export function applyInferredRoute(span: Span, request: ClientRequest | IncomingMessage, _response: IncomingMessage | ServerResponse): void {
  const attrs = (span as unknown as { attributes?: Record<string, unknown>; kind?: number }).attributes;
  if (frameworkLoaded || !attrs || attrs['http.route'] !== undefined) return;
  const incoming = request as IncomingMessage;
  if (typeof incoming.url !== 'string' || typeof incoming.method !== 'string' || !('httpVersion' in incoming)) return; // client spans
  const route = inferRoute(incoming.url);
  span.setAttribute('http.route', route);
  span.setAttribute('vibewatch.route.inferred', true);
  span.updateName(`${incoming.method} ${route}`);
}
