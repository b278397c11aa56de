// What the throwaway test servers (test/harness/postgres.ts, test/harness/clickhouse.ts)
// share: free loopback ports, a retry when a port is taken between the probe and the
// server's bind, and a wait until a started process answers.
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';

/** A port that was free on 127.0.0.1 a moment ago (the OS picked it; nothing holds it now). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `count` distinct free ports (the OS may hand out a just-closed port again). */
export async function freePorts(count: number): Promise<number[]> {
  const seen = new Set<number>();
  while (seen.size < count) seen.add(await freePort());
  return [...seen];
}

/**
 * Runs `start` with `count` fresh free ports; when it throws, tries again with new ports,
 * `attempts` times in all, then throws the last error. Another process may take a port
 * between our probe and the server's bind; `start` must leave nothing running when it throws.
 */
export async function startOnFreePorts<T>(count: number, start: (ports: number[]) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePorts(count));
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}

export interface WaitReadyOptions {
  /** true once the server answers; a throw counts as "not yet". */
  probe: () => Promise<boolean>;
  /** The server process: its exit ends the wait at once. */
  child: ChildProcess;
  timeoutMs?: number;
  intervalMs?: number;
  /** The error to throw, given why the wait ended (`exit 1`, `exit SIGKILL`, `timeout`). */
  failure: (reason: string) => Error;
}

/** Polls `probe` until it says ready; throws `failure(reason)` on the child's exit or the timeout. */
export async function waitUntilReady(o: WaitReadyOptions): Promise<void> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  const { exitCode, signalCode } = o.child;
  let exited = exitCode !== null || signalCode !== null ? `exit ${exitCode ?? signalCode}` : undefined;
  const onExit = (code: number | null, sig: string | null) => { exited = `exit ${code ?? sig}`; };
  o.child.once('exit', onExit);
  try {
    while (Date.now() < deadline) {
      if (exited) break;
      try {
        if (await o.probe()) return;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, o.intervalMs ?? 150));
    }
  } finally {
    o.child.removeListener('exit', onExit);
  }
  throw o.failure(exited ?? 'timeout');
}
