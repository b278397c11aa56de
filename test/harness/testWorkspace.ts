// A throwaway workspace folder for in-host and workbench tests: a few source files the
// tests point telemetry at, and workspace settings (e.g. the collector port for this run).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ORDERS_TS = `import { db } from './db';

export async function listOrders(customerId: string) {
  const orders = await db.query('SELECT * FROM orders WHERE customer_id = ?', [customerId]);
  for (const order of orders) {
    order.items = await db.query('SELECT * FROM items WHERE order_id = ?', [order.id]);
  }
  return orders;
}

export function parseQuantity(input: { quantity?: string }) {
  return input.quantity!.trim().length;
}
`;

export const DB_TS = `export const db = {
  async query(sql: string, params: unknown[]): Promise<any[]> {
    return [];
  },
};
`;

export interface TestWorkspace {
  dir: string;
  dispose(): void;
}

export function makeTestWorkspace(settings: Record<string, unknown> = {}, files: Record<string, string> = {}): TestWorkspace {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-ws-')));
  const all: Record<string, string> = {
    'src/orders.ts': ORDERS_TS,
    'src/db.ts': DB_TS,
    'package.json': JSON.stringify({ name: 'vibewatch-test-workspace', version: '1.0.0', private: true }, null, 2),
    // Tests pick free ports: the gRPC receiver (default 4317) is off unless a test sets it.
    '.vscode/settings.json': JSON.stringify({ 'vibewatch.collector.grpcPort': 0, ...settings }, null, 2),
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The in-host window: the shared test workspace first, then an empty folder of its own for
 *  the AI-diff figures test (which makes it a git repository; the shared folder must never
 *  get a `.git`), opened together as a multi-root workspace. Window-scoped settings (the
 *  collector port) only count in the `.code-workspace` file there, so they go in it too. */
export interface HostWorkspaces {
  main: TestWorkspace;
  aiDiffFolder: string;
  /** A third folder the team-mode test makes a git repository (a teammate's working copy). */
  teamFolder: string;
  workspaceFile: string;
  dispose(): void;
}

export function makeHostWorkspaces(settings: Record<string, unknown> = {}): HostWorkspaces {
  const main = makeTestWorkspace(settings);
  const holder = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vibewatch-ws-multi-')));
  const aiDiffFolder = path.join(holder, 'aidiff-repo');
  fs.mkdirSync(aiDiffFolder);
  const teamFolder = path.join(holder, 'team-repo');
  fs.mkdirSync(teamFolder);
  const workspaceFile = path.join(holder, 'vibewatch-test.code-workspace');
  const all = { 'vibewatch.collector.grpcPort': 0, ...settings };
  fs.writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: main.dir }, { path: aiDiffFolder }, { path: teamFolder }], settings: all }, null, 2));
  return {
    main,
    aiDiffFolder,
    teamFolder,
    workspaceFile,
    dispose: () => {
      main.dispose();
      fs.rmSync(holder, { recursive: true, force: true });
    },
  };
}
