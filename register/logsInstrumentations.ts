// Log records from the loggers apps use, through the maintained OpenTelemetry log
// instrumentations (pino, winston with @opentelemetry/winston-transport, bunyan). Each is
// loaded only when the app can resolve its logger, so an app without it pays nothing.
// Log correlation (trace_id fields added to the app's own output) is off: the app's output
// stays as it was; the OTLP records carry the trace context anyway.
import type { Instrumentation } from '@opentelemetry/instrumentation';

type Make = () => Instrumentation;

const LOGGERS: Record<string, Make> = {
  pino: () => {
    const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
    return new PinoInstrumentation({ disableLogCorrelation: true });
  },
  winston: () => {
    const { WinstonInstrumentation } = require('@opentelemetry/instrumentation-winston') as typeof import('@opentelemetry/instrumentation-winston');
    return new WinstonInstrumentation({ disableLogCorrelation: true });
  },
  bunyan: () => {
    const { BunyanInstrumentation } = require('@opentelemetry/instrumentation-bunyan') as typeof import('@opentelemetry/instrumentation-bunyan');
    return new BunyanInstrumentation({ disableLogCorrelation: true });
  },
};

/** Module names (LOGGERS' by default) that resolve from `appDir` (node_modules above it, NODE_PATH). */
export function resolvableLoggers(appDir: string, names: string[] = Object.keys(LOGGERS)): string[] {
  return names.filter((name) => {
    try {
      require.resolve(name, { paths: [appDir] });
      return true;
    } catch {
      return false;
    }
  });
}

export function logInstrumentations(appDir: string, warn: (line: string) => void): Instrumentation[] {
  const out: Instrumentation[] = [];
  for (const name of resolvableLoggers(appDir)) {
    try {
      out.push(LOGGERS[name]());
    } catch (err) {
      warn(`[vibewatch] ${name} logs not captured: ${(err as Error).message}`);
    }
  }
  return out;
}
