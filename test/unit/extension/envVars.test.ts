import { strict as assert } from 'node:assert';
import { envVarsFor } from '../../../extension/envVars';

/** What a shell would export from the copied text (comment lines skipped). */
function exported(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('envVarsFor', () => {
  it('sets OTLP/HTTP protobuf on the collector port for every signal', () => {
    assert.deepEqual(exported(envVarsFor({ host: '127.0.0.1', port: 4318, grpcPort: 4317 })), {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
    });
  });

  it('offers OTLP/gRPC on the gRPC port as the commented alternative', () => {
    const text = envVarsFor({ host: '127.0.0.1', port: 4400, grpcPort: 4401 });
    assert.match(text, /^# OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/127\.0\.0\.1:4401$/m);
    assert.match(text, /^# OTEL_EXPORTER_OTLP_PROTOCOL=grpc$/m);
  });

  it('offers no gRPC lines when the gRPC receiver is off', () => {
    assert.doesNotMatch(envVarsFor({ host: '127.0.0.1', port: 4318, grpcPort: 0 }), /grpc|4317/i);
  });

  it('points wildcard binds at loopback and brackets IPv6 hosts', () => {
    assert.equal(exported(envVarsFor({ host: '0.0.0.0', port: 4318, grpcPort: 0 })).OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4318');
    assert.match(envVarsFor({ host: '::1', port: 4318, grpcPort: 4317 }), /^# OTEL_EXPORTER_OTLP_ENDPOINT=http:\/\/\[::1\]:4317$/m);
  });
});
