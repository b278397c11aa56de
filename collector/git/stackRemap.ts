// Error groups get the same revision → today line mapping spans get. A stack's throwing
// frame names a line of the revision the service ran; the analysis side places it
// synchronously while grouping, so this processor — run in the pipeline before analysis —
// maps every throwing frame of the batch ahead of time and remembers today's line.
// Lines git cannot map (revision not fetched, file gone) are left as they are.
import type { TelemetryBatch } from '../model/types';
import type { Processor } from '../pipeline';

export interface FrameLocation {
  file: string;
  line: number;
}

export class StackLineMap {
  private readonly today = new Map<string, number>();

  constructor(
    /** Throwing frames of a batch: stack text, runtime and revision per exception. */
    private readonly stacksOf: (batch: TelemetryBatch) => { stack: string; runtime?: string; revision?: string }[],
    /** Places a stack's throwing frame in the workspace (the source plugin's Locator). */
    private readonly locate: (stack: string, runtime?: string) => FrameLocation | undefined,
    /** Today's line of `file:line` at `revision` (the LineRemapper's mapper). */
    private readonly mapLine: (revision: string, file: string, line: number) => Promise<{ line: number } | undefined>,
    private readonly maxEntries = 20_000,
  ) {}

  readonly processor: Processor = async (batch) => {
    for (const e of this.stacksOf(batch)) {
      if (!e.revision) continue;
      const loc = this.locate(e.stack, e.runtime);
      if (!loc) continue;
      const key = keyOf(e.revision, loc.file, loc.line);
      if (this.today.has(key)) continue;
      const to = await this.mapLine(e.revision, loc.file, loc.line);
      if (!to) continue;
      this.today.set(key, to.line);
      if (this.today.size > this.maxEntries) this.today.delete(this.today.keys().next().value!);
    }
  };

  /** Today's line for a frame located at `line` of `file` under `revision`, if mapped. */
  todayLine(revision: string | undefined, file: string, line: number): number | undefined {
    return revision ? this.today.get(keyOf(revision, file, line)) : undefined;
  }
}

const keyOf = (revision: string, file: string, line: number) => `${revision}\0${file}\0${line}`;
