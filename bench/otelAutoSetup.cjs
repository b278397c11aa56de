// The plain OpenTelemetry auto-instrumentation set-up a user would pick instead of
// vibewatch/register: NodeSDK + getNodeAutoInstrumentations (fs off, as the getting-started
// guide advises), OTLP over http/json to OTEL_EXPORTER_OTLP_ENDPOINT. The batch span
// processor is the SDK default, sized by the same OTEL_BSP_* variables register reads.
// Loaded by bench/overhead.ts with `--require`.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');

const sdk = new NodeSDK({
  serviceName: 'shop',
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } })],
});
sdk.start();
process.on('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
