// Keyed series with bounded cardinality: at most `max` series; when full, a new series is
// either refused (`refuse`: what already exists stays exact) or takes the place of the
// stalest one (`evictStalest`: recent series matter most). Either way `overflow` counts it,
// so a cap that was hit is visible in stats. Series are also indexed by a group (the file of
// a line), so "every series of this file" needs no scan.

export type FullPolicy = 'refuse' | 'evictStalest';

export interface SeriesTableOptions<E> {
  max: number;
  policy: FullPolicy;
  /** The group of an entry (e.g. its file); one group when absent. */
  groupOf?: (e: E) => string;
  /** Last time an entry was updated (ms), for `evictStalest`. */
  lastMs?: (e: E) => number;
}

export class SeriesTable<E> {
  private readonly entries = new Map<string, E>();
  private readonly groups = new Map<string, Set<string>>();
  /** New series refused, or stale ones evicted, because the table was full. */
  overflow = 0;

  constructor(private readonly o: SeriesTableOptions<E>) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): E | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The entry at `key`, made with `make` when new; undefined when full and refusing. */
  ensure(key: string, make: () => E): E | undefined {
    const found = this.entries.get(key);
    if (found) return found;
    if (this.entries.size >= this.o.max) {
      this.overflow++;
      if (this.o.policy === 'refuse') return undefined;
      this.evictStalest();
    }
    const e = make();
    this.set(key, e);
    return e;
  }

  /** Puts an entry regardless of the cap (loading a checkpoint written under the same cap). */
  set(key: string, e: E): void {
    if (this.entries.has(key)) this.delete(key);
    this.entries.set(key, e);
    const g = this.groupOf(e);
    let keys = this.groups.get(g);
    if (!keys) this.groups.set(g, (keys = new Set()));
    keys.add(key);
  }

  delete(key: string): boolean {
    const e = this.entries.get(key);
    if (e === undefined) return false;
    this.entries.delete(key);
    const g = this.groupOf(e);
    const keys = this.groups.get(g);
    keys?.delete(key);
    if (keys && keys.size === 0) this.groups.delete(g);
    return true;
  }

  /** Entries of one group, with their keys. */
  *group(g: string): IterableIterator<[string, E]> {
    for (const key of this.groups.get(g) ?? []) yield [key, this.entries.get(key)!];
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  values(): IterableIterator<E> {
    return this.entries.values();
  }

  [Symbol.iterator](): IterableIterator<[string, E]> {
    return this.entries.entries();
  }

  clear(): void {
    this.entries.clear();
    this.groups.clear();
  }

  private groupOf(e: E): string {
    return this.o.groupOf ? this.o.groupOf(e) : '';
  }

  /** A scan, but only when a new series arrives at the cap. */
  private evictStalest(): void {
    const lastMs = this.o.lastMs ?? (() => 0);
    let stalest: string | undefined;
    let at = Infinity;
    for (const [k, e] of this.entries) {
      const t = lastMs(e);
      if (t < at) {
        at = t;
        stalest = k;
      }
    }
    if (stalest !== undefined) this.delete(stalest);
  }
}
