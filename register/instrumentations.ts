// Which maintained OpenTelemetry instrumentations the app gets: one per module it can
// actually load (require.resolve from the app's folder or the working directory), so an
// Express app does not pay for the mongodb, graphql or redis patches at startup. Each
// instrumentation package is required only when its module resolves (esbuild keeps the
// bundled module lazy until that require runs). Our own patches (better-sqlite3, sql.js,
// route call sites) exist only where no maintained instrumentation does.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';

export interface Candidate {
  /** Module name the app would require; the instrumentation loads only if it resolves. */
  module: string;
  /** A web framework that names its routes (so no route is inferred from the URL). */
  framework?: boolean;
  /** Packages that bring their own copy of `module` (NestJS's Express adapter): it counts as
   *  loadable when it resolves from one of them, as under pnpm or a version conflict. */
  via?: string[];
  load(): Instrumentation;
}

/* eslint-disable @typescript-eslint/no-require-imports */
export const CANDIDATES: Candidate[] = [
  { module: 'express', framework: true, via: ['@nestjs/platform-express'], load: () => new (require('@opentelemetry/instrumentation-express').ExpressInstrumentation)() },
  { module: 'fastify', framework: true, load: () => new (require('@fastify/otel').FastifyOtelInstrumentation)({ registerOnInitialization: true }) },
  { module: 'koa', framework: true, load: () => new (require('@opentelemetry/instrumentation-koa').KoaInstrumentation)() },
  { module: '@nestjs/core', framework: true, load: () => new (require('@opentelemetry/instrumentation-nestjs-core').NestInstrumentation)() },
  { module: 'pg', load: () => new (require('@opentelemetry/instrumentation-pg').PgInstrumentation)() },
  { module: 'mysql2', load: () => new (require('@opentelemetry/instrumentation-mysql2').MySQL2Instrumentation)() },
  { module: 'mongodb', load: () => new (require('@opentelemetry/instrumentation-mongodb').MongoDBInstrumentation)() },
  { module: 'mongoose', load: () => new (require('@opentelemetry/instrumentation-mongoose').MongooseInstrumentation)() },
  { module: 'ioredis', load: () => new (require('@opentelemetry/instrumentation-ioredis').IORedisInstrumentation)() },
  { module: 'redis', load: () => new (require('@opentelemetry/instrumentation-redis').RedisInstrumentation)() },
  { module: '@redis/client', load: () => new (require('@opentelemetry/instrumentation-redis').RedisInstrumentation)() },
  { module: 'knex', load: () => new (require('@opentelemetry/instrumentation-knex').KnexInstrumentation)() },
  { module: 'graphql', load: () => new (require('@opentelemetry/instrumentation-graphql').GraphQLInstrumentation)({ mergeItems: true }) },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** True when `name` resolves from one of `dirs` (a package.json there stands in for the app's files). */
export function resolvable(name: string, dirs: string[]): boolean {
  for (const dir of dirs) {
    try {
      createRequire(join(dir, 'noop.js')).resolve(name);
      return true;
    } catch {
      // not from this folder; try the next one
    }
  }
  return false;
}

/** True when `name` resolves from the folder of package `via` as the app resolves it. */
export function resolvableVia(via: string, name: string, dirs: string[]): boolean {
  for (const dir of dirs) {
    let manifest: string;
    try {
      manifest = createRequire(join(dir, 'noop.js')).resolve(`${via}/package.json`);
    } catch {
      continue; // `via` is not the app's dependency from this folder
    }
    if (resolvable(name, [dirname(manifest)])) return true;
  }
  return false;
}

export interface Selection {
  instrumentations: Instrumentation[];
  modules: string[];
  framework: boolean;
}

/** The instrumentations for the modules the app can load; a package that fails to load is
 *  one warning, never a failed start. One instance per package (redis and @redis/client share). */
export function selectInstrumentations(dirs: string[], warn: (line: string) => void, candidates: Candidate[] = CANDIDATES): Selection {
  const out: Selection = { instrumentations: [], modules: [], framework: false };
  const loaded = new Set<Function>();
  for (const c of candidates) {
    if (!resolvable(c.module, dirs) && !(c.via ?? []).some((v) => resolvableVia(v, c.module, dirs))) continue;
    try {
      const inst = c.load();
      if (loaded.has(inst.constructor)) continue;
      loaded.add(inst.constructor);
      out.instrumentations.push(inst);
      out.modules.push(c.module);
      if (c.framework) out.framework = true;
    } catch (err) {
      warn(`[vibewatch] not instrumenting ${c.module}: ${(err as Error).message}`);
    }
  }
  return out;
}
