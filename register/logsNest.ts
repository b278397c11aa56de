// Our own bridge for NestJS's built-in logger (no maintained OpenTelemetry package covers
// it): Nest's ConsoleLogger writes to process.stdout/stderr itself, so neither the console
// bridge nor a log instrumentation sees it — including the stack Nest's exception filter
// logs for every unhandled error. Each enabled log/error/warn/debug/verbose/fatal call of
// ConsoleLogger (what `new Logger(ctx)` and `Logger.log` delegate to by default) becomes an
// OTLP log record with the active trace context, `nest.context`, and for an error with a
// stack `exception.type/message/stacktrace` (the collector places that record at the throw
// site; LogCallSite gives the others their call site). Nest's own output is unchanged.
import { logs, SeverityNumber } from '@opentelemetry/api-logs';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { format } from 'node:util';

const LEVELS = {
  verbose: [SeverityNumber.TRACE, 'VERBOSE'],
  debug: [SeverityNumber.DEBUG, 'DEBUG'],
  log: [SeverityNumber.INFO, 'LOG'],
  warn: [SeverityNumber.WARN, 'WARN'],
  error: [SeverityNumber.ERROR, 'ERROR'],
  fatal: [SeverityNumber.FATAL, 'FATAL'],
} as const;
type Level = keyof typeof LEVELS;
const PATCHED = Symbol.for('vibewatch.nest-logger.patched');

interface NestConsoleLogger {
  [PATCHED]?: true;
  [level: string]: unknown;
  isLevelEnabled?(level: string): boolean;
  getContextAndMessagesToPrint?(args: unknown[]): { messages: unknown[]; context?: string };
  getContextAndStackAndMessagesToPrint?(args: unknown[]): { messages: unknown[]; context?: string; stack?: unknown };
}

export class NestLoggerBridge extends InstrumentationBase {
  constructor() {
    super('vibewatch-nest-logger', '1.0.0', {});
  }

  protected init() {
    return [
      new InstrumentationNodeModuleDefinition('@nestjs/common', ['>=8 <12'], (exports: { ConsoleLogger?: { prototype: NestConsoleLogger } }) => {
        const proto = exports?.ConsoleLogger?.prototype;
        if (proto && !proto[PATCHED]) patchConsoleLogger(proto);
        return exports;
      }),
    ];
  }
}

export function patchConsoleLogger(proto: NestConsoleLogger): void {
  proto[PATCHED] = true;
  const logger = logs.getLogger('nestjs-logger');
  for (const level of Object.keys(LEVELS) as Level[]) {
    const original = proto[level];
    if (typeof original !== 'function') continue;
    proto[level] = function (this: NestConsoleLogger, ...args: unknown[]) {
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      try {
        if (this.isLevelEnabled?.(level) !== false) emit(logger, this, level, args);
      } catch {
        // A log copy is never worth an app failure.
      }
      return result;
    };
  }
}

function emit(logger: ReturnType<typeof logs.getLogger>, self: NestConsoleLogger, level: Level, args: unknown[]): void {
  const split = level === 'error' && self.getContextAndStackAndMessagesToPrint
    ? self.getContextAndStackAndMessagesToPrint(args)
    : self.getContextAndMessagesToPrint?.(args) ?? { messages: args };
  const { messages, context } = split;
  const stack = 'stack' in split ? split.stack : undefined;
  const attributes: AnyValueMap = {};
  if (context) attributes['nest.context'] = context;
  const error = messages.find((m): m is Error => m instanceof Error);
  if (error) {
    attributes['exception.type'] = error.name || 'Error';
    attributes['exception.message'] = error.message;
    if (error.stack) attributes['exception.stacktrace'] = error.stack;
  } else if (typeof stack === 'string' && /\n\s+at /.test(stack)) {
    // Nest's exception filter logs (exception.message, exception.stack).
    const head = /^([A-Za-z_$][\w$.]*)(?:: ([^\n]*))?/.exec(stack);
    attributes['exception.type'] = head?.[1] ?? 'Error';
    attributes['exception.message'] = head?.[2] ?? String(messages[0] ?? '');
    attributes['exception.stacktrace'] = stack;
  }
  const [severityNumber, severityText] = LEVELS[level];
  const body = messages.map((m) => (typeof m === 'string' ? m : format('%o', m))).join(' ');
  logger.emit({ severityNumber, severityText, body, attributes });
}
