// One connection to a ClickHouse server over HTTP (@clickhouse/client), as the store uses it:
// DDL and statements (`exec`), rows as JSON objects (`rows`), JSONEachRow inserts (`insert`).
// 64-bit integers come back as strings (ClickHouse quotes them in JSON); callers convert.
// The client's own console logging is off: failures reach the store as errors and are
// logged once, as the store's events.
import { ClickHouseError, ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';

export interface ChConnOptions {
  url: string;
  user?: string;
  password?: string;
  /** Per request; a stalled server counts as down after this long. Default 30 s. */
  requestTimeoutMs?: number;
  /** Settings sent with every read (e.g. `skip_unavailable_shards` in a cluster). */
  readSettings?: Record<string, string | number>;
}

export class ChConn {
  private readonly client: ClickHouseClient;

  constructor(readonly opts: ChConnOptions) {
    this.client = createClient({
      url: opts.url,
      username: opts.user ?? 'default',
      password: opts.password ?? '',
      request_timeout: opts.requestTimeoutMs ?? 30_000,
      compression: { request: false, response: false },
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async exec(sql: string): Promise<void> {
    await this.client.command({ query: sql });
  }

  async rows<T>(sql: string): Promise<T[]> {
    const rs = await this.client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: this.opts.readSettings as never });
    return rs.json<T>();
  }

  /** `queryId`: ClickHouse refuses a second query with the id of one still running. */
  async insert(table: string, values: readonly object[], queryId?: string): Promise<void> {
    if (!values.length) return;
    await this.client.insert({ table, values: values as object[], format: 'JSONEachRow', query_id: queryId });
  }

  /** Inserts JSONEachRow text (one JSON object a line) as it is. */
  async insertLines(table: string, lines: string, queryId?: string): Promise<void> {
    if (!lines) return;
    await this.client.command({ query: `INSERT INTO ${table} FORMAT JSONEachRow\n${lines}`, query_id: queryId });
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** An error the server answered (bad SQL, a rejected row, a full disk) as opposed to the
 *  network (refused, reset, timed out): retrying the same insert forever helps only the latter. */
export function isServerError(err: unknown): err is ClickHouseError {
  return err instanceof ClickHouseError;
}

export { errText } from '../storeFolder';
