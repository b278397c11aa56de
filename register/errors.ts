// Errors and logs the app does not send through console: what start.ts plugs into the SDK.
// Exceptions are recorded on spans (Express's error path, uncaught exceptions, unhandled
// rejections, a 5xx without an exception), logs come from pino/winston/bunyan and NestJS's
// Logger with their call site. VIBEWATCH_ERRORS=0 turns the error capture off, VIBEWATCH_LOGGERS=0 the loggers,
// VIBEWATCH_LOG_CALL_SITES=0 the call site on log records (a stack capture per record).
import { logs } from '@opentelemetry/api-logs';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ExpressErrorsInstrumentation } from './errorsExpress';
import { hookProcessErrors } from './errorsProcess';
import { LogExceptionMarker, ServerErrorStatus } from './errorsServerStatus';
import { LogCallSite } from './logsCallSite';
import { logInstrumentations, resolvableLoggers } from './logsInstrumentations';
import { NestLoggerBridge } from './logsNest';

export interface ErrorCapture {
  spanProcessors: SpanProcessor[];
  logRecordProcessors: LogRecordProcessor[];
  instrumentations: Instrumentation[];
  /** After sdk.start(): the process-level hooks, which log through the global provider. */
  start(): void;
}

const off = (v: string | undefined) => /^(false|0)$/i.test(v ?? '');

export function errorCapture(env: NodeJS.ProcessEnv, appDir: string, warn: (line: string) => void): ErrorCapture {
  const errors = !off(env.VIBEWATCH_ERRORS);
  const loggers = !off(env.VIBEWATCH_LOGGERS);
  return {
    spanProcessors: errors ? [new ServerErrorStatus()] : [],
    logRecordProcessors: [...(off(env.VIBEWATCH_LOG_CALL_SITES) ? [] : [new LogCallSite()]), ...(errors ? [new LogExceptionMarker()] : [])],
    instrumentations: [...(errors ? [new ExpressErrorsInstrumentation()] : []), ...(loggers ? logInstrumentations(appDir, warn) : []), ...(loggers && resolvableLoggers(appDir, ['@nestjs/common']).length ? [new NestLoggerBridge()] : [])],
    start() {
      if (errors) hookProcessErrors(logs.getLogger('vibewatch/errors'));
    },
  };
}
