// Small durable key/value state (analysis state, AI-diff ledger...): one JSON file, rewritten
// atomically on every put. Puts are serialised; `put` resolves once the file is durable.
// Meant for small values (kilobytes); large data belongs in segments or aggregates.
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { writeFileAtomic } from './atomicFile';

export class StateFile {
  private values: Record<string, unknown> = {};
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  load(): void {
    if (!existsSync(this.path)) return;
    // A torn state file cannot happen (atomic rename); a malformed one throws, and the
    // store sets it aside (SqlStore.readOrSetAside).
    this.values = JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, unknown>;
  }

  get<T>(key: string): T | undefined {
    const v = this.values[key];
    // A copy, so callers cannot change stored state without `put`.
    return v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as T);
  }

  put(key: string, value: unknown): Promise<void> {
    if (value === undefined) delete this.values[key];
    else this.values[key] = JSON.parse(JSON.stringify(value)) as unknown;
    const text = JSON.stringify(this.values);
    const p = this.chain.then(() => writeFileAtomic(this.path, text));
    this.chain = p.catch(() => undefined);
    return p;
  }

  async clear(): Promise<void> {
    this.values = {};
    await this.chain;
    if (existsSync(this.path)) unlinkSync(this.path);
  }
}
