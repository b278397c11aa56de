// Uncaught exceptions and unhandled rejections, recorded on the active span (when the
// failure happened inside a request) and sent as an ERROR log record with exception.* and
// the trace context (the log is exported even when the request span never ends; the
// collector counts a span event and a log of the same exception in one span once).
// The app's crash behaviour is unchanged: 'uncaughtExceptionMonitor' observes without
// handling, and our 'unhandledRejection' listener exists only while the app has one of its
// own (a listener is what stops Node from crashing on a rejection) or when
// --unhandled-rejections=warn|none makes listeners irrelevant to the crash.
import type { Logger } from '@opentelemetry/api-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { alreadyRecorded, recordError } from './errorsRecord';

export interface ProcessErrorHooks {
  restore(): void;
}

export function hookProcessErrors(logger: Logger, proc: NodeJS.Process = process): ProcessErrorHooks {
  const seen = (err: unknown, what: string, severityNumber: SeverityNumber) => {
    try {
      const first = !alreadyRecorded(err);
      recordError(err);
      if (first) emitLog(logger, err, what, severityNumber);
    } catch {
      // Observing must never change what the process does with its error.
    }
  };
  const onMonitor = (err: unknown, origin: string) =>
    seen(err, origin === 'unhandledRejection' ? 'Unhandled rejection' : 'Uncaught exception', SeverityNumber.FATAL);
  const onRejection = (reason: unknown) => seen(reason, 'Unhandled rejection', SeverityNumber.ERROR);
  proc.on('uncaughtExceptionMonitor', onMonitor);

  const flags = [...proc.execArgv, proc.env.NODE_OPTIONS ?? ''].join(' ');
  const listenersIrrelevant = /--unhandled-rejections[= ](warn|none)\b/.test(flags);
  let ours = false;
  const appListeners = () => proc.listenerCount('unhandledRejection') - (ours ? 1 : 0);
  const sync = () => {
    const want = listenersIrrelevant || appListeners() > 0;
    if (want && !ours) {
      ours = true;
      proc.prependListener('unhandledRejection', onRejection);
    } else if (!want && ours) {
      ours = false;
      proc.removeListener('unhandledRejection', onRejection);
    }
  };
  const onNew = (event: string | symbol) => {
    // 'newListener' fires before the listener is added: decide once it is there.
    if (event === 'unhandledRejection') queueMicrotask(sync);
  };
  const onRemoved = (event: string | symbol) => {
    if (event === 'unhandledRejection') sync();
  };
  proc.on('newListener', onNew);
  proc.on('removeListener', onRemoved);
  sync();
  return {
    restore() {
      proc.removeListener('uncaughtExceptionMonitor', onMonitor);
      proc.removeListener('newListener', onNew);
      proc.removeListener('removeListener', onRemoved);
      if (ours) proc.removeListener('unhandledRejection', onRejection);
      ours = false;
    },
  };
}

function emitLog(logger: Logger, err: unknown, what: string, severityNumber: SeverityNumber): void {
  const e = err instanceof Error ? err : undefined;
  const message = e ? e.message : String(err);
  logger.emit({
    severityNumber,
    severityText: severityNumber === SeverityNumber.FATAL ? 'FATAL' : 'ERROR',
    body: `${what}: ${message}`,
    attributes: {
      'exception.type': e ? e.name || e.constructor?.name || 'Error' : typeof err,
      'exception.message': message,
      ...(e?.stack ? { 'exception.stacktrace': e.stack } : {}),
    },
  });
}
