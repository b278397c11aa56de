// Throwaway ClickHouse servers for the ClickHouse store tests: Debian's clickhouse-server
// (installed by scripts/ensure-tools.sh), one process per server with its own config.xml and
// users.xml in a temp folder, listening on 127.0.0.1 only at free ports (http, tcp,
// interserver). `stop()` ends the process we started (by PID) and removes the folder;
// `kill()` + `restart()` end it with SIGKILL and start it again on the same data folder and
// ports (what a ClickHouse crash looks like to the collector). A process exit without
// stop() still kills the servers.
//
// `startClickHouseCluster(2)` starts two such servers and a `remote_servers` entry naming
// both as the shards of one cluster, so `ON CLUSTER` DDL and `Distributed` tables work.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePorts, startOnFreePorts, waitUntilReady } from './serverProcess';

export interface ClickHouseServer {
  /** http://127.0.0.1:port */
  url: string;
  httpPort: number;
  tcpPort: number;
  pid: number;
  dir: string;
  /** SIGKILL by PID; the data folder stays. */
  kill(): Promise<void>;
  /** Starts the server again on the same folder and ports, waits until it answers. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface ClickHouseCluster {
  name: string;
  shards: ClickHouseServer[];
  stop(): Promise<void>;
}

export function clickhouseBinary(): string {
  const fromEnv = process.env.VIBEWATCH_CLICKHOUSE_SERVER;
  if (fromEnv) return fromEnv;
  for (const p of ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse']) if (fs.existsSync(p)) return p;
  throw new Error(
    'clickhouse-server not found (/usr/sbin/clickhouse-server): run `bash scripts/ensure-tools.sh` ' +
      "(installs Debian's clickhouse-server package) or set VIBEWATCH_CLICKHOUSE_SERVER to the server binary",
  );
}

interface Ports {
  http: number;
  tcp: number;
  interserver: number;
}

function configXml(dir: string, ports: Ports, remoteServers: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
  <remote_servers>${remoteServers}</remote_servers>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

const alive = new Set<ChildProcess>();
let exitHooked = false;
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => {
    for (const c of alive) if (c.pid) try { process.kill(c.pid, 'SIGKILL'); } catch { /* already gone */ }
  });
}

async function waitReady(url: string, child: ChildProcess, dir: string): Promise<void> {
  const log = (name: string) => (fs.existsSync(path.join(dir, name)) ? fs.readFileSync(path.join(dir, name), 'utf8').slice(-3000) : '');
  await waitUntilReady({
    child,
    probe: async () => {
      const r = await fetch(`${url}/?query=${encodeURIComponent('SELECT 1')}`, { signal: AbortSignal.timeout(2000) });
      return r.ok && (await r.text()).trim() === '1';
    },
    failure: (reason) => new Error(`clickhouse-server in ${dir} did not become ready (${reason}):\n${log('server.err.log') || log('stderr.log')}`),
  });
}

async function startOne(dir: string, ports: Ports, remoteServers = ''): Promise<ClickHouseServer> {
  const bin = clickhouseBinary();
  for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.xml'), configXml(dir, ports, remoteServers));
  fs.writeFileSync(path.join(dir, 'users.xml'), USERS_XML);
  const url = `http://127.0.0.1:${ports.http}`;
  hookExit();
  let child: ChildProcess;
  const launch = async () => {
    const err = fs.openSync(path.join(dir, 'stderr.log'), 'a');
    child = spawn(bin, [`--config-file=${path.join(dir, 'config.xml')}`], { cwd: dir, stdio: ['ignore', 'ignore', err] });
    fs.closeSync(err);
    alive.add(child);
    child.once('exit', () => alive.delete(child));
    await waitReady(url, child, dir);
  };
  const killNow = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    process.kill(child.pid!, 'SIGKILL');
    await gone;
  };
  try {
    await launch();
  } catch (err) {
    // A server that never answered must not keep the folder while another attempt starts.
    await killNow();
    throw err;
  }
  const server: ClickHouseServer = {
    url,
    httpPort: ports.http,
    tcpPort: ports.tcp,
    get pid() { return child.pid!; },
    dir,
    kill: killNow,
    restart: async () => {
      await killNow();
      await launch();
    },
    stop: async () => {
      await killNow();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

const asPorts = ([http, tcp, interserver]: number[]): Ports => ({ http, tcp, interserver });

/** One server on loopback. */
export async function startClickHouse(): Promise<ClickHouseServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-ch-'));
  try {
    return await startOnFreePorts(3, (ports) => startOne(dir, asPorts(ports)));
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** `n` servers, each a shard of the cluster `name` (one replica per shard). */
export async function startClickHouseCluster(n = 2, name = 'vibewatch_test'): Promise<ClickHouseCluster> {
  // One call for every shard's ports, so no two servers are given the same port.
  const free = await freePorts(3 * n);
  const all: Ports[] = Array.from({ length: n }, (_, i) => asPorts(free.slice(3 * i, 3 * i + 3)));
  const shards = all.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`).join('');
  const remote = `<${name}>${shards}</${name}>`;
  const servers: ClickHouseServer[] = [];
  try {
    for (const ports of all) servers.push(await startOne(fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-ch-')), ports, remote));
  } catch (err) {
    for (const s of servers) await s.stop();
    throw err;
  }
  return { name, shards: servers, stop: async () => { for (const s of servers) await s.stop(); } };
}

/** Runs one query over HTTP (test assertions); returns the body text. */
export async function chQuery(url: string, sql: string): Promise<string> {
  const r = await fetch(`${url}/`, { method: 'POST', body: sql });
  const text = await r.text();
  if (!r.ok) throw new Error(`ClickHouse ${r.status}: ${text}`);
  return text;
}
