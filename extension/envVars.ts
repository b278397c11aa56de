// The text "Copy Environment Variables" puts on the clipboard: standard OTEL_* variables for
// OTLP/HTTP (protobuf) and, commented out as an alternative, for OTLP/gRPC. Pure (no vscode)
// so it is unit-tested; lines starting with `#` are comments in shells and .env files.

export interface EnvVarsTarget {
  host: string;
  port: number;
  /** 0 = the gRPC receiver is off, and only OTLP/HTTP is offered. */
  grpcPort: number;
}

/** A URL host for `host`: wildcard binds are reached on loopback, IPv6 is bracketed. */
export function urlHost(host: string): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

export function envVarsFor(t: EnvVarsTarget): string {
  const lines = [
    '# OTLP/HTTP (http/protobuf; http/json works too)',
    `OTEL_EXPORTER_OTLP_ENDPOINT=http://${urlHost(t.host)}:${t.port}`,
    'OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf',
    'OTEL_TRACES_EXPORTER=otlp',
    'OTEL_LOGS_EXPORTER=otlp',
    'OTEL_METRICS_EXPORTER=otlp',
  ];
  if (t.grpcPort > 0) {
    lines.push(
      '# Or OTLP/gRPC (SDKs that default to it: Python, Go, .NET, Rust, the OpenTelemetry Collector): use these two lines instead',
      `# OTEL_EXPORTER_OTLP_ENDPOINT=http://${urlHost(t.host)}:${t.grpcPort}`,
      '# OTEL_EXPORTER_OTLP_PROTOCOL=grpc',
    );
  }
  return lines.join('\n');
}
