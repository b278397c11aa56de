// A mergeable log-bucket histogram for latencies and other positive values: bounded memory
// (one counter per occupied bucket), relative error ≤ (GAMMA-1)/2 ≈ 1% on quantiles,
// mergeable across minutes and locations. Used by the ingest-time aggregates (CodeLens),
// baselines and before/after comparisons. Values ≤ MIN_VALUE share the zero bucket.

const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);
const MIN_VALUE = 1e-3;

export interface HistogramJson {
  /** bucket index → count, as parallel arrays (compact in JSON and SQL). */
  i: number[];
  c: number[];
  zero: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export class LogHistogram {
  private readonly buckets = new Map<number, number>();
  zero = 0;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(value: number, times = 1): void {
    if (!Number.isFinite(value) || times <= 0) return;
    this.count += times;
    this.sum += value * times;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value <= MIN_VALUE) {
      this.zero += times;
      return;
    }
    const idx = Math.ceil(Math.log(value) / LOG_GAMMA);
    this.buckets.set(idx, (this.buckets.get(idx) ?? 0) + times);
  }

  merge(other: LogHistogram): this {
    for (const [k, v] of other.buckets) this.buckets.set(k, (this.buckets.get(k) ?? 0) + v);
    this.zero += other.zero;
    this.count += other.count;
    this.sum += other.sum;
    if (other.min < this.min) this.min = other.min;
    if (other.max > this.max) this.max = other.max;
    return this;
  }

  /** q in [0,1]; NaN when empty. Returns the bucket's midpoint, clamped to [min,max]. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = this.zero;
    if (seen >= rank) return Math.max(0, this.min);
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      seen += this.buckets.get(k)!;
      if (seen >= rank) {
        const upper = Math.pow(GAMMA, k);
        const mid = (upper + upper / GAMMA) / 2;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }

  get mean(): number {
    return this.count ? this.sum / this.count : NaN;
  }

  get bucketCount(): number {
    return this.buckets.size + (this.zero ? 1 : 0);
  }

  toJSON(): HistogramJson {
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    return { i: keys, c: keys.map((k) => this.buckets.get(k)!), zero: this.zero, count: this.count, sum: this.sum, min: this.min, max: this.max };
  }

  static fromJSON(j: HistogramJson): LogHistogram {
    const h = new LogHistogram();
    j.i.forEach((k, n) => h.buckets.set(k, j.c[n]));
    h.zero = j.zero;
    h.count = j.count;
    h.sum = j.sum;
    h.min = j.count ? j.min : Infinity;
    h.max = j.count ? j.max : -Infinity;
    return h;
  }
}
