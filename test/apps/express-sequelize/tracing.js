// The plain OpenTelemetry Node set-up from the OpenTelemetry getting-started guide: the SDK,
// the auto-instrumentations, OTLP over http/protobuf to OTEL_EXPORTER_OTLP_ENDPOINT.
// No Vibewatch code: the collector must place these spans on its own.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');

const sdk = new NodeSDK({
  serviceName: 'conduit',
  traceExporter: new OTLPTraceExporter(),
  instrumentations: [getNodeAutoInstrumentations({ '@opentelemetry/instrumentation-fs': { enabled: false } })],
});
sdk.start();
process.on('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
