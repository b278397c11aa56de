// Resource and scope conversion, including the service name and running revision.
import { revisionOf } from '../model/revision';
import type { Resource, Scope } from '../model/types';
import { clip, readAttributes, type Ctx } from './values';

export function readResource(r: unknown, ctx: Ctx): Resource {
  const attributes = readAttributes((r as { attributes?: unknown } | null | undefined)?.attributes, ctx);
  const name = attributes['service.name'];
  const resource: Resource = { attributes, serviceName: typeof name === 'string' && name !== '' ? name : 'unknown_service' };
  const revision = revisionOf(attributes);
  if (revision) resource.revision = revision;
  return resource;
}

export function readScope(s: unknown, ctx: Ctx): Scope {
  const o = (s ?? {}) as { name?: unknown; version?: unknown };
  const scope: Scope = { name: typeof o.name === 'string' ? clip(o.name, ctx) : '' };
  const version = typeof o.version === 'string' ? clip(o.version, ctx) : '';
  if (version) scope.version = version;
  return scope;
}

/** Iterate `list` (an array or absent) or fail the whole request when it is something else. */
export function arrayOf(list: unknown, what: string): unknown[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new TypeError(`${what} must be an array`);
  return list;
}
