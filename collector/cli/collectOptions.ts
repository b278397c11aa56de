// Every flag of `vibewatch collect` and of the collector process the extension spawns
// (dist/collectorProcess.js takes the same argv). Read by collector/config.ts (transport and
// storage) and collector/process/settings.ts (workspace, git and analysis settings).
import type { CliOption } from './command';

export const COLLECT_OPTIONS: readonly CliOption[] = [
  { name: 'host', arg: 'H', help: 'address to bind (default 127.0.0.1; anything else needs --allow-remote)' },
  { name: 'port', arg: 'N', help: 'OTLP/HTTP, /health and the live protocol (default 4318; 0 = a free port)' },
  { name: 'grpc-port', arg: 'N', help: 'OTLP/gRPC receiver (default 4317; 0 = off, auto = a free port); a busy port is a warning (grpc-unavailable), HTTP still serves' },
  { name: 'storage', arg: 'DIR', help: 'data folder (default $VIBEWATCH_STORAGE or ${XDG_DATA_HOME:-~/.local/share}/vibewatch)' },
  { name: 'workspace', arg: 'DIR[,DIR]', help: 'workspace folders to map telemetry to (source, git, .vibewatch/ rules)' },
  { name: 'store', arg: 'sqljs|clickhouse', help: 'where telemetry is stored (default sqljs, in --storage); clickhouse keeps only the journal and its origin id in --storage' },
  { name: 'clickhouse-url', arg: 'URL', help: "ClickHouse's HTTP interface for --store clickhouse (e.g. http://127.0.0.1:8123); password from $VIBEWATCH_CLICKHOUSE_PASSWORD" },
  { name: 'clickhouse-database', arg: 'NAME', help: 'ClickHouse database, created and migrated at start (default vibewatch)' },
  { name: 'clickhouse-user', arg: 'U', help: 'ClickHouse user (default: default)' },
  { name: 'clickhouse-cluster', arg: 'NAME', help: 'a remote_servers cluster: rows go to this server\'s local tables, reads through Distributed tables' },
  { name: 'team-analysis-lease-ms', arg: 'N', help: 'with --store clickhouse: the analysis lease\'s time to live; a standby collector takes over the team\'s analysis within it (default 15000)' },
  { name: 'team-analysis-poll-ms', arg: 'N', help: 'with --store clickhouse: how often the analysis holder reads newly stored records (default 1000)' },
  { name: 'team-analysis-checkpoint-ms', arg: 'N', help: 'with --store clickhouse: how often the analysis holder saves its state and cursors (default 30000)' },
  { name: 'retention-hours', arg: 'N', help: 'keep raw telemetry this long (default 24)' },
  { name: 'max-storage-mb', arg: 'N', help: 'keep raw telemetry under this size (default 500)' },
  { name: 'aggregate-retention-days', arg: 'N', help: 'keep per-location and per-series aggregates this long (default 30)' },
  { name: 'max-body-mb', arg: 'N', help: 'largest accepted OTLP request body, after gzip (default 20)' },
  { name: 'queue-limit', arg: 'N', help: 'batches waiting for the store before exports get 503 (default 64)' },
  { name: 'allow-remote', help: 'allow binding a non-loopback host (needs an API key)' },
  { name: 'api-key-file', arg: 'FILE', help: 'file holding the API key senders need in remote mode (or $VIBEWATCH_API_KEY; never on the command line)' },
  { name: 'slow-query-ms', arg: 'N', help: 'a database span slower than this is a slow-query finding (default 200)' },
  { name: 'n-plus-one', arg: 'N', help: 'the same statement this many times under one parent is an N+1 (default 10)' },
  { name: 'incident-severity', arg: 'info|warning|critical', help: 'a firing alert of at least this severity opens an incident (default critical)' },
  { name: 'webhook', arg: 'URL', help: 'POST alert and incident changes as JSON to this URL' },
  { name: 'webhook-slack', help: "send the webhook body in Slack's incoming-webhook format" },
  { name: 'ai-patterns', arg: 'JSON', help: 'extra regular expressions (JSON array) that mark AI-assisted commits' },
  { name: 'status-title', arg: 'T', help: 'name shown on the public status page (default Service)' },
  { name: 'status-publish-services', help: 'publish every service seen in telemetry as a status-page component (any sender can then add one); default: only .vibewatch/status.json' },
  { name: 'status-refresh-sec', arg: 'N', help: 'seconds between refreshes of the public status page (default 30)' },
  { name: 'analysis-settings', arg: 'JSON', help: 'any analysis settings as JSON (e.g. shorter trend windows for a demo)' },
  { name: 'team-url', arg: 'URL', help: "a team collector (http(s)://…) whose production figures are mapped onto this machine's working copies" },
  { name: 'team-token-file', arg: 'FILE', help: "file holding the team collector's API key (or $VIBEWATCH_TEAM_TOKEN; never on the command line)" },
];
