// Database spans for better-sqlite3 (SQLite embedded, synchronous), which no maintained
// OpenTelemetry package instruments. Patches `Database.prototype.prepare` and `.exec` on
// the module the app requires, and `run/get/all/iterate` on the Statement prototype (not
// exported: taken from the first prepared statement). Each call is one CLIENT span with
// `db.system.name=sqlite` (and the older `db.system`) and `db.query.text`, started in the
// caller's stack so CodeLocationProcessor places it on the app line that ran it.
// `iterate` is traced until the iterator is created, not while the app consumes it.
// Under a query builder or ORM whose maintained instrumentation already made the query's
// span (knex's `first authors` around its `prepare` + `all`), no span of ours is made: one
// database span per query, so the N+1 detector, slow queries and lenses count it once. The
// outer span is the one kept because it is what the app called (the issuing line, the
// builder's operation and table); the driver's calls under it add nothing a user acts on.
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { describeQuery } from './sqlJs';

const MAX_QUERY = 2048;
const SCOPE = 'vibewatch-instrumentation-better-sqlite3';
const PATCHED = Symbol.for('vibewatch.better-sqlite3.patched');

type Fn = (this: unknown, ...args: unknown[]) => unknown;
interface Proto {
  [name: string]: unknown;
  [PATCHED]?: true;
}
interface DatabaseCtor {
  prototype: Proto;
}

/** True when the active span is a database span another instrumentation started (the query's own span). */
function insideForeignQuerySpan(): boolean {
  const active = trace.getActiveSpan() as { attributes?: Record<string, unknown>; instrumentationScope?: { name?: string } } | undefined;
  const a = active?.attributes;
  if (!a || active.instrumentationScope?.name === SCOPE) return false;
  return a['db.system.name'] !== undefined || a['db.system'] !== undefined;
}

export function traceCall(tracer: Tracer, op: string, sql: string, original: Fn, self: unknown, args: unknown[]): unknown {
  if (insideForeignQuerySpan()) return original.apply(self, args);
  const { operation, table } = describeQuery(sql);
  const span = tracer.startSpan(table ? `${operation} ${table}` : operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'sqlite',
      'db.system': 'sqlite',
      'db.query.text': sql.length > MAX_QUERY ? sql.slice(0, MAX_QUERY) : sql,
      'db.statement': sql.length > MAX_QUERY ? sql.slice(0, MAX_QUERY) : sql,
      'db.operation.name': operation,
      'vibewatch.sqlite.call': op,
      ...(table ? { 'db.collection.name': table } : {}),
    },
  });
  try {
    return context.with(trace.setSpan(context.active(), span), () => original.apply(self, args));
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
    throw err;
  } finally {
    span.end();
  }
}

export class BetterSqlite3Instrumentation extends InstrumentationBase {
  constructor() {
    super(SCOPE, '0.1.0', {});
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition('better-sqlite3', ['>=9 <13'], (exports: DatabaseCtor) => {
      this.patchDatabase(exports.prototype);
      return exports;
    });
  }

  private patchDatabase(proto: Proto): void {
    if (proto[PATCHED]) return;
    proto[PATCHED] = true;
    const tracer = () => this.tracer;
    const patchStatement = (stmt: unknown) => {
      if (!stmt || typeof stmt !== 'object') return;
      const sp = Object.getPrototypeOf(stmt) as Proto;
      if (sp[PATCHED]) return;
      sp[PATCHED] = true;
      for (const name of ['run', 'get', 'all', 'iterate']) {
        const original = sp[name] as Fn | undefined;
        if (typeof original !== 'function') continue;
        sp[name] = function (this: { source?: string }, ...args: unknown[]) {
          return typeof this.source === 'string' ? traceCall(tracer(), name, this.source, original, this, args) : original.apply(this, args);
        };
      }
    };
    const prepare = proto.prepare as Fn;
    proto.prepare = function (this: unknown, ...args: unknown[]) {
      const stmt = typeof args[0] === 'string' ? traceCall(tracer(), 'prepare', args[0], prepare, this, args) : prepare.apply(this, args);
      patchStatement(stmt);
      return stmt;
    };
    const exec = proto.exec as Fn;
    proto.exec = function (this: unknown, ...args: unknown[]) {
      return typeof args[0] === 'string' ? traceCall(tracer(), 'exec', args[0], exec, this, args) : exec.apply(this, args);
    };
  }
}
