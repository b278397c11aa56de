// A throwaway PostgreSQL server for the real-database tests: Debian's server binaries
// (installed by scripts/ensure-tools.sh), a fresh cluster in a temp folder, listening on
// 127.0.0.1 at a free port, trust authentication for one user. Tuned for tests (no fsync):
// data survives only as long as the test. `stop()` ends the server we started and removes the
// folder; a process exit without stop() still stops it (immediate mode).
//
// PostgreSQL refuses to run as root; when the tests run as root the cluster belongs to the
// `postgres` system user the Debian package creates, and every server command runs through
// `runuser -u postgres`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startOnFreePorts } from './serverProcess';

export interface Postgres {
  /** postgres://user@127.0.0.1:port/database */
  url: string;
  host: string;
  port: number;
  user: string;
  database: string;
  /** Creates another empty database on the same server and returns its URL. */
  createDatabase(name: string): string;
  stop(): Promise<void>;
}

const USER = 'vibewatch';
const DATABASE = 'vibewatch_test';

export function postgresBinDir(): string {
  const fromEnv = process.env.VIBEWATCH_PG_BIN;
  if (fromEnv) return fromEnv;
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (!versions.length) {
    throw new Error(
      'PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): run `bash scripts/ensure-tools.sh` ' +
        "(installs Debian's postgresql package) or set VIBEWATCH_PG_BIN to a folder holding initdb and pg_ctl",
    );
  }
  return path.join(root, versions[0], 'bin');
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? systemUser('postgres') : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-pg-'));
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  if (owner) {
    fs.chownSync(dir, owner.uid, owner.gid);
    fs.chmodSync(dir, 0o700);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = owner ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}): ${r.stderr || r.stdout}${tail ? `\nserver log:\n${tail}` : ''}`);
    }
    return r.stdout;
  };

  run('initdb', ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  let port: number;
  try {
    // pg_ctl -w is the wait until ready: it returns once the server accepts connections.
    port = await startOnFreePorts(1, async ([p]) => {
      const opts = `-p ${p} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', opts, 'start']);
      return p;
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const stopNow = (mode: 'fast' | 'immediate') => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    try {
      run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const onExit = () => {
    try {
      stopNow('immediate');
    } catch {
      /* the process is ending; nothing left to report to */
    }
  };
  process.on('exit', onExit);

  const urlOf = (db: string) => `postgres://${USER}@127.0.0.1:${port}/${db}`;
  const createDatabase = (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`database name ${JSON.stringify(name)}: use [a-z0-9_]`);
    run('createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', USER, name]);
    return urlOf(name);
  };
  createDatabase(DATABASE);
  return {
    url: urlOf(DATABASE),
    host: '127.0.0.1',
    port,
    user: USER,
    database: DATABASE,
    createDatabase,
    stop: async () => stopNow('fast'),
  };
}

function systemUser(name: string): { uid: number; gid: number } {
  const r = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) {
    throw new Error(`running as root, but the '${name}' system user (made by Debian's postgresql package) does not exist: run \`bash scripts/ensure-tools.sh\``);
  }
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}
