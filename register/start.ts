// Starts the OpenTelemetry Node SDK for the app this process runs: resource (service name,
// git revision), OTLP/HTTP exporters to the local collector, http/undici plus the
// maintained instrumentations of the modules the app can load (instrumentations.ts), our
// better-sqlite3/sql.js patches and route call sites, code locations on spans, console → logs, memory gauges. Every step is
// guarded: instrumentation must never be the reason an app fails to start or crashes.
import { dirname } from 'node:path';
import { metrics } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { appDir, gitRevision, packageName } from './config';
import { ExportHealth, logExporter, metricExporter, traceExporter } from './exporters';
import { CodeLocationProcessor } from './codeLocation';
import { LocationCache } from './locationCache';
import { makeResponseHook } from './serverLocation';
import { selectInstrumentations } from './instrumentations';
import { ExpressRouteSiteInstrumentation, KoaRouteSiteInstrumentation, watchFastifyRoutes } from './routeSites';
import { NestRouteSiteInstrumentation } from './routeSitesNest';
import { PgPoolCallSiteInstrumentation } from './callSite';
import { SqlJsInstrumentation } from './sqlJs';
import { BetterSqlite3Instrumentation } from './betterSqlite3';
import { applyInferredRoute } from './route';
import { registerRuntimeMetrics } from './runtimeMetrics';
import { bridgeConsole } from './consoleBridge';
import type { ConsoleBridge } from './consoleBridge';
import { setOwnFolders } from './stackFrame';
import { errorCapture } from './errors'; // errors + logger bridges (register/errors*.ts, logs*.ts)
import { endOpenServerSpans } from './errorsRecord';
import { flushOnExit, settling, UndeliveredLogs, UndeliveredSpans } from './exitFlush';

export interface Vibewatch {
  sdk: NodeSDK;
  health: ExportHealth;
  locations: CodeLocationProcessor;
  console?: ConsoleBridge;
  serviceName: string;
  revision?: string;
  shutdown(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Where warnings go; one line each. */
  warn?: (line: string) => void;
  /** Folder of the register code itself, whose frames are never "the app". */
  ownFolder: string;
}

const DEFAULT_METRIC_INTERVAL_MS = 10_000;

export function startVibewatch(opts: StartOptions): Vibewatch | undefined {
  const env = opts.env ?? process.env;
  const warn = opts.warn ?? ((line: string) => process.stderr.write(line + '\n'));
  if (/^(true|1)$/i.test(env.OTEL_SDK_DISABLED ?? '')) return undefined;
  setOwnFolders([opts.ownFolder]);

  const dir = appDir();
  // Precedence as the spec has it: OTEL_SERVICE_NAME, then service.name in
  // OTEL_RESOURCE_ATTRIBUTES (the SDK's env detector reads it), then package.json.
  const fromResourceEnv = /(?:^|,)\s*service\.name\s*=\s*([^,]+)/.exec(env.OTEL_RESOURCE_ATTRIBUTES ?? '')?.[1]?.trim();
  const serviceName = env.OTEL_SERVICE_NAME || fromResourceEnv || packageName(dir) || 'unknown_service:node';
  const revision = gitRevision(dir);
  const health = new ExportHealth(warn);
  // Exact by default (one capture per span). VIBEWATCH_CODE_LOCATIONS=sampled opts into the
  // LocationCache (fewer captures; a site that changes for one key can be stale for a few spans).
  const locations = new CodeLocationProcessor(
    new LocationCache({ warmup: 4, every: 16, maxKeys: 4096, enabled: /^sampled$/i.test(env.VIBEWATCH_CODE_LOCATIONS ?? '') }),
  );
  // VIBEWATCH_CODE_LOCATIONS=0 turns off the stack captures (the benchmark uses it to
  // separate their cost from the SDK's).
  const codeLocations = !/^(false|0)$/i.test(env.VIBEWATCH_CODE_LOCATIONS ?? '');
  const selected = selectInstrumentations([...new Set([dir, process.cwd()])], warn);
  // A framework's instrumentation sets http.route (the template with its mount path) before
  // applyInferredRoute runs, which then leaves it alone: inference only fills in for apps
  // without a router (plain node:http).
  const inferRoute = !/^(false|0)$/i.test(env.VIBEWATCH_INFER_ROUTE ?? '');
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL) || DEFAULT_METRIC_INTERVAL_MS;
  const errors = errorCapture(env, dir, warn); // exceptions on spans, pino/winston/bunyan logs
  // What the batch processors still hold when the process dies is sent on 'exit' (exitFlush.ts).
  const atExit = flushOnExit(env, endOpenServerSpans);

