// Database spans for sql.js (SQLite compiled to WebAssembly), which no OpenTelemetry
// package instruments. Patches `Database.prototype.exec` and `.run` on the module that
// `initSqlJs()` resolves to. Each call is one CLIENT span with `db.system.name=sqlite` and
// `db.query.text`, started in the caller's stack, so CodeLocationProcessor places it on the
// app line that ran the query (what the collector's N+1 and slow-query detectors need).
// Prepared statements (`prepare/step/free`) are not traced: their lifetime is the app's.
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';

const MAX_QUERY = 2048;
const PATCHED = Symbol.for('vibewatch.sqljs.patched');

type QueryFn = (this: unknown, sql: string, params?: unknown) => unknown;
interface DatabaseProto {
  exec: QueryFn;
  run: QueryFn;
  [PATCHED]?: true;
}
type InitSqlJs = ((config?: unknown) => Promise<{ Database: { prototype: DatabaseProto } }>) & { default?: unknown };

/** `SELECT`, and the first table after FROM/INTO/UPDATE, for the span name. */
export function describeQuery(sql: string): { operation: string; table?: string } {
  const text = sql.trim();
  const operation = (/^\w+/.exec(text)?.[0] ?? 'QUERY').toUpperCase();
  const table = /\b(?:from|into|update|table(?:\s+if\s+(?:not\s+)?exists)?)\s+["`[]?(\w+)/i.exec(text)?.[1];
  return table ? { operation, table } : { operation };
}

export class SqlJsInstrumentation extends InstrumentationBase {
  constructor() {
    super('vibewatch-instrumentation-sql.js', '0.1.0', {});
  }

  protected init() {
    return new InstrumentationNodeModuleDefinition('sql.js', ['>=1.0.0 <2'], (exports: InitSqlJs) => this.patchInit(exports));
  }

  private patchInit(original: InitSqlJs): InitSqlJs {
    const self = this;
    const patched = function (this: unknown, config?: unknown) {
      return original.call(this, config).then((SQL) => {
        self.patchDatabase(SQL.Database.prototype);
        return SQL;
      });
    } as InitSqlJs;
    patched.default = patched;
    return patched;
  }

  private patchDatabase(proto: DatabaseProto): void {
    if (proto[PATCHED]) return;
    proto[PATCHED] = true;
    proto.exec = this.traced(proto.exec);
    proto.run = this.traced(proto.run);
  }

  private traced(original: QueryFn): QueryFn {
    const tracer = () => this.tracer;
    return function tracedQuery(this: unknown, sql: string, params?: unknown) {
      if (typeof sql !== 'string') return original.call(this, sql, params);
      const { operation, table } = describeQuery(sql);
      const span = tracer().startSpan(table ? `${operation} ${table}` : operation, {
        kind: SpanKind.CLIENT,
        attributes: {
          'db.system.name': 'sqlite',
          'db.query.text': sql.length > MAX_QUERY ? sql.slice(0, MAX_QUERY) : sql,
          'db.operation.name': operation,
          ...(table ? { 'db.collection.name': table } : {}),
        },
      });
      try {
        return context.with(trace.setSpan(context.active(), span), () => original.call(this, sql, params));
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        throw err;
      } finally {
        span.end();
      }
    };
  }
}
