// A refresh on a timer that runs only while a view is visible and its source is on (the AI
// Diffs view's production figures: the team collector's answers are not pushed as `changed`
// events, so they are asked again every TTL). Pure: the owner calls `update()` whenever
// visibility or the source's state may have changed, and disposes it with the view.

export interface PollTimers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface VisiblePollOptions {
  intervalMs: number;
  visible: () => boolean;
  enabled: () => boolean;
  /** Every `intervalMs` while visible and enabled: fetch again. */
  tick: () => void;
  /** When the timer starts (the view shown, the source switched on): what was fetched
   *  while hidden may be stale, so show the latest without waiting a whole interval. */
  resume: () => void;
  timers?: PollTimers;
}

const realTimers: PollTimers = {
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export class VisiblePoll {
  private handle: unknown;
  private disposed = false;
  private readonly timers: PollTimers;

  constructor(private readonly o: VisiblePollOptions) {
    this.timers = o.timers ?? realTimers;
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  /** Starts or stops the timer to match `visible() && enabled()`. */
  update(): void {
    const want = !this.disposed && this.o.visible() && this.o.enabled();
    if (want && this.handle === undefined) {
      this.handle = this.timers.setInterval(() => {
        // A state change not yet reported through update() must not cost a fetch.
        if (this.o.visible() && this.o.enabled()) this.o.tick();
        else this.update();
      }, this.o.intervalMs);
      this.o.resume();
    } else if (!want && this.handle !== undefined) {
      this.timers.clearInterval(this.handle);
      this.handle = undefined;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.update();
  }
}
