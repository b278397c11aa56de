// Fewer stack captures for call sites that never change. A key stands for "probably one
// call site" (a db statement, a span name and peer, a route). Each key is captured on its
// first `warmup` uses and then on every `every`-th; in between the last frame is reused.
// A key that is ever seen at two different frames is captured every time from then on.
// Limit: after a new call site appears for a key, up to `every - 1` spans may still carry
// the old location (until the next sampled capture notices). VIBEWATCH_CODE_LOCATIONS=exact
// turns the cache off.
import type { AppFrame } from './stackFrame';

interface Entry {
  frame?: AppFrame;
  seen: number;
  varies: boolean;
}

export interface CacheStats {
  captures: number;
  reused: number;
}

export class LocationCache {
  private readonly entries = new Map<string, Entry>();
  readonly stats: CacheStats = { captures: 0, reused: 0 };

  constructor(private readonly opts: { warmup: number; every: number; maxKeys: number; enabled: boolean } = { warmup: 4, every: 16, maxKeys: 4096, enabled: true }) {}

  get(key: string | undefined, capture: () => AppFrame | undefined): AppFrame | undefined {
    if (!this.opts.enabled || key === undefined) return this.capture(capture);
    let e = this.entries.get(key);
    if (!e) {
      if (this.entries.size >= this.opts.maxKeys) this.entries.clear(); // high-cardinality keys: start over
      e = { seen: 0, varies: false };
      this.entries.set(key, e);
    }
    e.seen++;
    if (e.varies || e.seen <= this.opts.warmup || e.seen % this.opts.every === 0) {
      const f = this.capture(capture);
      if (e.seen > 1 && !sameFrame(f, e.frame)) e.varies = true;
      e.frame = f;
      return f;
    }
    this.stats.reused++;
    return e.frame;
  }

  private capture(capture: () => AppFrame | undefined): AppFrame | undefined {
    this.stats.captures++;
    return capture();
  }
}

function sameFrame(a: AppFrame | undefined, b: AppFrame | undefined): boolean {
  return a === b || (!!a && !!b && a.file === b.file && a.line === b.line && a.column === b.column);
}
