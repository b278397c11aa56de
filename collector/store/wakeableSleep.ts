// A wait a stop can cut short: loops that back off or poll (clickhouse/inserter.ts,
// process/teamAnalysis.ts) sleep here, and `wake()` from their stop ends the wait at once.
export class WakeableSleep {
  private waking?: () => void;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { this.waking = undefined; resolve(); }, ms);
      this.waking = () => { clearTimeout(t); this.waking = undefined; resolve(); };
    });
  }

  wake(): void {
    this.waking?.();
  }
}
