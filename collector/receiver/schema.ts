// The OTLP protobuf schema, parsed once with protobufjs from the .proto text in
// ./proto (embedded through the generated ./protoSources.ts).
import * as protobuf from 'protobufjs';
import { protoSources } from './protoSources';

export interface OtlpTypes {
  traceRequest: protobuf.Type;
  logsRequest: protobuf.Type;
  metricsRequest: protobuf.Type;
  traceResponse: protobuf.Type;
  logsResponse: protobuf.Type;
  metricsResponse: protobuf.Type;
  status: protobuf.Type;
  /** google.rpc.Status with details, and google.rpc.RetryInfo (gRPC error details). */
  rpcStatus: protobuf.Type;
  retryInfo: protobuf.Type;
}

// Dependencies first: protobufjs resolves type names when the root is resolved.
const ORDER = ['common.proto', 'resource.proto', 'trace.proto', 'logs.proto', 'metrics.proto', 'service.proto', 'wellKnown.proto', 'rpc.proto'];
let cached: OtlpTypes | undefined;

export function otlpTypes(): OtlpTypes {
  if (cached) return cached;
  const root = new protobuf.Root();
  for (const name of ORDER) {
    const text = protoSources[name];
    if (text === undefined) throw new Error(`OTLP schema file ${name} is missing from protoSources`);
    protobuf.parse(text, root, { keepCase: false });
  }
  root.resolveAll();
  const t = (n: string) => root.lookupType(`opentelemetry.proto.collector.v1.${n}`);
  cached = {
    traceRequest: t('ExportTraceServiceRequest'),
    logsRequest: t('ExportLogsServiceRequest'),
    metricsRequest: t('ExportMetricsServiceRequest'),
    traceResponse: t('ExportTraceServiceResponse'),
    logsResponse: t('ExportLogsServiceResponse'),
    metricsResponse: t('ExportMetricsServiceResponse'),
    status: t('Status'),
    rpcStatus: root.lookupType('google.rpc.Status'),
    retryInfo: root.lookupType('google.rpc.RetryInfo'),
  };
  return cached;
}