  const sdk = new NodeSDK({
    // Only our default is passed; the SDK's env detector applies the two variables itself.
    ...(env.OTEL_SERVICE_NAME || fromResourceEnv ? {} : { serviceName }),
    resource: resourceFromAttributes({
      ...(revision ? { 'vcs.ref.head.revision': revision } : {}),
    }),
    spanProcessors: [
      ...errors.spanProcessors,
      ...(codeLocations ? [locations] : []),
      new UndeliveredSpans(atExit.spans),
      new BatchSpanProcessor(settling(traceExporter(env, health), atExit.spans)),
    ],
    logRecordProcessors: [
      ...errors.logRecordProcessors,
      new UndeliveredLogs(atExit.logs),
      new BatchLogRecordProcessor({ exporter: settling(logExporter(env, health), atExit.logs) }),
    ],
    metricReaders: [new PeriodicExportingMetricReader({ exporter: metricExporter(env, health), exportIntervalMillis: interval })],
    instrumentations: [
      new HttpInstrumentation({
        ...(codeLocations ? { responseHook: makeResponseHook(locations.stats) } : {}),
        ...(inferRoute ? { applyCustomAttributesOnSpan: applyInferredRoute } : {}),
      }),
      new UndiciInstrumentation(),
      ...selected.instrumentations,
      // Route sites also tell route.ts that a framework names the routes: not behind codeLocations.
      ...(selected.modules.includes('express') ? [new ExpressRouteSiteInstrumentation()] : []),
      ...(selected.modules.includes('koa') ? [new KoaRouteSiteInstrumentation()] : []),
      // After instrumentation-nestjs-core (made in selectInstrumentations): its handler wraps
      // inside ours, so its spans start in the context that holds the route's site.
      ...(codeLocations && selected.modules.includes('@nestjs/core') ? [new NestRouteSiteInstrumentation()] : []),
      ...(codeLocations && selected.modules.includes('pg') ? [new PgPoolCallSiteInstrumentation()] : []),
      new SqlJsInstrumentation(),
      new BetterSqlite3Instrumentation(),
      ...errors.instrumentations,
    ],
  });
  sdk.start();
  errors.start();
  if (selected.modules.includes('fastify')) watchFastifyRoutes();
  registerRuntimeMetrics(metrics.getMeter('vibewatch/register'));
  const consoleBridge = /^(false|0)$/i.test(env.VIBEWATCH_CONSOLE_LOGS ?? '') ? undefined : bridgeConsole(logs.getLogger('console'));

  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= sdk.shutdown().catch((err: Error) => warn(`[vibewatch] shutdown: ${err.message}`)));
  installExitHooks(shutdown);
  return { sdk, health, locations, console: consoleBridge, serviceName, revision, shutdown };
}

/** Flush on a natural exit and on SIGTERM/SIGINT. A signal keeps its default meaning
 *  (the process ends with that signal) unless the app listens for it itself. */
function installExitHooks(shutdown: () => Promise<void>): void {
  process.once('beforeExit', () => void shutdown());
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const onSignal = () => {
      const appListens = process.listenerCount(signal) > 1;
      if (appListens) {
        void shutdown();
        return;
      }
      process.removeListener(signal, onSignal);
      const timer = setTimeout(() => process.kill(process.pid, signal), 1000);
      void shutdown().finally(() => {
        clearTimeout(timer);
        process.kill(process.pid, signal);
      });
    };
    process.on(signal, onSignal);
  }
}

export function ownFolderOf(file: string): string {
  return dirname(file);
}
