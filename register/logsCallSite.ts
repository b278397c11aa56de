// A log record processor that puts the app's call site on log records that come without one
// — the first app frame of the logging call, as the console bridge does — so a pino,
// winston or bunyan line lands on the line that logged it. Records that carry an exception
// keep no call site: the collector places them where the exception was thrown, which the
// stack says and which code.* would override. Runs synchronously inside the logger call
// (the log instrumentations emit while the app's call is on the stack).
import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, SdkLogRecord } from '@opentelemetry/sdk-logs';
import { firstAppFrame } from './stackFrame';

export class LogCallSite implements LogRecordProcessor {
  onEmit(record: SdkLogRecord, _context?: Context): void {
    try {
      const a = record.attributes;
      if (a['code.file.path'] !== undefined || a['code.filepath'] !== undefined) return;
      if (a['exception.stacktrace'] !== undefined || a['exception.type'] !== undefined) return;
      const frame = firstAppFrame(LogCallSite.prototype.onEmit);
      if (!frame) return;
      record.setAttribute('code.file.path', frame.file);
      record.setAttribute('code.line.number', frame.line);
      if (frame.column) record.setAttribute('code.column.number', frame.column);
      if (frame.function) record.setAttribute('code.function.name', frame.function);
    } catch {
      // A call site is a hint; never a reason to lose the record.
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
