// The OTLP/gRPC receiver: opentelemetry.proto.collector.{trace,logs,metrics}.v1.*Service/Export
// on its own port, feeding the same decode → validate → pipeline → store path as OTLP/HTTP
// through the same IngestGate. Contract: the OK (with partial success when items were
// rejected) is sent only after `gate.process` resolved, i.e. after the store made the batch
// durable. grpc-js inflates gzip/deflate (`grpc-encoding`) and enforces the size limit on the
// inflated message; the bytes are decoded by our protobufjs schema, not by grpc-js.
import { Server, ServerCredentials, type Metadata, type ServerUnaryCall, type sendUnaryData, type UntypedServiceImplementation } from '@grpc/grpc-js';
import type { CollectorConfig } from '../config';
import type { TelemetryBatch } from '../model/types';
import { DecodeError, decodeOtlp, rejectedCount, type Signal } from '../receiver/decode';
import { exportResponse } from '../receiver/respond';
import { apiKeyAccepted, hostAllowed, type KeyHeaders } from './access';
import { grpcErrorOf } from './grpcStatus';
import { HttpError } from './httpUtil';
import type { IngestGate } from './otlpRoute';

export const GRPC_SERVICES: Record<Signal, string> = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
};

export type GrpcReceiverConfig = Pick<CollectorConfig, 'host' | 'grpcPort' | 'allowRemote' | 'apiKey' | 'maxBodyBytes' | 'limits' | 'queueLimit'>;

const identity = (b: Buffer) => b;

function keyHeadersOf(md: Metadata): KeyHeaders {
  const first = (k: string) => md.get(k).find((v): v is string => typeof v === 'string');
  return { 'x-vibewatch-key': first('x-vibewatch-key'), authorization: first('authorization') };
}

export class GrpcReceiver {
  private readonly server: Server;
  private port: number | undefined;

  constructor(private readonly config: GrpcReceiverConfig, private readonly gate: IngestGate) {
    this.server = new Server({
      'grpc.max_receive_message_length': config.maxBodyBytes,
      // grpc-js reads a whole message before the handler can refuse it (HTTP admits before
      // reading the body), so streams per connection are bounded: twice the ingest queue, so
      // that one connection can fill the queue and still be told UNAVAILABLE + RetryInfo,
      // while calls beyond that wait in HTTP/2 flow control instead of in memory.
      'grpc.max_concurrent_streams': 2 * config.queueLimit,
      // Idle clients are dropped like idle HTTP keep-alive connections.
      'grpc.max_connection_idle_ms': 60_000,
    });
    for (const signal of Object.keys(GRPC_SERVICES) as Signal[]) {
      const path = `/${GRPC_SERVICES[signal]}/Export`;
      this.server.addService(
        { Export: { path, requestStream: false, responseStream: false, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity, originalName: 'export' } },
        { Export: (call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>) => void this.export(signal, call, cb) } as UntypedServiceImplementation,
      );
    }
  }

  /** Bound port once started. */
  address(): { host: string; port: number } | undefined {
    return this.port === undefined ? undefined : { host: this.config.host, port: this.port };
  }

  /** Binds host:grpcPort ('auto' = a free port). Rejects with the bind error (EADDRINUSE...). */
  start(): Promise<number> {
    const port = this.config.grpcPort === 'auto' ? 0 : this.config.grpcPort;
    const host = this.config.host.includes(':') && !this.config.host.startsWith('[') ? `[${this.config.host}]` : this.config.host;
    return new Promise((resolve, reject) => {
      this.server.bindAsync(`${host}:${port}`, ServerCredentials.createInsecure(), (err, bound) => {
        if (err) return reject(err);
        this.port = bound;
        resolve(bound);
      });
    });
  }

  /** Stops accepting calls; calls in flight get `graceMs` to finish, then are cancelled. Safe twice or before start. */
  async shutdown(graceMs = 10_000): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { this.server.forceShutdown(); resolve(); }, graceMs);
      this.server.tryShutdown(() => { clearTimeout(timer); resolve(); });
    });
  }

  private async export(signal: Signal, call: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>): Promise<void> {
    let admitted = false;
    let held = 0;
    try {
      if (!hostAllowed(this.config, call.getHost())) throw new HttpError(403, 7, 'this collector only answers requests addressed to a loopback host name');
      if (!apiKeyAccepted(this.config, keyHeadersOf(call.metadata))) throw new HttpError(401, 16, 'this collector accepts remote clients only with an API key (metadata x-vibewatch-key or authorization: Bearer)');
      this.gate.admit();
      admitted = true;
      const body = call.request;
      this.gate.holdBytes(body.byteLength);
      held = body.byteLength;
      let batch: TelemetryBatch;
      try {
        batch = decodeOtlp(signal, 'protobuf', body, this.config.limits);
      } catch (err) {
        if (err instanceof DecodeError) throw new HttpError(400, 3, err.message);
        throw err;
      }
      try {
        await this.gate.process(batch);
      } catch (err) {
        throw new HttpError(503, 14, `the collector could not store the batch: ${(err as Error).message}`, { 'retry-after': '5' });
      }
      const rejected = rejectedCount(batch, signal);
      const msg = rejected > 0 ? `rejected ${rejected} invalid item(s): ${batch.rejected.reasons.join('; ')}` : '';
      cb(null, Buffer.from(exportResponse(signal, 'protobuf', rejected, msg)));
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, 13, `internal error: ${(err as Error).message}`);
      // Counted under the HTTP status of the same condition, so stats read alike for both protocols.
      this.gate.noteBadRequest(e.status, `gRPC ${signal}: ${e.message}`);
      cb(grpcErrorOf(e));
    } finally {
      if (held) this.gate.releaseBytes(held);
      if (admitted) this.gate.release();
    }
  }
}
