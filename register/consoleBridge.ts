// Turns the app's console output into OTLP log records, with the active trace context (the
// logs SDK reads it from the current context), and either the code location of the call
// or — when an Error is among the arguments — `exception.type/message/stacktrace` (what
// the collector's error grouping reads, and where it places the record). The original
// console output is unchanged.
import { format } from 'node:util';
import type { Logger } from '@opentelemetry/api-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import { firstAppFrame } from './stackFrame';

const LEVELS = {
  debug: [SeverityNumber.DEBUG, 'DEBUG'],
  log: [SeverityNumber.INFO, 'INFO'],
  info: [SeverityNumber.INFO, 'INFO'],
  warn: [SeverityNumber.WARN, 'WARN'],
  error: [SeverityNumber.ERROR, 'ERROR'],
} as const;
type Level = keyof typeof LEVELS;

export interface ConsoleBridge {
  emitted: number;
  restore(): void;
}

export function bridgeConsole(logger: Logger, target: Console = console): ConsoleBridge {
  const bridge: ConsoleBridge = { emitted: 0, restore: () => {} };
  const originals = new Map<Level, (...a: unknown[]) => void>();
  let inside = false; // an exporter that logs while we emit must not loop back into us
  for (const level of Object.keys(LEVELS) as Level[]) {
    const original = target[level] as (...a: unknown[]) => void;
    originals.set(level, original);
    const wrapped = function (this: Console, ...args: unknown[]) {
      original.apply(this, args);
      if (inside) return;
      inside = true;
      try {
        emit(logger, level, args, wrapped);
        bridge.emitted++;
      } catch (err) {
        process.stderr.write(`[vibewatch] console bridge failed: ${(err as Error).message}\n`);
      } finally {
        inside = false;
      }
    };
    target[level] = wrapped as Console[Level];
  }
  bridge.restore = () => {
    for (const [level, fn] of originals) target[level] = fn as Console[Level];
  };
  return bridge;
}

function emit(logger: Logger, level: Level, args: unknown[], below: Function): void {
  const [severityNumber, severityText] = LEVELS[level];
  const attributes: AnyValueMap = {};
  const error = args.find((a): a is Error => a instanceof Error);
  if (error) {
    attributes['exception.type'] = error.name || error.constructor?.name || 'Error';
    attributes['exception.message'] = error.message;
    if (error.stack) attributes['exception.stacktrace'] = error.stack;
  }
  // With an exception, the place to show is where it was thrown, which its stack says; the
  // collector reads code.* before the stack, so the console call site must not be set then.
  const frame = error ? undefined : firstAppFrame(below);
  if (frame) {
    attributes['code.file.path'] = frame.file;
    attributes['code.line.number'] = frame.line;
    if (frame.column) attributes['code.column.number'] = frame.column;
    if (frame.function) attributes['code.function.name'] = frame.function;
  }
  logger.emit({ severityNumber, severityText, body: format(...args), attributes });
}
